"""Letters and cases for the mail tests: the .eml fixtures, and a case we already wrote to."""
from __future__ import annotations

import logging
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from bot import cases, outbox
from bot.models import Case, OutboundEmail, utcnow
from bot.requests import Channel, RequestType

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "mail"
OUR_ID = "<5b0f2c8e9d1a4c7fb3e6a2d4c8f0e1b2@example.com>"  # the Message-ID of our email the fixtures answer
REFERENCE = "PD-7K3M-Q9TX"                                # the case reference in the fixtures' subjects
REQUESTER = "jordan.example@example.org"


def fixture(name: str) -> bytes:
    return (FIXTURES / f"{name}.eml").read_bytes()


def case_we_wrote_to(session, *, email: str = REQUESTER, request_type=RequestType.CALL_RECORDING) -> Case:
    """An open case whose requester we asked for details, by an email with the fixtures' Message-ID."""
    case = cases.open_case(session, cases.NewRequest(request_types=[request_type], channel=Channel.CHAT,
                                                     email=email, complete=False)).case
    case.reference = REFERENCE
    case.conversation_id = "chat-visitor-1"
    sent = outbox.enqueue(session, case=case, kind="details_request", to=email, subject="Call recording",
                          body_text="Which number, date and time?")
    sent.message_id = OUR_ID
    session.flush()
    return case


def letter(sender: str, subject: str, body: str, *, in_reply_to: str | None = None, **headers) -> bytes:
    """A plain letter as a person's mail program would send it."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "privacy@example.com"
    message["Subject"] = subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain="mail.example.org")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return bytes(message)


def replies_to(session, address: str) -> list[OutboundEmail]:
    from sqlalchemy import select
    return list(session.execute(select(OutboundEmail).where(OutboundEmail.to_address == address,
                                                            OutboundEmail.kind == "mail_reply")
                                .order_by(OutboundEmail.id)).scalars())


# Words of the fixtures' people that must never reach a log line: names, addresses, numbers, subjects.
PERSONAL = ("erika", "mustermann", "dupont", "jordan", "maria", "hélène", "helene", "example.org", "07700",
            "900123", "900456", "auskunft", "effacement", "recording", "delete")


def assert_no_personal_data(records, *, at_least: int) -> None:
    """Our own log lines at every level, everyone's from INFO up (production logs at INFO)."""
    ours = [r for r in records if r.name.startswith("privacy_desk") or r.levelno >= logging.INFO]
    assert len(ours) > at_least  # the pipeline does log, just not about people
    for record in ours:
        line = record.getMessage().lower()
        assert not [word for word in PERSONAL if word in line], line
