"""The actions that touch the case store: opening a case, the verification code, a case's status, a person.

They run against a fresh migrated store (the `store` fixture), as the action server would run them.
"""
from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from actions.handoff import ActionHandoff, ValidateHandoffForm
from actions.request_actions import ActionSubmitRequest
from actions.status import ActionGiveStatus, ValidateStatusForm
from actions.verification import ActionVerificationResult, ValidateVerificationForm
from bot import cases, challenges, db
from bot.models import Case, CaseEvent, OutboundEmail, utcnow
from bot.requests import Channel, RequestType
from tests.test_actions import ALL_GIVEN, make_tracker, run

CLEARED = {"more_request_types": None, "phone": None, "call_date": None, "call_time": None, "erase_scope": None,
           "erase_reason": None, "wrong_detail": None, "correct_value": None, "objected_processing": None,
           "complaint_what": None,
           "country": None, "access_instead": None, "continue_form": None, "request_confirmed": None,
           "validation_failures": None, "correction_asked": False, "request_outcome": None, "requested_slot": None}


@pytest.fixture(autouse=True)
def secret(monkeypatch):
    monkeypatch.setenv("PRIVACY_DESK_SECRET_KEY", "test-secret-for-codes")


def only_case(store) -> SimpleNamespace:
    """The one case in the store, read while its session is open."""
    with db.session_scope(store) as session:
        found = session.execute(select(Case)).scalars().all()
        assert len(found) == 1
        case = found[0]
        return SimpleNamespace(**{c.name: getattr(case, c.name) for c in Case.__table__.columns},
                               request_types=case.request_types,
                               requests=[(r.request_type, r.details) for r in case.requests])


def issue_code(store, reference: str, *, now=None) -> str:
    """A code we know, standing in for the one the person reads in their email."""
    with db.session_scope(store) as session:
        case = cases.get_case(session, reference)
        return challenges.issue(session, case, "email", now or utcnow()).code


def open_erasure(store) -> str:
    with db.session_scope(store) as session:
        new = cases.NewRequest(request_types=[RequestType.ERASURE], channel=Channel.CHAT, name="Jane Doe",
                               email="jane@example.org", details={"what_to_erase": "everything"})
        return cases.open_case(session, new).case.reference


# ---- submitting the request -----------------------------------------------------------------------------------------
def test_a_stopped_request_records_nothing(store):
    slots, messages = run(ActionSubmitRequest(), make_tracker(slots={**ALL_GIVEN, "request_outcome": "stopped"},
                                                              loop=None))
    assert slots == {**CLEARED, "code_sent": False}
    assert messages == [("utter_stopped", {})]
    with db.session_scope(store) as session:
        assert session.execute(select(Case)).first() is None


def test_a_confirmed_request_opens_a_case_and_emails_a_code(store):
    tracker = make_tracker(slots={**ALL_GIVEN, "language": "fr", "request_outcome": "confirmed"}, loop=None,
                           sender="chat-42")
    slots, messages = run(ActionSubmitRequest(), tracker)
    case = only_case(store)
    assert slots == {**CLEARED, "case_reference": case.reference, "code_sent": True, "code_level": "email"}
    assert (case.status, case.channel, case.language, case.conversation_id) == (
        "awaiting_verification", "chat", "fr", "chat-42")
    assert (case.requester_name, case.requester_email, case.requester_phone) == (
        "Jane Doe", "jane@example.org", "+447700900123")
    assert case.requests == [
        ("call_recording", {"call_date": "2026-11-22", "call_time": "15:00"})]
    due = f"{case.due_at.day} {['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'][case.due_at.month - 1]} {case.due_at.year}"
    assert messages == [("utter_case_opened", {"reference": case.reference, "due_date": due}),
                        ("utter_code_sent", {"email": "jane@example.org"})]
    with db.session_scope(store) as session:
        emails = session.execute(select(OutboundEmail.kind, OutboundEmail.to_address)).all()
    assert ("verification_code", "jane@example.org") in emails


def test_a_complaint_names_the_authority_and_needs_no_code(store):
    tracker = make_tracker(slots={"request_type": "complaint", "complaint_what": "My details were shared",
                                  "country": "IE", "requester_name": "Jane Doe", "requester_email": "jane@example.org",
                                  "request_outcome": "confirmed"}, loop=None)
    slots, messages = run(ActionSubmitRequest(), tracker)
    case = only_case(store)
    assert case.status == "verified"
    assert slots["code_sent"] is False
    assert [m[0] for m in messages] == ["utter_case_opened", "utter_authority", "utter_no_proof_needed"]
    authority = messages[1][1]
    assert "Data Protection Commission" in authority["authority_name"]
    assert authority["authority_phone"] and authority["authority_website"].startswith("http")


def test_an_unavailable_store_is_said_plainly_and_nothing_is_lost_from_the_conversation(monkeypatch, tmp_path):
    monkeypatch.setenv("PRIVACY_DESK_DATABASE_URL", "sqlite:////proc/no-such-store.db")
    slots, messages = run(ActionSubmitRequest(), make_tracker(slots={**ALL_GIVEN, "request_outcome": "confirmed"},
                                                              loop=None))
    assert slots == {"request_outcome": None, "code_sent": False, "requested_slot": None}
    assert messages == [("utter_store_unavailable", {"dpo_email": "dpo@example.com"})]


# ---- the verification code -----------------------------------------------------------------------------------------
def code_tracker(reference: str, typed: str, intent: str = "inform", **slots):
    return make_tracker(text=typed, intent=intent, loop="verification_form",
                        slots={"case_reference": reference, "code_level": "email", "requested_slot": "verification_code",
                               **slots}, candidates={"verification_code": typed})


def test_a_wrong_code_says_how_many_tries_are_left(store):
    reference = open_erasure(store)
    issue_code(store, reference)
    slots, messages = run(ValidateVerificationForm(), code_tracker(reference, "000000"))
    assert slots == {"verification_code": None}  # asked again: the form's one slot is still empty
    assert messages == [("utter_code_wrong", {"tries_left": "4"})]


def test_the_right_code_verifies_the_case(store):
    reference = open_erasure(store)
    code = issue_code(store, reference)
    slots, messages = run(ValidateVerificationForm(), code_tracker(reference, f"{code[:3]} {code[3:]}"))
    assert slots == {"verification_code": "checked", "verification_result": "verified", "code_expired": False,
                     "requested_slot": None}
    assert messages == []
    assert only_case(store).status == "verified"
    slots, messages = run(ActionVerificationResult(), make_tracker(loop=None, slots={
        "case_reference": reference, "verification_result": "verified"}))
    assert messages == [("utter_verified", {})]
    assert slots == {"verification_code": None, "verification_result": None, "code_expired": False,
                     "code_sent": False, "code_level": None, "requested_slot": None}


def test_an_expired_code_offers_a_new_one_and_yes_sends_it(store):
    reference = open_erasure(store)
    issue_code(store, reference, now=utcnow() - timedelta(minutes=20))
    slots, messages = run(ValidateVerificationForm(), code_tracker(reference, "123456"))
    assert slots == {"verification_code": None, "code_expired": True}
    assert messages == [("utter_code_expired", {})]
    slots, messages = run(ValidateVerificationForm(), code_tracker(reference, "yes", "affirm", code_expired=True))
    assert slots == {"verification_code": None, "code_expired": False}
    assert messages == [("utter_code_resent", {})]


def test_five_wrong_codes_lock_and_staff_will_contact_the_person(store):
    reference = open_erasure(store)
    issue_code(store, reference)
    for _ in range(4):
        run(ValidateVerificationForm(), code_tracker(reference, "000000"))
    slots, messages = run(ValidateVerificationForm(), code_tracker(reference, "000000"))
    assert slots == {"verification_code": None, "verification_result": "locked", "requested_slot": None}
    _, messages = run(ActionVerificationResult(), make_tracker(loop=None, slots={
        "case_reference": reference, "verification_result": "locked"}))
    assert messages == [("utter_code_locked", {})]


def test_text_that_is_not_a_code_costs_no_try(store):
    reference = open_erasure(store)
    issue_code(store, reference)
    _, messages = run(ValidateVerificationForm(), code_tracker(reference, "<script>1234</script>"))
    assert messages == [("utter_code_format", {})]
    _, messages = run(ValidateVerificationForm(), code_tracker(reference, "000000"))
    assert messages == [("utter_code_wrong", {"tries_left": "4"})]


def test_stopping_verification_says_how_to_finish_it_later(store):
    reference = open_erasure(store)
    slots, _ = run(ValidateVerificationForm(), code_tracker(reference, "no", "deny"))
    assert slots["verification_result"] == "stopped"
    _, messages = run(ActionVerificationResult(), make_tracker(loop=None, slots={
        "case_reference": reference, "verification_result": "stopped"}))
    assert messages == [("utter_verification_later", {"reference": reference})]


# ---- a case's status -------------------------------------------------------------------------------------------------
def status_tracker(typed: str, asked: str, intent: str = "inform", **slots):
    return make_tracker(text=typed, intent=intent, loop="status_form", slots={"requested_slot": asked, **slots},
                        candidates={asked: typed})


def test_a_reference_gets_the_same_answer_whether_or_not_it_exists(store):
    reference = open_erasure(store)
    answers = []
    for typed in (reference.lower().replace("-", " "), "PD-ZZZZ-ZZZZ"):
        slots, messages = run(ValidateStatusForm(), status_tracker(typed, "status_reference"))
        shown = slots["status_reference"]
        answers.append((slots, [(r, {k: v.replace(shown, "REF") for k, v in f.items()}) for r, f in messages]))
        slots_wrong, messages_wrong = run(ValidateStatusForm(), status_tracker(
            "000000", "status_code", status_reference=shown, status_tries=slots["status_tries"]))
        answers.append((slots_wrong, messages_wrong))
    (first, said_first), (wrong_first, said_wrong_first), (second, said_second), (wrong_second, said_wrong_second) \
        = answers
    assert said_first == said_second == [("utter_status_code_sent", {"reference": "REF"})]
    assert {k: v for k, v in first.items() if k != "status_reference"} == \
        {k: v for k, v in second.items() if k != "status_reference"}
    assert said_wrong_first == said_wrong_second == [("utter_code_wrong", {"tries_left": "4"})]
    assert wrong_first == wrong_second


def test_the_owner_gets_the_status_after_the_right_code(store):
    reference = open_erasure(store)
    code = issue_code(store, reference)
    slots, _ = run(ValidateStatusForm(), status_tracker(code, "status_code", status_reference=reference,
                                                        status_tries=5))
    assert slots == {"status_code": "checked", "status_result": "verified", "requested_slot": None}
    slots, messages = run(ActionGiveStatus(), make_tracker(loop=None, slots={
        "status_reference": reference, "status_result": "verified"}))
    case = only_case(store)
    assert messages == [("utter_case_status", {"reference": reference,
                                               "status_text": "your request is with our data protection team",
                                               "due_date": f"{case.due_at.day} {case.due_at:%B} {case.due_at.year}"})]
    assert slots == {"status_reference": None, "status_code": None, "status_tries": None, "status_result": None,
                     "requested_slot": None}


def test_without_proof_nothing_is_told(store):
    _, messages = run(ActionGiveStatus(), make_tracker(loop=None, slots={
        "status_reference": "PD-ZZZZ-ZZZZ", "status_result": "not_confirmed"}))
    assert messages == [("utter_status_not_confirmed", {})]


def test_not_a_reference_is_explained(store):
    slots, messages = run(ValidateStatusForm(), status_tracker("my case number", "status_reference"))
    assert slots == {"status_reference": None, "status_tries": 1}
    assert messages == [("utter_invalid_reference", {})]


# ---- a person ------------------------------------------------------------------------------------------------------
HISTORY = [{"event": "user", "text": "I want my data deleted", "timestamp": 1_700_000_000.0},
           {"event": "bot", "text": "What should we erase?", "timestamp": 1_700_000_001.0}]


def test_asking_for_a_person_flags_a_case_with_the_transcript(store):
    tracker = make_tracker(text="can I talk to a human please", intent="ask_human", loop=None, history=HISTORY,
                           slots={"request_type": "erasure", "requester_email": "jane@example.org"})
    slots, messages = run(ActionHandoff(), tracker)
    case = only_case(store)
    assert case.needs_human and case.request_types == ["erasure"] and case.status == "awaiting_details"
    assert messages == [("utter_handoff", {"reference": case.reference, "email": "jane@example.org"})]
    assert slots["case_reference"] == case.reference
    with db.session_scope(store) as session:
        escalated = session.execute(select(CaseEvent).where(CaseEvent.action == "escalated")).scalar_one()
        assert [(line["from"], line["text"]) for line in escalated.data["transcript"]] == [
            ("requester", "I want my data deleted"), ("assistant", "What should we erase?"),
            ("requester", "can I talk to a human please")]


def test_without_an_email_address_the_person_is_told_where_to_write(store):
    slots, messages = run(ActionHandoff(), make_tracker(text="human", intent="ask_human", loop=None))
    case = only_case(store)
    assert messages == [("utter_handoff_no_email", {"reference": case.reference, "dpo_email": "dpo@example.com"})]


def test_the_handoff_form_asks_an_email_and_accepts_no(store):
    tracker = make_tracker(text="no thanks", intent="deny", loop="handoff_form",
                           slots={"requested_slot": "requester_email"}, candidates={"requester_email": "no thanks"})
    slots, messages = run(ValidateHandoffForm(), tracker)
    assert slots == {"requester_email": None, "handoff_without_email": True, "validation_failures": None,
                     "requested_slot": None}
    assert messages == []
    tracker = make_tracker(text="jane@example.org", loop="handoff_form", slots={"requested_slot": "requester_email"},
                           candidates={"requester_email": "jane@example.org"})
    slots, _ = run(ValidateHandoffForm(), tracker)
    assert slots == {"requester_email": "jane@example.org"}


def test_a_person_asked_for_on_an_open_case_flags_that_case(store):
    reference = open_erasure(store)
    slots, messages = run(ActionHandoff(), make_tracker(text="human", intent="ask_human", loop=None, slots={
        "case_reference": reference, "requester_email": "jane@example.org"}))
    case = only_case(store)
    assert case.needs_human and case.reference == reference
    assert messages == [("utter_handoff", {"reference": reference, "email": "jane@example.org"})]


def test_the_code_question_names_where_the_code_went():
    from actions.verification import ActionAskVerificationCode

    _, messages = run(ActionAskVerificationCode(), make_tracker(loop="verification_form", slots={"code_level": "email"}))
    assert messages == [("utter_ask_verification_code", {})]
    _, messages = run(ActionAskVerificationCode(), make_tracker(loop="verification_form", slots={"code_level": "phone"}))
    assert messages == [("utter_ask_phone_code", {})]


def test_a_recording_request_asks_the_phone_code_after_the_email_code(store, monkeypatch):
    from bot import verification

    sent = []
    monkeypatch.setattr(verification, "phone_sender", lambda: SimpleNamespace(send=lambda *a, **k: sent.append(k["to"])))
    slots, _ = run(ActionSubmitRequest(), make_tracker(slots={**ALL_GIVEN, "request_outcome": "confirmed"}, loop=None))
    reference = slots["case_reference"]
    code = issue_code(store, reference)
    slots, messages = run(ValidateVerificationForm(), code_tracker(reference, code))
    assert slots == {"verification_code": None, "code_level": "phone", "code_expired": False}
    assert messages == [("utter_phone_code_sent", {})]
    assert sent == ["+447700900123"]
