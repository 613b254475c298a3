"""Everything Privacy Desk holds about one person: their cases, the audit trail of those cases, their chats,
the letters they wrote and the emails we sent them. One place, so an access copy and an erasure find the
same records; how they are presented is for the caller.

A person is known by the contact details their case proved, never by a name (names are shared): the email
address once its code or link was used, the phone number once its code or a call back succeeded. A detail
merely typed could be someone else's, and matching on it would hand that person's records to the wrong one.
Letters count by who sent them: a letter threaded into the person's case from another address is not theirs,
nor is what the assistant answered it, nor its text copied into an escalation.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot import chat_history
from bot.chat_history import PERSON, ChatMessage
from bot.contact import InvalidContact, normalise_email, normalise_phone
from bot.models import Case, CaseEvent, OutboundEmail
from bot.verification_policy import EMAIL, PHONE
from mail_ingest.intake import conversation_of
from mail_ingest.models import InboundLetter
from mail_ingest.reading import what_to_read


@dataclass(frozen=True)
class Person:
    email: str | None   # proven, normalised; compared without regard to case
    phone: str | None   # proven, E.164


@dataclass(frozen=True)
class AuditEntry:
    case_reference: str
    at: datetime
    actor: str                 # the member of staff by name, or privacy-desk for what it did on its own
    action: str
    reason: str | None
    details: dict              # the event's data, without the transcript
    transcript: list[dict]     # for an escalation: the person's conversation so far


@dataclass
class PersonRecords:
    person: Person
    cases: list[Case]
    audit_trail: list[AuditEntry]
    chat: list[ChatMessage]
    letters: list[InboundLetter]                  # letters the person sent, from their own address
    emails_sent: list[OutboundEmail]              # emails (and texts) addressed to them
    letters_from_others: list[InboundLetter] = field(default_factory=list)  # threaded into their cases

    @property
    def conversation_ids(self) -> list[str]:
        """The chats of their cases, and the conversation their letters were answered in (a case opened by chat
        keeps the chat as its conversation_id, yet letters about it go to the case's own email conversation)."""
        return sorted({c.conversation_id for c in self.cases if c.conversation_id}
                      | {conversation_of(c) for c in self.cases})


def proven_person(case: Case) -> Person:
    levels = case.verified_levels
    return Person(email=_email(case.requester_email) if EMAIL in levels else None,
                  phone=_phone(case.requester_phone) if PHONE in levels else None)


def find(session: Session, case: Case) -> PersonRecords:
    """Everything held about the requester of `case` (the case itself always included)."""
    person = proven_person(case)
    found = cases_of(session, case, person)
    case_ids = [c.id for c in found]
    theirs, others = _letters(session, case_ids, person)
    records = PersonRecords(person=person, cases=found, audit_trail=[], chat=[], letters=theirs,
                            emails_sent=_emails(session, person), letters_from_others=others)
    records.audit_trail = _audit_trail(found, others)
    records.chat = _own_messages(chat_history.messages(session, records.conversation_ids), person)
    return records


def cases_of(session: Session, case: Case, person: Person) -> list[Case]:
    """`case` and every other case whose requester has the person's proven email address or phone number."""
    who = [Case.id == case.id]
    if person.email:
        who.append(func.lower(Case.requester_email) == person.email.lower())
    if person.phone:
        who.append(Case.requester_phone == person.phone)
    return list(session.execute(select(Case).where(or_(*who)).order_by(Case.received_at, Case.id)).scalars())


def _letters(session: Session, case_ids: list[int], person: Person):
    theirs = []
    if person.email:
        theirs = list(session.execute(select(InboundLetter).where(
            func.lower(InboundLetter.from_address) == person.email.lower()).order_by(
            InboundLetter.received_at, InboundLetter.id)).scalars())
    mine = {letter.id for letter in theirs}
    on_their_cases = session.execute(select(InboundLetter).where(InboundLetter.case_id.in_(case_ids))
                                     .order_by(InboundLetter.id)).scalars() if case_ids else []
    return theirs, [letter for letter in on_their_cases if letter.id not in mine]


def _emails(session: Session, person: Person) -> list[OutboundEmail]:
    to = []
    if person.email:
        to.append(func.lower(OutboundEmail.to_address) == person.email.lower())
    if person.phone:  # text messages sit in the outbox too, addressed to the number
        to.append(OutboundEmail.to_address == person.phone)
    if not to:
        return []
    return list(session.execute(select(OutboundEmail).where(or_(*to))
                                .order_by(OutboundEmail.created_at, OutboundEmail.id)).scalars())


def _audit_trail(found: list[Case], others: list[InboundLetter]) -> list[AuditEntry]:
    other_ids = {letter.id for letter in others}
    # An escalation copies a letter's text (at most 4000 characters) into its transcript: recognise others'.
    other_texts = {what_to_read(letter.body_text, letter.subject)[:4000] for letter in others}
    entries = []
    for case in found:
        for event in case.events:
            if _about_others(event, other_ids):
                continue
            entries.append(_entry(case, event, other_texts))
    return entries


def _about_others(event: CaseEvent, other_ids: set[int]) -> bool:
    return (event.data or {}).get("letter") in other_ids


def _entry(case: Case, event: CaseEvent, other_texts: set[str]) -> AuditEntry:
    data = dict(event.data or {})
    lines = data.pop("transcript", None)
    transcript = [line for line in lines if isinstance(line, dict)
                  and str(line.get("text", "")) not in other_texts] if isinstance(lines, list) else []
    return AuditEntry(case_reference=case.reference, at=event.at, actor=event.actor, action=event.action,
                      reason=event.reason, details=data, transcript=transcript)


def _own_messages(messages: list[ChatMessage], person: Person) -> list[ChatMessage]:
    """Drop what another sender wrote into the conversation of the person's case, and the answers to it."""
    speaking_for_other: dict[str, bool] = {}
    kept = []
    for message in messages:
        if message.speaker == PERSON:
            speaking_for_other[message.conversation_id] = _from_someone_else(message, person)
        if not speaking_for_other.get(message.conversation_id, False):
            kept.append(message)
    return kept


def _from_someone_else(message: ChatMessage, person: Person) -> bool:
    if not message.from_address:
        return False  # a chat: the conversation itself is the person's
    return not (person.email and message.from_address.lower() == person.email.lower())


def _email(value: str | None) -> str | None:
    try:
        return normalise_email(value) if value else None
    except InvalidContact:
        return value  # stored before today's rules; it is still what the person proved


def _phone(value: str | None) -> str | None:
    try:
        return normalise_phone(value) if value else None
    except InvalidContact:
        return value
