"""Erasure that reaches Privacy Desk's own records: when staff fulfil an erasure request, what Privacy Desk
itself holds about the person can go too.

The person is found as bot/person_records.py finds them for an access copy: by the contact details their
erasure case proved (an email code or link, a phone code or call back); a detail merely typed could be
someone else's. Their other cases are reduced
to their minimal record (bot/redaction.py); so are the letters they wrote and the emails sent to them that
belong to no case, and dead letters from their address.

An open case of theirs stops the erasure, with its reference: it is a request still owed an answer, by
a deadline, to the contact details that would be erased. Staff close it first (or fulfil without erasing).

The erasure case itself is left as it is: its emails must still reach the person (the confirmation is
queued in the same transaction), and it is the record that the erasure was done. Retention reduces it like
any closed case.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.audit import record
from bot.cases import CaseConflict
from bot.lifecycle import OPEN
from bot.models import Case, OutboundEmail
from bot.person_records import Person, cases_of, proven_person
from bot.redaction import reduce_emails, reduce_letters, reduce_case
from bot.requests import RequestType
from mail_ingest.models import DeadLetter, InboundLetter

ERASED = "own_data_erased"


def erase_own_data(session: Session, erasure: Case, *, actor: str, now: datetime) -> dict:
    """Reduce everything else Privacy Desk holds about the erasure case's person; the result is recorded
    on the erasure case (counts and references, no personal data) and returned."""
    if RequestType.ERASURE.value not in erasure.request_types:
        raise CaseConflict(f"Case {erasure.reference} holds no erasure request; Privacy Desk's own data is "
                           "erased only to fulfil one.")
    who = proven_person(erasure)
    if not (who.email or who.phone):
        raise CaseConflict(f"Case {erasure.reference} has no proven email address or phone number, so the "
                           "person's other records cannot be told apart from someone else's; nothing was erased.")
    others = _other_cases(session, erasure, who)
    still_open = [c.reference for c in others if c.status in {s.value for s in OPEN}]
    if still_open:
        raise CaseConflict(f"This requester has open case(s) {', '.join(still_open)}: close them first, or "
                           "fulfil without erasing Privacy Desk's own data. Nothing was changed.")
    counts: dict[str, int] = {}
    for case in others:
        _add(counts, reduce_case(session, case, actor=actor, now=now, why="erasure",
                                 erasure_case=erasure.reference))
    _add(counts, _caseless_records(session, erasure, who))
    result = {"counts": counts, "references": [c.reference for c in others]}
    record(session, erasure, actor=actor, action=ERASED, data=result)
    return result


def _other_cases(session: Session, erasure: Case, who: Person) -> list[Case]:
    return [case for case in cases_of(session, erasure, who) if case.id != erasure.id]


def _caseless_records(session: Session, erasure: Case, who: Person) -> dict[str, int]:
    """Letters from the person and emails to them outside any other case; never the erasure case's own."""
    if not who.email:
        return {}
    address = who.email.lower()
    not_the_erasure = or_(InboundLetter.case_id.is_(None), InboundLetter.case_id != erasure.id)
    letters = select(InboundLetter.id).where(func.lower(InboundLetter.from_address) == address, not_the_erasure)
    emails = select(OutboundEmail.id).where(func.lower(OutboundEmail.to_address) == address,
                                            or_(OutboundEmail.case_id.is_(None), OutboundEmail.case_id != erasure.id))
    return {"letters": reduce_letters(session, letters), "emails": reduce_emails(session, emails),
            "dead_letters": _dead_letters_from(session, address)}


def _dead_letters_from(session: Session, address: str) -> int:
    """Dead letters are few and hold raw messages: read them rather than trust a LIKE on bytes."""
    found = 0
    for dead in session.execute(select(DeadLetter).where(or_(DeadLetter.headers.isnot(None),
                                                             DeadLetter.raw.isnot(None)))).scalars():
        text = (dead.headers or "").lower().encode() + b"\n" + (dead.raw or b"").lower()
        if address.encode() in text:
            dead.headers, dead.raw, dead.error = None, None, None
            found += 1
    return found


def _add(total: dict[str, int], more: dict[str, int]) -> None:
    for kind, number in more.items():
        total[kind] = total.get(kind, 0) + number
