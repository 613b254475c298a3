"""What a case has proven about the requester's identity, and what that proof still lacks.

The policy itself (which request types need which levels) lives in bot/verification_policy.py; this module
records a level once it is proven and, when the policy is satisfied, sends the case to the DPO queue.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from bot import handoff, notices, settings
from bot.audit import SYSTEM, record
from bot.lifecycle import Status, transition
from bot.models import Case
from bot.verification_policy import DOCUMENT, EMAIL, LEVELS, PHONE, POLICY, is_satisfied
from bot.requests import RequestType


def record_level(session: Session, case: Case, level: str, *, actor: str, data: dict | None = None) -> bool:
    """Add a proven level (audit event in the same transaction). True when the policy is now satisfied."""
    if level not in LEVELS:
        raise ValueError(f"Unknown verification level {level!r}; one of {', '.join(LEVELS)}.")
    reached = case.verified_levels | {level}
    case.verification_level = ",".join(lv for lv in LEVELS if lv in reached)
    record(session, case, actor=actor, action="identity_verified", data={"level": level, **(data or {})})
    if not is_satisfied(reached, case.request_types):
        return False
    if case.status == Status.AWAITING_VERIFICATION.value:
        transition(session, case, Status.VERIFIED, actor=actor,
                   reason="Identity verified as the policy requires for " + ", ".join(case.request_types))
        handoff.hand_off(session, case, reason="verified")
    return True


def next_level(case: Case) -> str | None:
    """The next level to prove, in the order people can do them (email, phone, then a document that staff
    check); None when the next one needs an email address the case does not have."""
    reached = case.verified_levels
    possible = {DOCUMENT} | ({EMAIL} if case.requester_email else set()) | ({PHONE} if case.requester_phone else set())
    wanted: set[str] = set()
    for request_type in case.request_types:
        alternatives = POLICY[RequestType(request_type)]
        if any(alternative <= reached for alternative in alternatives):
            continue
        usable = [a for a in alternatives if a - reached <= possible] or alternatives
        # Prefer what the requester can do alone over a document check that waits for staff.
        wanted |= min(usable, key=lambda a: (DOCUMENT in a - reached, len(a - reached))) - reached
    for level in (EMAIL, PHONE, DOCUMENT):
        if level in wanted:
            return level if level in possible else None
    return None


def open_task(session: Session, case: Case, task: str) -> bool:
    """A task for staff (audit event + staff email), once per case. False when it was already open.

    Tasks: call_back, document_check, email_address_needed (texts in bot/texts/<lang>.py TASKS)."""
    if any(e.action == "task_opened" and (e.data or {}).get("task") == task for e in case.events):
        return False
    record(session, case, actor=SYSTEM, action="task_opened", data={"task": task})
    notices.notify_staff(session, case, "staff_task",
                         task=notices.phrase(settings.get("default_language"), "TASKS", task))
    return True
