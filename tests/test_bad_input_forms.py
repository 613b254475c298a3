"""Whatever a person types into the request form (very long strings, emoji, right-to-left text, control
characters, NUL bytes, SQL and HTML injection, odd phone numbers and dates), every validator answers without
raising: it accepts a value in its documented form and limits, or refuses with one message saying what to give.
What is accepted is stored as given, on both databases, and never executed."""
from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, select

from actions.common import MAX_TEXT, clean_text
from actions.request_form import MAX_NAME, ValidateRequestForm
from bot import cases, db
from bot.contact import InvalidContact, normalise_email, normalise_phone
from bot.models import Case, CaseRequest
from bot.requests import Channel, RequestType
from tests.test_actions import TODAY, fixed_today, make_tracker, run  # noqa: F401 - fixture

PIECES = ["'; DROP TABLE cases; --", "\" OR 1=1 --", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
          "{{7*7}}", "${jndi:ldap://x}", "\x00", "\r\n", "\t", "\x1b[31m", "\u202e", "\u200f", "\u2066",
          "مرحبا بكم", "שלום", "😀", "👩🏽‍⚖️", "🇪🇺", "\ufeff", "+44 7700 900123", "0044 (0)7700-900-123",
          "07700 900123", "+1 (555) 010-9999 ext. 12", "31/02/2026", "2026-13-45", "yesterday", "3pm", "25:99",
          "jane@example.org", "a@b", "@@", "PD-7K3M-Q9TX", "Jean-Luc O'Neil", "José Müller-Łukasz"]
HOSTILE_TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=6).map(" ".join),
    st.tuples(st.sampled_from(PIECES), st.text(max_size=50), st.sampled_from(PIECES)).map("".join),
    st.sampled_from(["x" * 20_000, "😀" * 5_000, "\x00" * 1_000, "\u202e" * 2_000 + "Jane Doe",
                     "Jane " * 3_000, "1" * 5_000]),
)
SLOTS = {  # slot: (request type, what an accepted value must look like)
    "requester_name": ("access", lambda v, typed: v == _name(typed) and len(v) <= MAX_NAME),
    "requester_email": ("access", lambda v, typed: normalise_email(v) == v and v.split("@")[0] in typed),
    "phone": ("call_recording", lambda v, typed: re.fullmatch(r"\+\d{6,15}", v) is not None),
    "call_date": ("call_recording", lambda v, typed: date.fromisoformat(v) <= TODAY),
    "call_time": ("call_recording", lambda v, typed: re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", v) is not None),
    "erase_scope": ("erasure", lambda v, typed: v == clean_text(typed) and len(v) <= MAX_TEXT),
    "wrong_detail": ("rectification", lambda v, typed: v == clean_text(typed)),
    "correct_value": ("rectification", lambda v, typed: v == clean_text(typed)),
    "objected_processing": ("objection", lambda v, typed: v == clean_text(typed)),
    "complaint_what": ("complaint", lambda v, typed: v == clean_text(typed)),
}
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def _name(typed: str) -> str:
    from actions.request_form import _NAME_INTRO

    return _NAME_INTRO.sub("", clean_text(typed, MAX_NAME + 40)).strip(" .,!")


@pytest.mark.parametrize("slot", SLOTS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=HOSTILE_TEXT)
def test_every_form_answer_is_accepted_in_its_form_or_refused_with_one_message(fixed_today, slot, typed):
    request_type, looks_right = SLOTS[slot]
    tracker = make_tracker(text=typed, slots={"request_type": request_type, "requested_slot": slot},
                           candidates={slot: typed})
    slots, messages = run(ValidateRequestForm(), tracker)
    value = slots.get(slot)
    if slots.get("request_outcome") == "stopped":  # "no", "stop", "N": the rules say goodbye, nothing is kept
        assert value is None and messages == []
    elif value is None:
        assert len(messages) == 1 and messages[0][0].startswith(("utter_invalid", "utter_call_", "utter_ask_"))
    else:
        assert isinstance(value, str) and not UNSAFE.search(value) and looks_right(value, typed), (typed, value)


@settings(max_examples=300, deadline=None)
@given(typed=HOSTILE_TEXT)
def test_contact_details_are_normalised_or_refused_with_a_reason(typed):
    for normalise in (normalise_email, normalise_phone):
        try:
            value = normalise(typed)
        except InvalidContact as refused:
            assert str(refused) and "Traceback" not in str(refused)
        else:
            assert not UNSAFE.search(value) and len(value) <= 254


HOSTILE_STORED = {"name": "Robert'); DROP TABLE cases;-- <b>Bobby</b> 😀 \u05e9\u05dc\u05d5\u05dd",
                  "erase_scope": "<script>alert(1)</script> ' OR '1'='1 " + "é" * 990}


def test_hostile_details_are_stored_exactly_as_given_and_never_executed(any_store):
    with db.session_scope(any_store) as session:
        reference = cases.open_case(session, cases.NewRequest(
            [RequestType.ERASURE], Channel.CHAT, name=HOSTILE_STORED["name"], email="bobby@example.org",
            details={"erase_scope": HOSTILE_STORED["erase_scope"]})).case.reference
    with db.session_scope(any_store) as session:
        case = session.execute(select(Case).where(Case.reference == reference)).scalar_one()
        request = session.execute(select(CaseRequest).where(CaseRequest.case_id == case.id)).scalar_one()
        assert case.requester_name == HOSTILE_STORED["name"]
        assert request.details["erase_scope"] == HOSTILE_STORED["erase_scope"]
        assert "cases" in inspect(session.get_bind()).get_table_names()
