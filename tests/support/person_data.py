"""A person's data spread over every table Privacy Desk writes, and a dump of the whole database to search.

Used by tests/test_retention.py and tests/test_own_erasure.py; no tests here.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import MetaData, insert, select

from bot import cases, chat_store, db, outbox
from bot.lifecycle import Status, transition
from bot.requests import Channel, RequestType
from mail_ingest.models import DeadLetter, InboundLetter


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    phone: str
    conversation: str

    @property
    def identifiers(self) -> tuple[str, str, str]:
        return self.name, self.email, self.phone


JANE = Person("Jane Quillfeather", "jane.quill@example.org", "+447700900123", "chat-jane")
BOB = Person("Bob Marrowby", "bob.marrow@example.net", "+447700900456", "chat-bob")


def create_chat_table(store: str) -> None:
    """Rasa creates it on its first start; the tests create it from Privacy Desk's own description."""
    chat_store.metadata.create_all(db.engine_for(store))


def add_chat(store: str, conversation: str, at: datetime, text: str) -> None:
    with db.engine_for(store).begin() as connection:
        for offset, (kind, said) in enumerate((("user", text), ("bot", "Which email address?"))):
            connection.execute(insert(chat_store.events).values(
                sender_id=conversation, type_name=kind, timestamp=at.timestamp() + offset,
                intent_name="request_erasure" if kind == "user" else None,
                data=json.dumps({"event": kind, "text": said, "timestamp": at.timestamp() + offset})))


def chat_events(store: str, conversation: str) -> int:
    with db.engine_for(store).connect() as connection:
        return len(connection.execute(select(chat_store.events.c.id)
                                      .where(chat_store.events.c.sender_id == conversation)).all())


def open_case_of(store: str, person: Person, types=(RequestType.ACCESS,), *, letter: bool = True,
                 chat: bool = True) -> str:
    """A case with everything that can hold the person's data: details, a transcript, a note, a letter
    (with its raw message and a dead letter), an email to them and the chat it came from."""
    new = cases.NewRequest(request_types=list(types), channel=Channel.CHAT, name=person.name, email=person.email,
                           phone=person.phone, details={"call_date": "2026-01-05", "note": f"I am {person.name}"},
                           conversation_id=person.conversation)
    with db.session_scope(store) as session:
        case = cases.open_case(session, new).case
        cases.escalate(session, reason=f"{person.name} asked for a person", reference=case.reference,
                       transcript=[{"from": "requester", "text": f"my email is {person.email}", "at": "2026-01-05"}])
        cases.add_note(session, case.reference, f"Called {person.name} on {person.phone}", actor="Dana Officer")
        outbox.enqueue(session, case=case, kind="information_request", to=person.email,
                       subject=f"Hello {person.name}", body_text=f"Dear {person.name}, your number {person.phone}")
        if letter:
            _letter(session, person, case.id, f"{case.reference}-letter")
        reference = case.reference
    if chat:
        create_chat_table(store)
        add_chat(store, person.conversation, datetime.now(timezone.utc), f"erase me, {person.email}")
    return reference


def _letter(session, person: Person, case_id: int | None, key: str) -> InboundLetter:
    raw = f"From: {person.name} <{person.email}>\r\nSubject: my data\r\n\r\nCall me on {person.phone}".encode()
    letter = InboundLetter(dedupe_key=key, case_id=case_id, from_address=person.email, subject="my data",
                           received_at=datetime.now(timezone.utc), language="en", request_types=["access"],
                           attachments=[{"name": f"{person.name}.pdf", "type": "application/pdf", "size": 1}],
                           body_text=f"I am {person.name}, {person.phone}", status="answered", raw=raw)
    session.add(letter)
    session.flush()
    session.add(DeadLetter(mailbox="INBOX", uidvalidity=1, uid=letter.id, reason="failing", status="resolved",
                           headers=f"From: {person.email}", raw=raw, error="parse failed", letter_id=letter.id))
    return letter


def add_caseless_letter(store: str, person: Person, key: str) -> None:
    with db.session_scope(store) as session:
        _letter(session, person, None, key)


def verified_and_claimed(store: str, reference: str, levels: str = "email") -> None:
    with db.session_scope(store) as session:
        case = cases.get_case(session, reference)
        case.verification_level = levels
        transition(session, case, Status.VERIFIED, actor="test")
        cases.claim(session, reference, staff="Dana Officer")


def closed(store: str, reference: str) -> datetime:
    """Fulfilled now; when it closed."""
    verified_and_claimed(store, reference)
    with db.session_scope(store) as session:
        return cases.fulfil(session, reference, actor="Dana Officer", note="Copy sent").closed_at


def dump(store: str) -> str:
    """Every row of every table as text: SQLite's own dump (blobs in hex), else each row of each table."""
    if store.startswith("sqlite"):
        with sqlite3.connect(store.split("///", 1)[1]) as connection:
            return "\n".join(connection.iterdump())
    return "\n".join(f"{table}: {' | '.join(map(str, row.values()))}" for table, row in every_row(store))


def every_row(store: str):
    """(table name, {column: value}) of every row of every table, found by reflection; blobs in clear and hex."""
    tables = MetaData()
    engine = db.engine_for(store)
    tables.reflect(bind=engine)
    with engine.connect() as connection:
        for table in tables.sorted_tables:
            for row in connection.execute(select(table)).mappings():
                yield table.name, {key: _text(value) for key, value in row.items()}


def _text(value):
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex() + " " + bytes(value).decode("latin-1")
    return value


def lines_with(text: str, person: Person) -> list[str]:
    """Lines of a dump that mention the person, in clear or hex-encoded (SQLite dumps blobs as hex)."""
    needles = [value.lower() for value in person.identifiers]
    needles += [value.encode().hex() for value in person.identifiers]
    return [line for line in text.splitlines() if any(n in line.lower() for n in needles)]
