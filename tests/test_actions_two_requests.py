"""Two requests in one chat message ("send me what you have and then delete it"): one case holding both, after
asking what both need and confirming both in the summary.

The clause splitting needs nothing; reading the clauses needs the trained model (make model), as the action
server does; the form and the case are checked with the other requests already known, so they need no model.
"""
from __future__ import annotations

import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.request_actions import ActionSubmitRequest
from actions.request_form import ActionAskRequestConfirmed, ValidateRequestForm
from assistant.clauses import clauses
from bot import settings
from tests.test_actions import DOMAIN, make_tracker, run, said
from tests.test_actions_case import only_case

no_model = pytest.mark.skipif(not list((settings.PROJECT_DIR / "models").glob("*.tar.gz")),
                              reason="no trained model in models/ (make model)")


# ---- clauses ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("send me what you have and then delete it", ["send me what you have", "delete it"]),
    ("je veux une copie de mes données puis supprimez tout", ["je veux une copie de mes données", "supprimez tout"]),
    ("Schicken Sie mir meine Daten und danach löschen Sie alles",
     ["Schicken Sie mir meine Daten", "löschen Sie alles"]),
    ("quiero una copia de mis datos y luego bórrenlo todo", ["quiero una copia de mis datos", "bórrenlo todo"]),
    ("mandatemi i miei dati e poi cancellate tutto", ["mandatemi i miei dati", "cancellate tutto"]),
    ("stuur me mijn gegevens en daarna verwijder alles", ["stuur me mijn gegevens", "verwijder alles"]),
    ("enviem-me os meus dados e depois apaguem tudo", ["enviem-me os meus dados", "apaguem tudo"]),
    ("trimiteți-mi datele și apoi ștergeți-le", ["trimiteți-mi datele", "ștergeți-le"]),
    ("Hi, I want a copy of my data. Also, stop calling me!", ["I want a copy of my data", "stop calling me"]),
])
def test_a_message_is_cut_where_one_request_ends_and_the_next_begins(text, expected):
    assert clauses(text) == expected


def test_a_single_request_and_an_email_address_stay_whole():
    assert clauses("please delete all my personal data") == ["please delete all my personal data"]
    assert clauses("my email is jane.doe@example.org") == ["my email is jane.doe@example.org"]
    assert clauses("") == [] and clauses("and then") == []


def test_a_message_of_one_clause_is_not_read_a_second_time(monkeypatch):
    """Its intent already gave its request: the action server answers it without running the model again."""
    from assistant import classify

    monkeypatch.setattr(classify, "parser", lambda: pytest.fail("a one-clause message was read again"))
    assert classify.more_requests("Please delete all my personal data.", "erasure") == []
    assert classify.more_requests("  hi  ", "access") == []


# ---- the clauses read by the model -----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, intent, request_type, expected", [
    ("send me what you have and then delete it", "request_access", "access", ["erasure"]),
    ("je veux une copie de mes données puis supprimez tout", "request_access", "access", ["erasure"]),
    ("I want a copy of my data and please also correct my address", "request_access", "access", ["rectification"]),
    ("please delete all my personal data", "request_erasure", "erasure", None),
    ("export my data in CSV and send it to my new provider", "request_portability", "portability", None),
    ("I want a copy of my data and my name is Jane Doe", "request_access", "access", None),
])
@pytest.mark.rasa
@no_model
def test_the_first_message_of_a_request_brings_its_other_requests(text, intent, request_type, expected):
    slots, _ = run(ValidateRequestForm(), make_tracker(text=text, intent=intent, slots={"request_type": request_type}))
    assert slots.get("more_request_types") == expected


@pytest.mark.rasa
@no_model
def test_a_letter_is_not_read_clause_by_clause_here():
    # The mail poller reads letters sentence by sentence and opens their case with every request found.
    tracker = make_tracker(text="send me what you have and then delete it", intent="request_access",
                           slots={"request_type": "access", "channel": "email"})
    slots, _ = run(ValidateRequestForm(), tracker)
    assert "more_request_types" not in slots


@pytest.mark.rasa
@no_model
def test_the_other_requests_are_read_once_not_from_later_answers():
    asked = {"request_type": "access", "requested_slot": "requester_name"}
    slots, _ = run(ValidateRequestForm(), make_tracker(text="Jane Doe and then delete it", slots=asked,
                                                       candidates={"requester_name": "Jane Doe and then delete it"}))
    assert "more_request_types" not in slots


# ---- the form asks what every request needs, and the summary names them all ------------------------------------------
def required(**slots) -> list:
    tracker = make_tracker(slots=slots)
    return asyncio.run(ValidateRequestForm().required_slots([], CollectingDispatcher(), tracker, DOMAIN))


def test_the_form_asks_what_both_requests_need_once_each():
    assert required(request_type="access", more_request_types=["erasure"]) == [
        "erase_scope", "erase_reason", "requester_name", "requester_email", "request_confirmed"]
    assert required(request_type="call_recording", more_request_types=["complaint", "call_recording"]) == [
        "phone", "call_date", "call_time", "complaint_what", "country", "requester_name", "requester_email",
        "request_confirmed"]


def test_the_summary_names_both_requests_and_their_details():
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={"request_type": "access", "more_request_types": ["erasure"],
                                  "erase_scope": "everything", "erase_reason": "", "requester_name": "Jane Doe",
                                  "requester_email": "jane@example.org"})
    asyncio.run(ActionAskRequestConfirmed().run(dispatcher, tracker, DOMAIN))
    assert said(dispatcher)[0] == ("utter_request_summary", {"summary": "- Request: copy of personal data, erasure\n"
                                                                        "- What to erase: everything\n"
                                                                        "- Why: (not given)\n"
                                                                        "- Name: Jane Doe\n"
                                                                        "- Email: jane@example.org"})


def test_confirming_opens_one_case_with_both_requests(store, monkeypatch):
    monkeypatch.setenv("PRIVACY_DESK_SECRET_KEY", "test-secret-for-codes")
    tracker = make_tracker(slots={"request_type": "access", "more_request_types": ["erasure"],
                                  "erase_scope": "everything", "erase_reason": "I left", "requester_name": "Jane Doe",
                                  "requester_email": "jane@example.org", "request_outcome": "confirmed"}, loop=None)
    slots, messages = run(ActionSubmitRequest(), tracker)
    case = only_case(store)
    assert case.request_types == ["access", "erasure"]
    assert ("erasure", {"what_to_erase": "everything", "reason": "I left"}) in case.requests
    assert slots["more_request_types"] is None and slots["code_sent"] is True
    assert [m[0] for m in messages] == ["utter_case_opened", "utter_code_sent"]
