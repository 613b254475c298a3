"""What the case page gathers about one case: the email thread, the chat transcripts, the verification state.

The thread shows what we sent the requester (the outbox, without notices to staff) and what they wrote:
letters stored by mail_ingest/ (its InboundLetter table, read when that area is installed) and whatever
other source is added with `register_inbound_source(fn)`, where fn(session, case) returns ThreadMessage
items; all in time order.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.console.present import status_label
from bot.models import Case, OutboundEmail
from bot.verification_policy import missing_levels


@dataclass(frozen=True)
class ThreadMessage:
    at: datetime
    direction: str        # "in" from the requester, "out" from us
    address: str          # the requester's address (to or from)
    subject: str
    body: str
    status: str = ""      # for outgoing mail: queued, sent, failed...


InboundSource = Callable[[Session, Case], "list[ThreadMessage]"]
INBOUND_SOURCES: list[InboundSource] = []


def register_inbound_source(source: InboundSource) -> None:
    if source not in INBOUND_SOURCES:
        INBOUND_SOURCES.append(source)


def email_thread(session: Session, case: Case) -> list[ThreadMessage]:
    sent = session.execute(select(OutboundEmail).where(OutboundEmail.case_id == case.id,
                                                       OutboundEmail.kind.not_like("staff_%"))
                           .order_by(OutboundEmail.created_at, OutboundEmail.id)).scalars()
    messages = [ThreadMessage(at=email.sent_at or email.created_at, direction="out", address=email.to_address,
                              subject=email.subject, body=email.body_text, status=email.status) for email in sent]
    for source in INBOUND_SOURCES:
        messages.extend(source(session, case))
    return sorted(messages, key=lambda message: message.at)


def letters_received(session: Session, case: Case) -> list[ThreadMessage]:
    """Emails and letters from the requester, as mail_ingest stored them (nothing when it is not installed)."""
    try:
        from mail_ingest.models import InboundLetter
    except ImportError:
        return []
    rows = session.execute(select(InboundLetter).where(InboundLetter.case_id == case.id)).scalars()
    return [ThreadMessage(at=row.received_at, direction="in", address=row.from_address or "",
                          subject=row.subject, body=row.body_text) for row in rows]


register_inbound_source(letters_received)


def transcripts(case: Case) -> list[dict]:
    """Each escalation's conversation as the assistant recorded it: [{"at", "reason", "lines"}]."""
    found = []
    for event in case.events:
        lines = (event.data or {}).get("transcript") if event.action == "escalated" else None
        if isinstance(lines, list):
            found.append({"at": event.at, "reason": event.reason or "",
                          "lines": [_line(line) for line in lines if isinstance(line, dict)]})
    return found


def _line(line: dict) -> dict:
    speaker = "Requester" if line.get("from") == "requester" else "Assistant"
    return {"speaker": speaker, "text": str(line.get("text", "")), "at": str(line.get("at", ""))[:19]}


def verification_state(case: Case) -> dict:
    missing = missing_levels(case.verified_levels, case.request_types)
    return {"reached": sorted(case.verified_levels), "missing": missing, "complete": not missing}


def event_details(event) -> list[tuple[str, str]]:
    """An audit event's data as label/value pairs; the transcript is shown on its own, not repeated here."""
    data = dict(event.data or {})
    if event.action == "status_changed" and "from" in data and "to" in data:
        move = f"{status_label(data.pop('from'))} → {status_label(data.pop('to'))}"
        return [("status", move)] + event_details_of(data)
    return event_details_of(data)


def event_details_of(data: dict) -> list[tuple[str, str]]:
    return [(key.replace("_", " "), _flat(value)) for key, value in sorted(data.items()) if key != "transcript"]


def _flat(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):  # counts of what a purge, erasure or export touched: "letters 2, emails 3"
        return ", ".join(f"{str(k).replace('_', ' ')} {_flat(v)}" for k, v in sorted(value.items()))
    return "" if value is None else str(value)
