"""The request form's validation and the language slot, as the action server runs them.

Each test builds the tracker the Rasa server would send (Tracker.from_dict), runs the action with a fresh
CollectingDispatcher, and asserts exactly which slots it sets and what it says. No model is needed.
"""
from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import common, request_form
from actions.global_slots import ValidateGlobalSlots
from actions.request_form import ActionAskRequestConfirmed, ValidateRequestForm

DOMAIN = yaml.safe_load((Path(__file__).resolve().parent.parent / "domain.yml").read_text(encoding="utf-8"))
TODAY = date(2026, 11, 23)  # a Monday
_STANDARD_KEYS = {"text", "buttons", "elements", "custom", "template", "response", "image", "attachment"}


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(common, "today", lambda: TODAY)
    monkeypatch.setattr(request_form, "today", lambda: TODAY)


def make_tracker(*, text: str = "", intent: str = "inform", slots: dict | None = None, candidates: dict | None = None,
                 loop: str | None = "request_form", metadata: dict | None = None, sender: str = "test-chat",
                 history: list | None = None) -> Tracker:
    """The tracker a form's validation action receives: the user's message, the form, then the slot candidates
    (what Rasa's own slot mappings took from the message)."""
    slots = {"language": "en", **(slots or {})}
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": [],
               "metadata": metadata or {}}
    events = list(history or []) + [{"event": "user", "text": text, "parse_data": message, "timestamp": 1.0}]
    if loop:
        events.append({"event": "action", "name": loop})
    for name, value in (candidates or {}).items():
        events.append({"event": "slot", "name": name, "value": value})
        slots[name] = value
    return Tracker.from_dict({"sender_id": sender, "slots": slots, "latest_message": message, "events": events,
                              "active_loop": {"name": loop} if loop else {}, "latest_action_name": loop})


def run(action, tracker: Tracker) -> tuple[dict, list]:
    """(slots the action set, in order, as a dict; what it said as (response, fields))."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return slots_of(events), said(dispatcher)


def slots_of(events: list) -> dict:
    assert all(e["event"] == "slot" for e in events), events
    found = {}
    for event in events:
        found[event["name"]] = event["value"]
    return found


def said(dispatcher: CollectingDispatcher) -> list:
    return [(m["response"], {k: v for k, v in m.items() if k not in _STANDARD_KEYS}) for m in dispatcher.messages]


RECORDING = {"request_type": "call_recording"}
ALL_GIVEN = {**RECORDING, "phone": "+447700900123", "call_date": "2026-11-22", "call_time": "15:00",
             "requester_name": "Jane Doe", "requester_email": "jane@example.org"}


# ---- which questions a request gets -------------------------------------------------------------------------------
@pytest.mark.parametrize("request_type, expected", [
    ("call_recording", ["phone", "call_date", "call_time", "requester_name", "requester_email", "request_confirmed"]),
    ("erasure", ["erase_scope", "erase_reason", "requester_name", "requester_email", "request_confirmed"]),
    ("rectification", ["wrong_detail", "correct_value", "requester_name", "requester_email", "request_confirmed"]),
    ("objection", ["objected_processing", "requester_name", "requester_email", "request_confirmed"]),
    ("complaint", ["complaint_what", "country", "requester_name", "requester_email", "request_confirmed"]),
    ("access", ["requester_name", "requester_email", "request_confirmed"]),
    ("withdraw_consent", ["requester_name", "requester_email", "request_confirmed"]),
])
def test_each_request_type_asks_for_its_details_then_name_email_and_confirmation(request_type, expected):
    tracker = make_tracker(slots={"request_type": request_type})
    assert asyncio.run(ValidateRequestForm().required_slots([], CollectingDispatcher(), tracker, DOMAIN)) == expected


def test_details_in_the_first_message_are_not_asked_again():
    tracker = make_tracker(text="I want the recording of my call yesterday around 3pm from +44 7700 900123",
                           intent="request_call_recording", slots=RECORDING)
    slots, messages = run(ValidateRequestForm(), tracker)
    assert slots == {"phone": "+447700900123", "validation_failures": 0, "call_date": "2026-11-22",
                     "call_time": "15:00", "requested_slot": "requester_name"}
    assert messages == []


def test_an_email_letter_brings_sender_and_details_and_is_not_asked_to_confirm():
    tracker = make_tracker(text="Please send me the recording of my call.", intent="request_call_recording",
                           slots={**RECORDING, "channel": "email"},
                           metadata={"channel": "email", "from_address": "Ann.Lee@Example.org", "from_name": "Ann Lee",
                                     "details": {"phone": "+447700900123", "call_date": "2026-11-20",
                                                 "call_time": "morning"}})
    slots, messages = run(ValidateRequestForm(), tracker)
    assert slots["requester_email"] == "Ann.Lee@example.org"
    assert slots["requester_name"] == "Ann Lee"
    assert (slots["phone"], slots["call_date"], slots["call_time"]) == ("+447700900123", "2026-11-20", "morning")
    assert (slots["request_confirmed"], slots["request_outcome"], slots["requested_slot"]) == (True, "confirmed", None)
    assert messages == []


# ---- phone -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("typed, expected", [
    ("+44 7700 900123", "+447700900123"),
    ("07700 900123", "+447700900123"),
    ("0033 6 12 34 56 78", "+33612345678"),
    ("my number is +33 (0)6 12 34 56 78", "+33612345678"),
    ("+49 151 23456789", "+4915123456789"),
])
def test_phone_numbers_are_normalised_to_e164(typed, expected):
    tracker = make_tracker(text=typed, slots={**RECORDING, "requested_slot": "phone"}, candidates={"phone": typed})
    slots, messages = run(ValidateRequestForm(), tracker)
    assert (slots["phone"], slots["validation_failures"], messages) == (expected, 0, [])


@pytest.mark.parametrize("typed", ["hello", "12", "☎️☎️☎️", "+44 " + "9" * 60, "'; DROP TABLE cases; --"])
def test_an_unreadable_phone_number_is_explained_and_asked_again(typed):
    tracker = make_tracker(text=typed, slots={**RECORDING, "requested_slot": "phone"}, candidates={"phone": typed})
    slots, messages = run(ValidateRequestForm(), tracker)
    assert slots == {"phone": None, "validation_failures": 1, "requested_slot": "phone"}
    assert messages == [("utter_invalid_phone", {})]


def test_a_second_failure_explains_why_and_offers_to_carry_on_or_stop():
    tracker = make_tracker(text="no idea", slots={**RECORDING, "requested_slot": "phone", "validation_failures": 1},
                           candidates={"phone": "no idea"})
    slots, messages = run(ValidateRequestForm(), tracker)
    assert slots == {"phone": None, "validation_failures": 2, "requested_slot": "continue_form"}
    assert messages == [("utter_invalid_phone", {}), ("utter_explain_phone", {})]


@pytest.mark.parametrize("answer, intent, expected", [
    ("yes", "affirm", {"continue_form": None, "validation_failures": 0, "requested_slot": "phone"}),
    ("no", "deny", {"continue_form": None, "validation_failures": 0, "request_outcome": "stopped",
                    "requested_slot": None}),
])
def test_carrying_on_asks_the_detail_again_and_no_stops(answer, intent, expected):
    tracker = make_tracker(text=answer, intent=intent,
                           slots={**RECORDING, "requested_slot": "continue_form", "validation_failures": 2},
                           candidates={"continue_form": answer})
    slots, messages = run(ValidateRequestForm(), tracker)
    assert slots == expected
    assert messages == []


# ---- date and time of the call -----------------------------------------------------------------------------------
@pytest.mark.parametrize("typed, language, expected", [
    ("yesterday", "en", "2026-11-22"),
    ("last Tuesday", "en", "2026-11-17"),
    ("3 March", "en", "2026-03-03"),
    ("hier", "fr", "2026-11-22"),
    ("am 3. März", "de", "2026-03-03"),
    ("2026-11-20", "en", "2026-11-20"),
])
def test_call_dates_are_read_in_the_persons_language(typed, language, expected):
    tracker = make_tracker(text=typed, slots={**RECORDING, "requested_slot": "call_date", "language": language},
                           candidates={"call_date": typed})
    slots, messages = run(ValidateRequestForm(), tracker)
    assert (slots["call_date"], messages) == (expected, [])


def test_a_future_date_is_refused_with_the_date_read():
    tracker = make_tracker(text="25 December", slots={**RECORDING, "requested_slot": "call_date"},
                           candidates={"call_date": "25 December"})
    slots, messages = run(ValidateRequestForm(), tracker)
    # A day and month without a year is the most recent one, so "25 December" is last year's: not future.
    assert slots["call_date"] == "2025-12-25"
    tracker = make_tracker(text="tomorrow", slots={**RECORDING, "phone": "+447700900123", "requested_slot": "call_date"},
                           candidates={"call_date": "tomorrow"})
    slots, messages = run(ValidateRequestForm(), tracker)
    assert slots == {"call_date": None, "validation_failures": 1, "requested_slot": "call_date"}
    assert messages == [("utter_call_date_future", {"call_date_text": "24 November 2026"})]


def test_a_call_older_than_the_retention_period_is_answered_honestly_and_access_offered_instead():
    tracker = make_tracker(text="3 March 2024", slots={**RECORDING, "requested_slot": "call_date"},
                           candidates={"call_date": "3 March 2024"})
    slots, messages = run(ValidateRequestForm(), tracker)
    assert slots == {"call_date": "2024-03-03", "validation_failures": 0, "requested_slot": "access_instead"}
    assert messages == [("utter_recording_no_longer_held", {"call_date_text": "3 March 2024", "months": "12"})]


def test_accepting_access_instead_turns_the_request_into_an_access_request():
    tracker = make_tracker(text="yes", intent="affirm",
                           slots={**RECORDING, "requested_slot": "access_instead", "call_date": "2024-03-03"},
                           candidates={"access_instead": "yes"})
    slots, messages = run(ValidateRequestForm(), tracker)
    assert slots == {"access_instead": True, "request_type": "access", "call_date": None, "call_time": None,
                     "validation_failures": 0, "requested_slot": "requester_name"}
    assert messages == []


def test_refusing_access_instead_stops():
    tracker = make_tracker(text="no thanks", intent="deny",
                           slots={**RECORDING, "requested_slot": "access_instead", "call_date": "2024-03-03"},
                           candidates={"access_instead": "no thanks"})
    slots, _ = run(ValidateRequestForm(), tracker)
    assert (slots["request_outcome"], slots["requested_slot"]) == ("stopped", None)


@pytest.mark.parametrize("typed, language, expected", [
    ("around 2pm", "en", "14:00"), ("14h30", "fr", "14:30"), ("in the morning", "en", "morning"),
    ("gegen 15 Uhr", "de", "15:00"), ("por la tarde", "es", "afternoon"),
])
def test_call_times_are_read(typed, language, expected):
    tracker = make_tracker(text=typed, slots={**RECORDING, "requested_slot": "call_time", "language": language},
                           candidates={"call_time": typed})
    slots, messages = run(ValidateRequestForm(), tracker)
    assert (slots["call_time"], messages) == (expected, [])


def test_an_unreadable_time_is_asked_again():
    tracker = make_tracker(text="whenever", slots={**RECORDING, "phone": "+447700900123", "call_date": "2026-11-22",
                                                   "requested_slot": "call_time"},
                           candidates={"call_time": "whenever"})
    slots, messages = run(ValidateRequestForm(), tracker)
    assert slots == {"call_time": None, "validation_failures": 1, "requested_slot": "call_time"}
    assert messages == [("utter_invalid_call_time", {})]


# ---- name, email, free text --------------------------------------------------------------------------------------
@pytest.mark.parametrize("typed, expected", [
    ("Jane Doe", "Jane Doe"),
    ("my name is Jane Doe", "Jane Doe"),
    ("je m'appelle Jean Dupont", "Jean Dupont"),
    ("محمد علي", "محمد علي"),
    ("Zoë\u202e O'Brien\x00", "Zoë O'Brien"),
    ("<b>Jane</b>", "<b>Jane</b>"),  # stored as text, shown as text: never interpreted
])
def test_names(typed, expected):
    tracker = make_tracker(text=typed, slots={"request_type": "access", "requested_slot": "requester_name"},
                           candidates={"requester_name": typed})
    slots, messages = run(ValidateRequestForm(), tracker)
    assert (slots["requester_name"], messages) == (expected, [])


@pytest.mark.parametrize("typed", ["😀😀😀", "x" * 5000, "jane@example.org", "12345678", "   "])
def test_unusable_names_are_asked_again(typed):
    tracker = make_tracker(text=typed, slots={"request_type": "access", "requested_slot": "requester_name"},
                           candidates={"requester_name": typed})
    slots, messages = run(ValidateRequestForm(), tracker)
    assert slots["requester_name"] is None
    assert messages == [("utter_invalid_name", {})]


@pytest.mark.parametrize("typed, expected", [
    ("jane@example.org", "jane@example.org"), ("it's Jane.Doe@EXAMPLE.org thanks", "Jane.Doe@example.org"),
    ("not an address", None), ("jane@", None), ("<script>alert(1)</script>@x", None),
])
def test_email_addresses(typed, expected):
    tracker = make_tracker(text=typed, slots={"request_type": "access", "requested_slot": "requester_email",
                                              "requester_name": "Jane Doe"},
                           candidates={"requester_email": typed})
    slots, messages = run(ValidateRequestForm(), tracker)
    assert slots["requester_email"] == expected
    assert messages == ([] if expected else [("utter_invalid_email", {})])


def test_free_text_details_are_cleaned_and_too_long_ones_refused():
    base = {"request_type": "erasure", "requested_slot": "erase_scope"}
    slots, _ = run(ValidateRequestForm(), make_tracker(text="only my\tphone\x07 number", slots=base,
                                                       candidates={"erase_scope": "only my\tphone\x07 number"}))
    assert slots["erase_scope"] == "only my phone number"
    slots, messages = run(ValidateRequestForm(), make_tracker(text="a" * 1001, slots=base,
                                                              candidates={"erase_scope": "a" * 1001}))
    assert slots["erase_scope"] is None
    assert messages == [("utter_invalid_text", {"max_chars": "1000"})]


def test_the_reason_for_erasure_is_optional():
    base = {"request_type": "erasure", "erase_scope": "everything", "requested_slot": "erase_reason"}
    slots, messages = run(ValidateRequestForm(), make_tracker(text="no", intent="deny", slots=base,
                                                              candidates={"erase_reason": "no"}))
    assert (slots["erase_reason"], slots["requested_slot"], messages) == ("", "requester_name", [])


def test_the_country_of_a_complaint_is_read_and_unknown_ones_asked_again():
    base = {"request_type": "complaint", "complaint_what": "my data was shared", "requested_slot": "country"}
    slots, _ = run(ValidateRequestForm(), make_tracker(text="I live in Ireland", slots=base,
                                                       candidates={"country": "I live in Ireland"}))
    assert slots["country"] == "IE"
    slots, messages = run(ValidateRequestForm(), make_tracker(text="Atlantis", slots=base,
                                                              candidates={"country": "Atlantis"}))
    assert (slots["country"], messages) == (None, [("utter_invalid_country", {})])


# ---- stopping and confirming ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, intent", [("no", "deny"), ("stop", "withdraw_consent"), ("Annuler", "nlu_fallback"),
                                          ("abbrechen!", "out_of_scope")])
def test_the_person_can_stop_at_any_question(text, intent):
    tracker = make_tracker(text=text, intent=intent, slots={**RECORDING, "requested_slot": "phone"},
                           candidates={"phone": text})
    slots, messages = run(ValidateRequestForm(), tracker)
    assert slots == {"phone": None, "request_outcome": "stopped", "requested_slot": None}
    assert messages == []


def test_yes_confirms():
    tracker = make_tracker(text="yes", intent="affirm", slots={**ALL_GIVEN, "requested_slot": "request_confirmed"},
                           candidates={"request_confirmed": "yes"})
    slots, _ = run(ValidateRequestForm(), tracker)
    assert slots == {"request_confirmed": True, "request_outcome": "confirmed", "requested_slot": None}


def test_a_correction_at_the_confirmation_updates_the_detail_and_summarises_again():
    tracker = make_tracker(text="no, the call was on Monday", intent="request_call_recording",
                           slots={**ALL_GIVEN, "requested_slot": "request_confirmed"},
                           candidates={"request_confirmed": "no, the call was on Monday"})
    slots, messages = run(ValidateRequestForm(), tracker)
    assert slots == {"request_confirmed": None, "correction_asked": False, "call_date": "2026-11-16",
                     "validation_failures": 0, "requested_slot": "request_confirmed"}
    assert messages == []


def test_no_at_the_confirmation_asks_what_to_change_and_a_named_detail_is_asked_again():
    tracker = make_tracker(text="no", intent="deny", slots={**ALL_GIVEN, "requested_slot": "request_confirmed"},
                           candidates={"request_confirmed": "no"})
    slots, _ = run(ValidateRequestForm(), tracker)
    assert slots == {"request_confirmed": None, "correction_asked": True, "requested_slot": "request_confirmed"}

    tracker = make_tracker(text="the time", slots={**ALL_GIVEN, "requested_slot": "request_confirmed",
                                                   "correction_asked": True},
                           candidates={"request_confirmed": "the time"})
    slots, _ = run(ValidateRequestForm(), tracker)
    assert slots == {"call_time": None, "request_confirmed": None, "correction_asked": False,
                     "requested_slot": "call_time"}


def test_a_detail_that_cannot_be_recognised_is_asked_about_again_and_a_second_no_stops():
    asked = {**ALL_GIVEN, "requested_slot": "request_confirmed", "correction_asked": True}
    slots, messages = run(ValidateRequestForm(), make_tracker(text="hmm", intent="nlu_fallback", slots=asked,
                                                              candidates={"request_confirmed": "hmm"}))
    assert slots == {"request_confirmed": None, "requested_slot": "request_confirmed"}
    assert messages == [("utter_unknown_detail", {})]
    slots, _ = run(ValidateRequestForm(), make_tracker(text="no", intent="deny", slots=asked,
                                                       candidates={"request_confirmed": "no"}))
    assert (slots["request_outcome"], slots["requested_slot"]) == ("stopped", None)


def test_the_summary_lists_every_detail_in_the_persons_language():
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={**ALL_GIVEN, "language": "fr", "call_time": "morning"})
    asyncio.run(ActionAskRequestConfirmed().run(dispatcher, tracker, DOMAIN))
    assert said(dispatcher) == [
        ("utter_request_summary", {"summary": "- Demande : copie d'un enregistrement d'appel\n"
                                              "- Numéro de téléphone : +447700900123\n"
                                              "- Date de l'appel : 22 novembre 2026\n"
                                              "- Heure de l'appel : le matin\n"
                                              "- Nom : Jane Doe\n"
                                              "- E-mail : jane@example.org"}),
        ("utter_ask_request_confirmed", {})]


def test_after_no_the_question_is_what_to_change():
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAskRequestConfirmed().run(dispatcher, make_tracker(slots={**ALL_GIVEN, "correction_asked": True}),
                                                DOMAIN))
    assert said(dispatcher) == [("utter_ask_which_detail", {})]


# ---- language ------------------------------------------------------------------------------------------------------
def global_tracker(text: str, language: str | None, **slots) -> Tracker:
    return make_tracker(text=text, slots={"language": language, **slots}, loop=None)


def test_the_language_follows_the_person_and_short_messages_keep_it():
    slots, messages = run(ValidateGlobalSlots(), global_tracker("Je voudrais une copie de mes données", "en"))
    assert (slots["language"], messages) == ("fr", [])
    slots, _ = run(ValidateGlobalSlots(), global_tracker("ok", "fr"))
    assert "language" not in slots


def test_a_language_we_do_not_write_gets_english_and_one_sentence_saying_so():
    slots, messages = run(ValidateGlobalSlots(), global_tracker("Olá, quero apagar todos os meus dados pessoais", "en"))
    assert slots["language"] == "pt" and slots["english_notice_given"] is True
    assert messages == [("utter_english_only", {})]
    slots, messages = run(ValidateGlobalSlots(), global_tracker("Por favor, apaguem também as gravações das chamadas",
                                                                "ro", english_notice_given=True))
    assert slots["language"] == "pt" and messages == []


def test_a_letter_brings_its_language_and_channel_in_the_metadata():
    tracker = make_tracker(text="ok", loop=None, slots={"language": None},
                           metadata={"channel": "email", "detected_language": "de", "language": "de"})
    slots, _ = run(ValidateGlobalSlots(), tracker)
    assert (slots["language"], slots["channel"]) == ("de", "email")


@pytest.mark.parametrize("slot, request_type", [("wrong_detail", "rectification"), ("correct_value", "rectification"),
                                                ("objected_processing", "objection"),
                                                ("complaint_what", "complaint")])
def test_every_free_text_detail_is_kept_as_typed_and_emoji_alone_is_refused(slot, request_type):
    base = {"request_type": request_type, "requested_slot": slot}
    slots, messages = run(ValidateRequestForm(), make_tracker(text="Rue de l'Église 7 → 9", slots=base,
                                                              candidates={slot: "Rue de l'Église 7 → 9"}))
    assert (slots[slot], messages) == ("Rue de l'Église 7 → 9", [])
    slots, messages = run(ValidateRequestForm(), make_tracker(text="🙄🙄", slots=base, candidates={slot: "🙄🙄"}))
    assert (slots[slot], messages) == (None, [("utter_invalid_text", {"max_chars": "1000"})])
