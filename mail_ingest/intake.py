"""Taking a letter in: stored once, with the case it opens or continues, in one transaction.

The letter's dedupe key is unique in the database, so fetching the same message twice (a crash before
the mailbox was tidied, a UIDVALIDITY change, two pollers) stores it once and opens one case.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import cases, chat_store, db
from bot.audit import SYSTEM, record
from bot.lifecycle import CLOSED
from bot.models import Case, utcnow
from bot.requests import Channel, RequestType
from mail_ingest import filters, followup
from mail_ingest.models import NOT_ANSWERED, TO_ANSWER, InboundLetter
from mail_ingest.parse import Letter, parse
from mail_ingest.reading import Reader, Reading, what_to_read

log = logging.getLogger("privacy_desk.mail")


@dataclass(frozen=True)
class Source:
    mailbox: str | None = None
    uidvalidity: int | None = None
    uid: int | None = None
    arrived_at: datetime | None = None  # the server's INTERNALDATE: when the letter reached us


@dataclass(frozen=True)
class Stored:
    letter_id: int
    case_reference: str | None
    status: str
    duplicate: bool = False


def take_in(raw: bytes, source: Source, reader: Reader, *, url: str | None = None) -> Stored:
    letter = parse(raw)
    try:
        with db.session_scope(url) as session:
            return _already_stored(session, letter.dedupe_key) or _store(session, letter, source, reader)
    except IntegrityError:
        # Someone else stored it between our look and our write: theirs stands, ours rolled back whole.
        with db.session_scope(url) as session:
            found = _already_stored(session, letter.dedupe_key)
        if found is None:
            raise
        return found


def _already_stored(session: Session, key: str) -> Stored | None:
    row = session.execute(select(InboundLetter).where(InboundLetter.dedupe_key == key)).scalar_one_or_none()
    if row is None:
        return None
    return Stored(row.id, row.case.reference if row.case else None, row.status, duplicate=True)


def _store(session: Session, letter: Letter, source: Source, reader: Reader) -> Stored:
    case = followup.case_of(session, letter)
    findings = filters.screen(letter, session)
    machine = any(f.machine for f in findings)
    reading = reader.read(letter, previous_language=case.language if case is not None else None)
    received_at = min(source.arrived_at or utcnow(), utcnow())
    follows = None
    if case is not None and case.status in {s.value for s in CLOSED} and not machine:
        follows, case = case.reference, None  # a new request after the case was closed: a new case
    words = what_to_read(letter.text, letter.subject)
    if case is None and not machine:
        case = _open(session, letter, reading, received_at, follows, words)
    elif case is not None and not machine:
        _continue(case, reading)
    answerable = case is not None and not findings and bool(words)
    row = _letter_row(letter, source, reading, received_at, case, findings, answerable)
    session.add(row)
    session.flush()  # the unique dedupe key is checked here, before anything else is committed
    if case is not None:
        _note_letter(session, case, row, reading, findings, follows)
        if not machine and not answerable and not case.needs_human:
            _ask_staff(session, case, letter, "A letter was not answered automatically ("
                       + (", ".join(f.reason for f in findings) or "nothing to read") + ").")
        if any(f.reason == "delivery_report" for f in findings):
            _ask_staff(session, case, letter, "An email to the requester could not be delivered.")
    log.info("letter %s stored: case %s, %s", row.id, case.reference if case else "none", row.status)
    return Stored(row.id, case.reference if case else None, row.status)


def _open(session: Session, letter: Letter, reading: Reading, received_at: datetime, follows: str | None,
          words: str) -> Case:
    new = cases.NewRequest(
        request_types=reading.request_types, channel=Channel.EMAIL, language=reading.reply_language,
        name=letter.from_name, email=letter.from_address, phone=reading.details.get("phone"),
        details={k: v for k, v in reading.details.items() if k in ("call_date", "call_time")}
        if RequestType.CALL_RECORDING in reading.request_types else {},
        received_at=received_at, complete=_complete(reading))
    if not new.request_types:
        reason = "The assistant could not tell what this letter asks for." if words else "The letter is empty."
        case = cases.escalate(session, reason=reason, transcript=_transcript(letter, received_at), new=new)
    else:
        case = cases.open_case(session, new).case
    if not case.conversation_id:
        case.conversation_id = conversation_of(case)
    if follows:
        record(session, case, actor=SYSTEM, action="note", reason=f"Written after case {follows} was closed.")
    return case


def _complete(reading: Reading) -> bool:
    """A call recording cannot be found without the number, the date and the time of the call."""
    if RequestType.CALL_RECORDING not in reading.request_types:
        return True
    return all(reading.details.get(k) for k in ("phone", "call_date", "call_time"))


def _continue(case: Case, reading: Reading) -> None:
    """Details the person gives in a reply are not asked for again."""
    if reading.details.get("phone") and not case.requester_phone:
        case.requester_phone = reading.details["phone"]
    for request in case.requests:
        missing = {k: v for k, v in reading.details.items()
                   if k in ("call_date", "call_time") and not (request.details or {}).get(k)}
        if missing and request.request_type == "call_recording":
            request.details = {**(request.details or {}), **missing}


def _note_letter(session: Session, case: Case, row: InboundLetter, reading: Reading, findings,
                 follows: str | None) -> None:
    reasons = ", ".join(f.reason for f in findings)
    record(session, case, actor=SYSTEM, action="letter_received",
           reason=f"Not answered automatically: {reasons}" if reasons else None,
           data={"letter": row.id, "request_types": [t.value for t in reading.request_types],
                 "attachments": [a["name"] for a in row.attachments], "follows": follows,
                 "details_found": sorted(reading.details)})


def _ask_staff(session: Session, case: Case, letter: Letter, reason: str) -> None:
    cases.escalate(session, reason=reason, transcript=_transcript(letter, utcnow()), reference=case.reference)


def _transcript(letter: Letter, at: datetime) -> list[dict]:
    return [{"from": "requester", "text": what_to_read(letter.text, letter.subject)[:4000], "at": at.isoformat()}]


def conversation_of(case: Case) -> str:
    """The assistant's conversation for a case's letters: replies continue it."""
    return chat_store.mail_conversation(case.reference)


def _letter_row(letter: Letter, source: Source, reading: Reading, received_at: datetime, case: Case | None,
                findings, answerable: bool) -> InboundLetter:
    return InboundLetter(
        dedupe_key=letter.dedupe_key, message_id=letter.message_id, mailbox=source.mailbox,
        uidvalidity=source.uidvalidity, uid=source.uid, case=case, from_address=letter.from_address,
        subject=letter.subject, sent_at=letter.date, received_at=received_at, language=reading.language[:8],
        request_types=[t.value for t in reading.request_types],
        attachments=[{"name": a.name, "type": a.content_type, "size": a.size} for a in letter.attachments],
        body_text=letter.text, in_reply_to=letter.in_reply_to, references=" ".join(letter.references) or None,
        status=TO_ANSWER if answerable else NOT_ANSWERED, no_reply_reasons=[f.reason for f in findings],
        parse_errors=letter.errors, raw=letter.raw if letter.errors else None, answer_attempts=0,
        next_answer_at=utcnow() if answerable else None, created_at=utcnow())

