"""End to end with the trained assistant: letters appended to Dovecot, read by the poller, understood by the
real Rasa server and action server, answered once each, threaded. Skips until models/ holds a trained model.

Marked `rasa`; the servers are started here on free loopback ports against this module's own case store.
"""
from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from bench.mail_bench import TEMPLATES, letters
from bot import cases, chat_store, db
from bot.models import Case, OutboundEmail
from mail_ingest.models import InboundLetter
from mail_ingest.poller import Limits, Poller
from mail_ingest.reading import Reader
from tests.mail.letters import fixture, letter
from tests.mail.rasa_servers import latest_model, rasa_servers

pytestmark = pytest.mark.rasa


@pytest.fixture(scope="module")
def assistant():
    """(case store URL, Rasa host, port): the trained Rasa server and the action server on one store."""
    model = latest_model()
    if model is None:
        pytest.skip("no trained Rasa model in models/ yet (`make run` trains one): the end-to-end mail test "
                    "needs the real assistant")
    folder = Path(tempfile.mkdtemp(prefix="pd-rasa-mail-"))
    url = f"sqlite:///{folder / 'privacy_desk.db'}"
    db.upgrade(url)
    try:
        with rasa_servers(url, folder, model) as (host, port):
            yield url, host, port
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def desk(assistant, mailbox, monkeypatch):
    url, host, port = assistant
    for name, value in (("DATABASE_URL", url), ("RASA_HOST", host), ("RASA_PORT", port)):
        monkeypatch.setenv(f"PRIVACY_DESK_{name}", value)
    return Poller(mailbox.settings(), reader=Reader(), url=url,
                  limits=Limits(10 * 1024 * 1024, batch_size=10, max_attempts=3, poll_seconds=60))


def _case_and_answers(url: str, sender: str) -> tuple[Case, list[OutboundEmail]]:
    with db.session_scope(url) as session:
        [case] = session.execute(select(Case).where(Case.requester_email == sender)).scalars().all()
        case.request_types
        answers = session.execute(select(OutboundEmail).where(OutboundEmail.case_id == case.id,
                                                              OutboundEmail.kind == "mail_reply")
                                  .order_by(OutboundEmail.id)).scalars().all()
        return case, answers


def test_german_access_and_french_erasure_letters_end_as_the_right_cases(desk, mailbox):
    mailbox.append(fixture("german_access"), fixture("french_erasure"))
    report = desk.poll_once()
    assert len(report.stored) == 2 and report.answered == 2, report
    german, [german_answer] = _case_and_answers(desk.url, "erika.mustermann@example.org")
    french, [french_answer] = _case_and_answers(desk.url, "jean.dupont@example.org")
    assert "access" in german.request_types and german.language == "de" and german_answer.language == "de"
    assert "erasure" in french.request_types and french.language == "fr" and french_answer.language == "fr"
    assert german_answer.in_reply_to == "<de.access.2026@mail.example.org>"
    assert german.reference in german_answer.subject and french.reference in french_answer.subject


def test_a_reply_with_the_missing_details_continues_the_same_case(desk, mailbox):
    sender = "Jordan Example <jordan.rasa@example.org>"
    mailbox.append(letter(sender, "Call recording", "Please send me a copy of the recording of my call."))
    desk.poll_once()
    case, [question] = _case_and_answers(desk.url, "jordan.rasa@example.org")
    mailbox.append(letter(sender, f"Re: {question.subject}", "It was from 07700 900123 on 3 March at 14:00.",
                          in_reply_to=question.message_id))
    desk.poll_once()
    same, answers = _case_and_answers(desk.url, "jordan.rasa@example.org")
    assert same.reference == case.reference and len(answers) == 2
    assert answers[1].in_reply_to != question.message_id and question.message_id in answers[1].references
    with db.session_scope(desk.url) as session:
        assert session.query(InboundLetter).filter(InboundLetter.case_id == case.id).count() == 2
        request = next(r for r in cases.get_case(session, case.reference).requests
                       if r.request_type == "call_recording")
        assert request.details.get("call_date", "").endswith("-03-03") and request.details.get("call_time") == "14:00"


def test_strangers_quoting_one_phone_number_are_answered_in_their_own_conversations(desk, mailbox):
    """The mail benchmark's letters share one phone number: had they joined one case, each writer would see a
    stranger's reference and the case's conversation would grow with every letter (tests/mail/test_mail_same_phone.py)."""
    n = 2 * len(TEMPLATES)
    senders = Counter()
    webhook = desk.agent

    def recording(message):
        senders[message.sender] += 1
        return webhook(message)

    desk.agent = recording
    mailbox.append(*letters(n, "rasa"))
    report = desk.poll_once()
    assert len(report.stored) == n and report.answered == n, report
    assert len(set(report.stored)) == n and len(senders) == n and max(senders.values()) == 1, senders
    assert set(senders) == {chat_store.mail_conversation(reference) for reference in report.stored}
