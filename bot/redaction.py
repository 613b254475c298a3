"""Reducing a case to its minimal record, when its retention ends or its person's data is erased.

What stays is what shows the request was handled lawfully: the reference, the request types and channels,
the dates, the status and outcome, and in the audit trail who did what and when. What goes is everything
that says who the person is or what they wrote: name, email address, phone, request details, transcripts,
notes, the letters they sent and the emails we sent them, and the assistant's record of their chats.
"""
from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from bot import chat_store
from bot.audit import record
from bot.lifecycle import OPEN
from bot.models import Case, CaseEvent, OutboundEmail
from bot.verification_models import SealedPart
from mail_ingest.models import DeadLetter, InboundLetter

REDUCED = "personal_data_reduced"  # the audit event a reduction writes, with counts only

# Audit data kept after a reduction: statuses, request types, dates, counts, staff names, references.
# Anything else (transcripts, attachment names, documents seen, free text) goes with the reason.
KEPT_EVENT_DATA = frozenset({"from", "to", "request_types", "request_type", "channel", "status", "months",
                             "kind", "level", "days", "task", "fields", "split_from", "new_case", "why",
                             "counts", "references", "erasure_case"})
REMOVED = "[removed]"


def reduce_case(session: Session, case: Case, *, actor: str, now: datetime, why: str,
                erasure_case: str | None = None) -> dict[str, int]:
    """Remove the personal data of one case and record, on the case, how much was removed.

    Returns the number of items reduced per kind; nothing is recorded when there was nothing left to remove,
    so reducing a case twice changes nothing the second time."""
    counts = {"requester_details": _reduce_case_row(case),
              "request_details": _reduce_requests(case),
              "chat_events": _forget_conversations(session, case),
              "letters": reduce_letters(session, select(InboundLetter.id).where(InboundLetter.case_id == case.id)),
              "emails": reduce_emails(session, select(OutboundEmail.id).where(OutboundEmail.case_id == case.id)),
              "audit_events": _reduce_events(session, case, now)}
    if any(counts.values()):
        data = {"why": why, "counts": counts, **({"erasure_case": erasure_case} if erasure_case else {})}
        record(session, case, actor=actor, action=REDUCED, data=data)
    session.flush()
    return counts


def _reduce_case_row(case: Case) -> int:
    """The requester's identity goes; outcome and extension reasons stay (the law asks for them) with any
    mention of the person taken out."""
    who = [case.requester_name, case.requester_email, case.requester_phone]
    case.outcome_reason = scrub(case.outcome_reason, who)
    case.extension_reason = scrub(case.extension_reason, who)
    removed = sum(value is not None for value in who)
    case.requester_name = case.requester_email = case.requester_phone = None
    return removed


def scrub(text: str | None, identifiers) -> str | None:
    for identifier in filter(None, identifiers):
        if text:
            text = re.sub(re.escape(identifier), REMOVED, text, flags=re.IGNORECASE)
    return text


def _reduce_requests(case: Case) -> int:
    reduced = 0
    for request in case.requests:
        if request.details:
            request.details = {}
            reduced += 1
    return reduced


def _forget_conversations(session: Session, case: Case) -> int:
    """The assistant's record of the case's chats, unless an open case still works from the same chat."""
    conversations = {c for c in (case.conversation_id, chat_store.mail_conversation(case.reference)) if c}
    shared = select(Case.conversation_id).where(Case.id != case.id, Case.status.in_([s.value for s in OPEN]),
                                                Case.conversation_id.in_(conversations))
    conversations -= set(session.execute(shared).scalars())
    case.conversation_id = None  # later messages in that chat are then a conversation without a case
    return chat_store.delete_conversations(session, conversations)


def reduce_letters(session: Session, which) -> int:
    """Letters (ids selected by `which`) keep their dates, status and dedupe key, so the mailbox is never
    read into a new case again; their sender, text, attachments and raw message go."""
    letters = list(session.execute(select(InboundLetter).where(InboundLetter.id.in_(which),
                                                               or_(InboundLetter.from_address.isnot(None),
                                                                   InboundLetter.body_text != ""))).scalars())
    for letter in letters:
        letter.from_address, letter.subject, letter.body_text, letter.raw = None, "", "", None
        letter.attachments, letter.parse_errors, letter.last_error = [], [], None
    ids = [letter.id for letter in letters]
    if ids:
        session.execute(update(DeadLetter).where(DeadLetter.letter_id.in_(ids))
                        .values(headers=None, raw=None, error=None).execution_options(synchronize_session=False))
    return len(letters)


def reduce_emails(session: Session, which) -> int:
    """Emails (ids selected by `which`) keep their kind, status and dates; address, subject and text go.
    One still waiting is not sent any more: it would have nowhere to go."""
    emails = list(session.execute(select(OutboundEmail).where(OutboundEmail.id.in_(which),
                                                              OutboundEmail.to_address != "")).scalars())
    for email in emails:
        email.to_address, email.body_text, email.body_html, email.last_error = "", "", None, None
        email.subject = f"[{email.case.reference}]" if email.case is not None else ""
        if email.status in ("queued", "sending"):
            email.status, email.last_error = "failed", "Not sent: the personal data of its case was removed."
    ids = [email.id for email in emails]
    if ids:
        session.query(SealedPart).filter(SealedPart.outbound_email_id.in_(ids)).delete(synchronize_session=False)
    return len(emails)


def _reduce_events(session: Session, case: Case, now: datetime) -> int:
    """The one change the database accepts on the audit trail (migration 0005): once per event. Earlier
    reductions' own events hold counts only and are left as they are."""
    session.flush()  # earlier events of this transaction must be rows before they are reduced
    rows = session.execute(select(CaseEvent.id, CaseEvent.data).where(
        CaseEvent.case_id == case.id, CaseEvent.redacted_at.is_(None), CaseEvent.action != REDUCED)).all()
    for event_id, data in rows:
        kept = {key: value for key, value in (data or {}).items() if key in KEPT_EVENT_DATA}
        session.execute(update(CaseEvent).where(CaseEvent.id == event_id)
                        .values(reason=None, data=kept, redacted_at=now)
                        .execution_options(synchronize_session=False))
    session.expire(case, ["events"])
    return len(rows)


def left_to_reduce():
    """SQL condition: the case still holds something a reduction removes."""
    unreduced = (select(CaseEvent.id).where(CaseEvent.case_id == Case.id, CaseEvent.redacted_at.is_(None),
                                            CaseEvent.action != REDUCED).exists())
    return or_(
        Case.requester_name.isnot(None), Case.requester_email.isnot(None), Case.requester_phone.isnot(None),
        func.coalesce(Case.conversation_id, "") != "", unreduced)
