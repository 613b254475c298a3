"""A letter becomes the right case and gets one threaded answer in the writer's language; the assistant
being down, silent or flooded never loses a letter nor sends the requester an error."""
from __future__ import annotations

import logging
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot import cases, db
from bot.models import Case, CaseEvent, OutboundEmail, utcnow
from mail_ingest import channel
from mail_ingest.channel import AgentMessage, AssistantUnavailable, RestWebhook, answer_due
from mail_ingest.intake import Source, take_in
from mail_ingest.models import InboundLetter
from mail_ingest.reading import Reader, one_by_one
from tests.mail.agent_standin import StandInAgent, classify
from tests.mail.letters import (OUR_ID, REFERENCE, assert_no_personal_data, case_we_wrote_to, fixture,
                                letter, replies_to)

READER = Reader(classify=one_by_one(classify))


class Agent:
    """The assistant as the channel sees it; records what it was told."""

    def __init__(self, replies=None, down=False):
        self.messages: list[AgentMessage] = []
        self.replies = replies
        self.down = down

    def __call__(self, message: AgentMessage) -> list:
        if self.down:
            raise AssistantUnavailable("the assistant at http://127.0.0.1:5005 could not be reached (ConnectError)")
        self.messages.append(message)
        return StandInAgent.answer({"sender": message.sender, "metadata": message.metadata}) \
            if self.replies is None else self.replies


def deliver(name_or_raw, agent, store) -> tuple[Case, list[OutboundEmail]]:
    raw = fixture(name_or_raw) if isinstance(name_or_raw, str) else name_or_raw
    stored = take_in(raw, Source(), READER, url=store)
    answer_due(agent, url=store)
    with db.session_scope(store) as session:
        case = cases.get_case(session, stored.case_reference) if stored.case_reference else None
        if case is not None:
            case.request_types, list(case.events)  # loaded before the session closes
        sent = list(session.execute(select(OutboundEmail).where(OutboundEmail.kind == "mail_reply")).scalars())
    return case, sent


def test_german_access_letter_becomes_an_access_case_answered_in_german(store):
    agent = Agent()
    case, [answer] = deliver("german_access", agent, store)
    assert case.request_types == ["access"] and case.language == "de" and case.channel == "email"
    assert case.requester_email == "erika.mustermann@example.org" and case.requester_name == "Erika Mustermann"
    assert answer.to_address == "erika.mustermann@example.org" and answer.language == "de"
    assert answer.subject == f"[{case.reference}] Re: Auskunftsersuchen nach Art. 15 DSGVO"
    assert answer.in_reply_to == "<de.access.2026@mail.example.org>" == answer.references
    assert answer.body_text.startswith(f"Vielen Dank für Ihre Nachricht zu Vorgang {case.reference}.")
    assert "- Yes\n- No" in answer.body_text and "Mit freundlichen Grüßen\nIhr Datenschutz-Team" in answer.body_text
    [message] = agent.messages
    assert message.sender == f"email-{case.reference}"
    assert message.text.startswith("Sehr geehrte Damen und Herren") and "Musterstadt" not in message.text
    assert message.metadata | {"request_types": None} == message.metadata | {
        "channel": "email", "from_address": "erika.mustermann@example.org", "language": "de",
        "subject": "Auskunftsersuchen nach Art. 15 DSGVO", "message_id": "<de.access.2026@mail.example.org>",
        "case_reference": case.reference, "request_types": None}
    assert message.metadata["request_types"] == ["access"]


def test_french_erasure_letter_becomes_an_erasure_case_answered_in_french(store):
    case, [answer] = deliver("french_erasure", Agent(), store)
    assert case.request_types == ["erasure"] and case.language == "fr"
    assert answer.body_text.startswith(f"Merci pour votre message concernant le dossier {case.reference}.")
    assert "Cordialement,\nL'équipe Protection des données" in answer.body_text
    assert f"gardant {case.reference} dans l'objet" in answer.body_text


def test_reply_to_our_request_for_details_continues_the_case_with_one_threaded_answer(store):
    with db.session_scope(store) as session:
        case_we_wrote_to(session)
    agent = Agent()
    case, [answer] = deliver("reply_quoted_thread", agent, store)
    assert case.reference == REFERENCE
    with db.session_scope(store) as session:
        assert session.execute(select(Case)).scalars().all() == [session.get(Case, case.id)]  # no new case
    assert answer.in_reply_to == "<CAJreply.42@mail.example.org>"
    assert answer.references == f"<CAJfirst.41@mail.example.org> {OUR_ID} <CAJreply.42@mail.example.org>"
    assert answer.subject == f"[{REFERENCE}] Re: Call recording"
    assert agent.messages[0].sender == f"email-{REFERENCE}"  # the case's email conversation, not its chat
    assert agent.messages[0].text == "Hi,\n\nThe call was from 07700 900123 on 3 March 2026 at about 14:00."
    assert [e.action for e in case.events][-2:] == ["letter_received", "reply_queued"]
    # The details the reply gives are on the case and told to the assistant, so it does not ask again.
    assert case.requester_phone == "+447700900123"
    with db.session_scope(store) as session:
        [request] = cases.get_case(session, REFERENCE).requests
        assert request.details == {"call_date": "2026-03-03", "call_time": "14:00"}
    assert agent.messages[0].metadata["details"] == {"phone": "+447700900123", "call_date": "2026-03-03",
                                                     "call_time": "14:00"}


def test_out_of_office_bounce_and_forged_copy_are_recorded_on_the_case_and_never_answered(store):
    with db.session_scope(store) as session:
        case_we_wrote_to(session)
    agent = Agent()
    for name in ("out_of_office", "bounce_dsn", "forged_own_message_id"):
        case, sent = deliver(name, agent, store)
        assert case.reference == REFERENCE and sent == [], name
    assert agent.messages == []
    with db.session_scope(store) as session:
        letters = session.execute(select(InboundLetter).order_by(InboundLetter.id)).scalars().all()
        assert [letter.status for letter in letters] == ["not_answered"] * 3
        assert "our_own_message" in letters[2].no_reply_reasons
        events = [e for e in cases.get_case(session, REFERENCE).events if e.action == "letter_received"]
        assert [e.reason.split(": ")[0] for e in events] == ["Not answered automatically"] * 3
        assert cases.get_case(session, REFERENCE).needs_human  # the bounce: our email did not arrive
        assert session.query(Case).count() == 1


def test_machine_mail_about_no_case_opens_none_but_is_kept(store):
    case, sent = deliver(letter("News <news@shop.example.org>", "Our offers", "Buy!", Precedence="bulk"),
                         Agent(), store)
    assert case is None and sent == []
    with db.session_scope(store) as session:
        assert session.query(InboundLetter).one().no_reply_reasons == ["precedence:bulk"]


def test_empty_body_is_read_by_its_subject(store):
    agent = Agent()
    case, [answer] = deliver("empty_body", agent, store)
    assert case.request_types == ["erasure"]
    assert agent.messages[0].text == "Please delete my account and all my data"


def test_letter_nobody_can_classify_opens_a_case_for_staff_and_is_still_answered(store):
    case, [answer] = deliver(letter("Sam <sam@example.org>", "Question", "Hello, who are you?"), Agent(), store)
    assert case.needs_human and case.request_types == [] and case.status == "awaiting_details"
    assert any(e.action == "escalated" for e in case.events)


def test_the_same_letter_twice_is_one_letter_one_case_one_answer(store):
    agent = Agent()
    first = take_in(fixture("german_access"), Source(), READER, url=store)
    again = take_in(fixture("german_access"), Source(), READER, url=store)
    assert again.duplicate and again.letter_id == first.letter_id and again.case_reference == first.case_reference
    answer_due(agent, url=store)
    answer_due(agent, url=store)
    with db.session_scope(store) as session:
        assert session.query(Case).count() == 1 and len(replies_to(session, "erika.mustermann@example.org")) == 1


def test_concurrent_intake_of_one_letter_stores_it_once(any_store):
    store, results, errors = any_store, [], []

    def take():
        try:
            results.append(take_in(fixture("french_erasure"), Source(), READER, url=store))
        except Exception as exc:  # noqa: BLE001 - the assertion below shows it
            errors.append(exc)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len({r.letter_id for r in results}) == 1
    with db.session_scope(store) as session:
        assert session.query(InboundLetter).count() == 1 and session.query(Case).count() == 1


def test_when_the_assistant_is_down_the_letter_waits_and_is_answered_later(store):
    agent = Agent(down=True)
    case, sent = deliver("french_erasure", agent, store)
    assert case.request_types == ["erasure"] and sent == []  # the case exists; the answer waits
    with db.session_scope(store) as session:
        waiting = session.query(InboundLetter).one()
        assert waiting.status == "to_answer" and waiting.answer_attempts == 1 and "could not be reached" in \
            waiting.last_error and waiting.next_answer_at > utcnow()
    agent.down = False
    assert answer_due(agent, url=store).answered == []  # not due yet: retries back off
    _make_due(store)
    assert len(answer_due(agent, url=store).answered) == 1
    assert len(answer_due(agent, url=store).answered) == 0


def test_an_assistant_down_for_hours_hands_the_letter_to_staff(store):
    agent = Agent(down=True)
    take_in(fixture("german_access"), Source(), READER, url=store)
    for _ in range(channel.GIVE_UP_AFTER_ATTEMPTS):
        _make_due(store)
        answer_due(agent, url=store)
    with db.session_scope(store) as session:
        letter_row = session.query(InboundLetter).one()
        assert letter_row.status == "needs_staff" and "assistant_unavailable" in letter_row.no_reply_reasons
        assert letter_row.case.needs_human
        assert session.query(OutboundEmail).count() == 0  # the requester is never sent an error


def test_a_silent_assistant_hands_the_letter_to_staff(store):
    case, sent = deliver("german_access", Agent(replies=[{"recipient_id": "x", "image": "https://x/y.png"}]), store)
    assert sent == [] and case.needs_human


def test_replies_per_sender_are_limited(store, monkeypatch):
    monkeypatch.setenv("PRIVACY_DESK_MAIL_REPLY_LIMIT_PER_HOUR", "2")
    agent = Agent()
    for n in range(3):
        deliver(letter("Sam <sam@example.org>", f"Request {n}", f"Please delete my data, number {n}."), agent, store)
    with db.session_scope(store) as session:
        assert len(replies_to(session, "sam@example.org")) == 2
        withheld = session.execute(select(InboundLetter).order_by(InboundLetter.id.desc())).scalars().first()
        assert withheld.status == "not_answered" and withheld.no_reply_reasons == ["reply_limit"]
        assert withheld.case.needs_human


def test_rest_webhook_speaks_rasas_protocol():
    standin = StandInAgent().start()
    try:
        webhook = RestWebhook(standin.url, timeout=5)
        replies = webhook(AgentMessage("email-PD-0000-0000", "Bonjour", {"language": "fr", "case_reference": "R"}))
        assert replies[0]["text"] == "Merci pour votre message concernant le dossier R."
        assert standin.received == [{"sender": "email-PD-0000-0000", "message": "Bonjour",
                                     "metadata": {"language": "fr", "case_reference": "R"}}]
        standin.down = True
        with pytest.raises(AssistantUnavailable, match="answered HTTP 503"):
            webhook(AgentMessage("s", "t", {}))
    finally:
        standin.stop()
    with pytest.raises(AssistantUnavailable, match="could not be reached"):
        RestWebhook(standin.url, timeout=2)(AgentMessage("s", "t", {}))


def test_no_personal_data_reaches_the_log(store, caplog):
    caplog.set_level(logging.DEBUG)
    with db.session_scope(store) as session:
        case_we_wrote_to(session)
    names = ["german_access", "french_erasure", "base64", "iso_8859_1", "reply_quoted_thread", "out_of_office",
             "bounce_dsn", "pdf_attachment", "forged_own_message_id", "empty_body", "html_only"]
    for name in names:
        take_in(fixture(name), Source(), READER, url=store)
    answer_due(Agent(down=True), url=store)
    _make_due(store)
    answer_due(Agent(), url=store)
    assert_no_personal_data(caplog.records, at_least=len(names))


def _make_due(store) -> None:
    with db.session_scope(store) as session:
        session.execute(update(InboundLetter).values(next_answer_at=utcnow() - timedelta(seconds=1)))


def test_every_letter_event_names_the_letter_not_the_person(store):
    deliver("german_access", Agent(), store)
    with db.session_scope(store) as session:
        event = session.execute(select(CaseEvent).where(CaseEvent.action == "letter_received")).scalar_one()
        assert set(event.data) == {"letter", "request_types", "attachments", "follows", "details_found"}


def test_a_classifier_that_fails_leaves_the_letter_to_staff_and_it_is_still_answered(store, caplog):
    def broken(texts):
        raise RuntimeError("model file unreadable")

    raw = letter("Sam <sam@example.org>", "Data", "Please delete my account and all my data.\n\nThank you.")
    with caplog.at_level(logging.WARNING, logger="privacy_desk.mail"):
        stored = take_in(raw, Source(), Reader(classify=broken), url=store)
    assert "classifying a letter failed (RuntimeError); staff will classify it" in caplog.text
    answer_due(Agent(), url=store)
    with db.session_scope(store) as session:
        case = cases.get_case(session, stored.case_reference)
        assert case.needs_human and case.request_types == []
        assert len(replies_to(session, "sam@example.org")) == 1
