"""How the CLI prints cases and the queue, for people (tables) and for programs (JSON)."""
from __future__ import annotations

from bot.deadlines import days_left
from bot.models import Case, utcnow
from bot.queue import summary
from bot.verification_policy import missing_levels


def case_as_dict(case: Case) -> dict:
    return {
        **summary(case),
        "requester": {"name": case.requester_name, "email": case.requester_email, "phone": case.requester_phone},
        "extension_months": case.extension_months,
        "extension_reason": case.extension_reason,
        "verification_level": sorted(case.verified_levels),
        "inform_authority": case.inform_authority,
        "outcome_reason": case.outcome_reason,
        "closed_at": case.closed_at.isoformat() if case.closed_at else None,
        "requests": [{"id": r.id, "request_type": r.request_type, "channel": r.channel,
                      "received_at": r.received_at.isoformat(), "details": r.details} for r in case.requests],
        "events": [{"at": e.at.isoformat(), "actor": e.actor, "action": e.action, "reason": e.reason,
                    "data": e.data} for e in case.events],
    }


def _days(n: int) -> str:
    if n < 0:
        return f"OVERDUE {-n}d"
    return f"{n}d left"


def print_queue(rows: list[dict]) -> None:
    if not rows:
        print("The queue is empty.")
        return
    print(f"{'REFERENCE':<13} {'DUE':<10} {'DAYS':<12} {'STATUS':<22} {'CHANNEL':<7} {'LANG':<4} "
          f"{'ASSIGNEE':<12} REQUESTS")
    for row in rows:
        print(f"{row['reference']:<13} {row['due_at'][:10]:<10} {_days(row['days_left']):<12} {row['status']:<22} "
              f"{row['channel']:<7} {row['language']:<4} {(row['assignee'] or '-'):<12} "
              f"{', '.join(row['request_types'])}")


def print_case(case: Case) -> None:
    left = days_left(case.due_at, utcnow())
    print(f"Case {case.reference}   status: {case.status}   assignee: {case.assignee or '-'}")
    print(f"Requester: {case.requester_name or '-'}   email: {case.requester_email or '-'}   "
          f"phone: {case.requester_phone or '-'}")
    print(f"Channel: {case.channel}   language: {case.language}")
    print(f"Received: {case.received_at:%Y-%m-%d %H:%M} UTC   due: {case.due_at:%Y-%m-%d} ({_days(left)})")
    if case.extension_months:
        print(f"Extended by {case.extension_months} month(s): {case.extension_reason}")
    reached = ", ".join(sorted(case.verified_levels)) or "none"
    still = " or ".join("+".join(sorted(m)) for m in missing_levels(case.verified_levels, case.request_types))
    print(f"Identity verified: {reached}" + (f"   still needed: {still}" if still else ""))
    if case.outcome_reason:
        print(f"Outcome: {case.outcome_reason}")
    if case.inform_authority:
        print("The supervisory authority is to be informed of this refusal.")
    print("Requests:")
    for request in case.requests:
        details = ", ".join(f"{k}={v}" for k, v in sorted(request.details.items()))
        print(f"  #{request.id} {request.request_type} by {request.channel}, "
              f"received {request.received_at:%Y-%m-%d}" + (f": {details}" if details else ""))
    print("Audit trail:")
    for event in case.events:
        line = f"  {event.at:%Y-%m-%d %H:%M} {event.actor}: {event.action}"
        if event.reason:
            line += f" ({event.reason})"
        print(line)
