"""Nothing a requester writes can add a header or a recipient to an email Privacy Desk sends: hostile subjects
(raw and encoded-word CR/LF), message ids, From lines and names go through the real pipeline (Dovecot, the
poller, the outbox, the sender) to a real SMTP server (aiosmtpd), which is asked what it received."""
from __future__ import annotations

import base64
from email.utils import make_msgid

import pytest
from sqlalchemy import select

from bot import cases, db, notices, outbox
from bot.contact import InvalidContact
from bot.models import OutboundEmail
from bot.requests import Channel, RequestType
from mail_ingest.poller import Limits, Poller
from tests.mail.conftest import agent, dovecot, mailbox, reader  # noqa: F401 - fixtures
from tests.test_outbox_smtp import send, smtp_port, smtp_server  # noqa: F401 - fixtures

pytestmark = pytest.mark.personal_data_free_logs

ATTACKER = "attacker@evil.example"
ADDED = ("bcc", "cc", "x-injected")


def raw_letter(sender: str, subject: str, *, headers: str = "", body: str = "Please send me a copy of my data.") \
        -> bytes:
    return (f"From: {sender}\r\nTo: privacy@company.example\r\nSubject: {subject}\r\n"
            f"Message-ID: {make_msgid(domain='example.org')}\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\n"
            f"{headers}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n").encode()


def b64_word(text: str) -> str:
    return f"=?utf-8?b?{base64.b64encode(text.encode()).decode()}?="


HOSTILE_LETTERS = [
    ("Robin One <robin.one@example.org>", "=?utf-8?q?Access_request=0D=0ABcc:_attacker@evil.example?=", ""),
    ("robin.two@example.org", b64_word("Hi\r\nBcc: attacker@evil.example\r\nX-Injected: yes\r\n\r\nnew body"), ""),
    ("robin.three@example.org", "My data",
     "In-Reply-To: <a@b.example> =?utf-8?q?=0D=0ABcc:_attacker@evil.example?=\r\n"
     "References: <c@d.example>\r\n Bcc: attacker@evil.example <e@f.example>\r\n"),
    ('"robin.four@example.org\\r\\nBcc: attacker@evil.example" <robin.four@example.org>, attacker@evil.example',
     "Copy of my data", ""),
]


def test_hostile_letters_are_answered_to_their_writer_alone_with_no_added_header(
        store, smtp_port, mailbox, agent, reader):  # noqa: F811 - fixtures
    mailbox.append(*(raw_letter(sender, subject, headers=headers) for sender, subject, headers in HOSTILE_LETTERS))
    poller = Poller(mailbox.settings(), reader=reader, url=store,
                    limits=Limits(10 * 1024 * 1024, batch_size=10, max_attempts=3, poll_seconds=60))
    assert poller.poll_once().answered == len(HOSTILE_LETTERS)
    with smtp_server(smtp_port) as inbox:
        send(store)
    writers = sorted(f"robin.{n}@example.org" for n in ("one", "two", "three", "four"))
    assert sorted(r for e in inbox.envelopes for r in e.rcpt_tos) == writers
    for message in inbox.messages:
        assert not any(name.lower() in ADDED for name in message.keys()), message.keys()
        assert all("\n" not in str(value) and "\r" not in str(value) for value in message.values())
        assert ATTACKER not in str(message["To"])


def test_a_hostile_name_and_thread_ids_on_a_notice_add_nothing(store, smtp_port):  # noqa: F811 - fixtures
    with db.session_scope(store) as session:
        case = cases.open_case(session, cases.NewRequest(
            [RequestType.ACCESS], Channel.CHAT, name="Jane\r\nBcc: attacker@evil.example", email="jane@example.org",
            language="en")).case
        notices.notify(session, case, "acknowledgement", in_reply_to="<x@y.example>\r\nBcc: attacker@evil.example",
                       references="<a@b.example>\nCc: attacker@evil.example")
    with smtp_server(smtp_port) as inbox:
        send(store)
    assert {r for e in inbox.envelopes for r in e.rcpt_tos} == {"jane@example.org"}
    for message in inbox.messages:
        assert not any(name.lower() in ADDED for name in message.keys())
        assert ATTACKER not in " ".join(str(message[name]) for name in ("To", "Subject"))


@pytest.mark.parametrize("to", ["jane@example.org\r\nBcc: attacker@evil.example",
                                "jane@example.org, attacker@evil.example",
                                "Jane <jane@example.org>\nCc: attacker@evil.example",
                                "jane@example.org attacker@evil.example", " jane@example.org"])
def test_an_address_carrying_a_second_recipient_is_refused_and_nothing_is_queued(store, to):
    with db.session_scope(store) as session:
        with pytest.raises(InvalidContact):
            outbox.enqueue(session, case=None, kind="mail_reply", to=to, subject="Re: your request",
                           body_text="Hello")
    with db.session_scope(store) as session:
        assert session.execute(select(OutboundEmail)).scalars().all() == []
