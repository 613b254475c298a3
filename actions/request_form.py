"""The request form: which details each kind of request needs, how each is read from what the person wrote,
and the summary they confirm. One form serves every request type; `required_slots` picks the questions.

A detail given before it is asked (in the first message, or as a correction: "no, the call was on Monday")
is read by the `extract_<slot>` methods; the answer to the question being asked is read by `validate_<slot>`.

A chat message may ask for more than one thing ("send me what you have and then delete it"): its intent gives
`request_type`, its other clauses `more_request_types` (assistant/classify.py), and the form asks what all of
them need, once each.
"""
from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions import wording
from actions.common import (MAX_TEXT, channel_of, clean_text, language_of, metadata_of, says_stop, says_yes, text_of,
                            today)
from bot import deadlines, notices, settings
from bot.authorities import authority_for, find_authority
from bot.contact import InvalidContact, normalise_phone
from bot.details import find_email, find_phone, parse_call_date, parse_call_time

log = logging.getLogger("privacy_desk.actions")

MAX_FAILURES = 2  # wrong answers in a row before the detail is explained and the person asked to carry on
MAX_NAME = 200

DETAILS_BY_TYPE = {
    "call_recording": ["phone", "call_date", "call_time"],
    "erasure": ["erase_scope", "erase_reason"],
    "rectification": ["wrong_detail", "correct_value"],
    "objection": ["objected_processing"],
    "complaint": ["complaint_what", "country"],
}
CONTACT = ["requester_name", "requester_email"]
FREE_TEXT = ("erase_scope", "wrong_detail", "correct_value", "objected_processing", "complaint_what")
# Every slot the form may fill; all are cleared when a request ends (name and email are kept for the next one).
REQUEST_SLOTS = ["more_request_types", "phone", "call_date", "call_time", "erase_scope", "erase_reason",
                 "wrong_detail", "correct_value", "objected_processing", "complaint_what", "country", "access_instead",
                 "continue_form", "request_confirmed", "validation_failures", "correction_asked", "request_outcome"]
EXPLAINED = {"requester_name", "requester_email", "phone", "call_date", "call_time", "country"}
_NAME_INTRO = re.compile(
    r"^(?:my name is|my name's|i am|i'm|it's|it is|this is|name:|je m'appelle|je suis|mon nom est|c'est|"
    r"ich heiße|ich heisse|mein name ist|ich bin|me llamo|mi nombre es|soy|mi chiamo|il mio nome è|sono|"
    r"mijn naam is|ik heet|ik ben|o meu nome é|chamo-me|numele meu este|mă numesc|ma numesc)\s+",
    re.IGNORECASE)


def details_needed(request_type: Optional[str]) -> List[str]:
    return list(DETAILS_BY_TYPE.get(request_type or "", []))


def request_types(tracker: Tracker) -> List[str]:
    """What the person asks for: the request of their message's intent first, then any other its clauses hold."""
    first = tracker.get_slot("request_type") or "access"
    more = tracker.get_slot("more_request_types") or []
    return list(dict.fromkeys([first] + [kind for kind in more if isinstance(kind, str)]))


def details_of(kinds: List[str]) -> List[str]:
    """The details every one of `kinds` needs, each once, in the order the requests were made."""
    return list(dict.fromkeys(slot for kind in kinds for slot in details_needed(kind)))


def more_requests_in(tracker: Tracker) -> List[str]:
    """The other requests of the message that started the form. A letter is not read here: the mail poller has
    already read it sentence by sentence and opened its case with every request it holds."""
    if channel_of(tracker) == "email":
        return []
    try:
        from assistant.classify import more_requests

        return more_requests(text_of(tracker), tracker.get_slot("request_type") or "access")
    except Exception:  # noqa: BLE001 - without a model the first request still goes ahead, as before
        log.warning("the other requests of conversation %s could not be read", tracker.sender_id[:40])
        return []


def recording_held(call_date: date) -> bool:
    return deadlines.recording_still_held(call_date, today(), settings.get_int("recording_retention_months"))


def _iso_date(value: Any) -> Optional[date]:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def call_time_text(value: Optional[str], language: str) -> str:
    return wording.part_of_day(language, value) if value in ("morning", "afternoon", "evening") else (value or "")


class ValidateRequestForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_request_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> List[Text]:
        if tracker.get_slot("request_outcome"):
            return []  # confirmed or stopped: the form ends and the rules take over
        if (tracker.get_slot("validation_failures") or 0) >= MAX_FAILURES:
            return ["continue_form"]
        request_type = tracker.get_slot("request_type")
        details = details_of(request_types(tracker))
        call_date = _iso_date(tracker.get_slot("call_date"))
        if request_type == "call_recording" and call_date and not recording_held(call_date):
            details = ["access_instead"] + details
        return details + CONTACT + ["request_confirmed"]

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        found: List[EventType] = []
        if tracker.get_slot("requested_slot") is None and not tracker.get_slot("more_request_types"):
            more = more_requests_in(tracker)  # nothing asked yet: this is the message that started the form
            found = [SlotSet("more_request_types", more)] if more else []
            tracker.add_slots(found)
        events = found + await super().run(dispatcher, tracker, domain)
        # A letter is not asked "shall I submit?": the poller registered it on arrival, and a round of letters
        # only to confirm would delay the answer. Once every detail is known, it is confirmed.
        asking = next((e.get("value") for e in reversed(events)
                       if e.get("event") == "slot" and e.get("name") == "requested_slot"), None)
        if channel_of(tracker) == "email" and not tracker.get_slot("request_outcome") \
                and asking == "request_confirmed" \
                and not tracker.get_slot("correction_asked"):
            events += [SlotSet("request_confirmed", True), SlotSet("request_outcome", "confirmed"),
                       SlotSet("requested_slot", None)]
        return events

    # ---- how a failed answer, a stop and an accepted answer look ----
    def _failed(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker, response: str,
                **fields: Any) -> Dict[Text, Any]:
        if tracker.get_slot("requested_slot") != slot:
            return {slot: None}  # found in passing and unusable: say nothing, it will be asked in its turn
        dispatcher.utter_message(response=response, **fields)
        failures = int(tracker.get_slot("validation_failures") or 0) + 1
        if failures >= MAX_FAILURES:
            dispatcher.utter_message(response=f"utter_explain_{slot}" if slot in EXPLAINED else "utter_explain_detail")
        return {slot: None, "validation_failures": failures}

    @staticmethod
    def _ok(slot: str, value: Any) -> Dict[Text, Any]:
        return {slot: value, "validation_failures": 0}

    @staticmethod
    def _stop(slot: str) -> Dict[Text, Any]:
        return {slot: None, "request_outcome": "stopped"}

    def _stops(self, slot: str, tracker: Tracker) -> bool:
        return tracker.get_slot("requested_slot") == slot and says_stop(tracker)

    def _asked(self, slot: str, tracker: Tracker) -> bool:
        return tracker.get_slot("requested_slot") == slot

    # ---- details found before they are asked (first message, corrections, email metadata) ----
    def extract_requester_name(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        name = metadata_of(tracker).get("from_name")
        if not tracker.get_slot("requester_name") and isinstance(name, str) and clean_text(name, MAX_NAME):
            return {"requester_name": clean_text(name, MAX_NAME)}
        return {}

    def extract_requester_email(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if self._asked("requester_email", tracker):
            return {}
        found = find_email(text_of(tracker))
        if not found and not tracker.get_slot("requester_email"):
            sender = metadata_of(tracker).get("from_address")
            found = find_email(sender) if isinstance(sender, str) else None
        return {"requester_email": found} if found and found != tracker.get_slot("requester_email") else {}

    def extract_phone(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if self._asked("phone", tracker):
            return {}
        found = find_phone(text_of(tracker)) or self._from_letter(tracker, "phone")
        return {"phone": found} if found and found != tracker.get_slot("phone") else {}

    def extract_call_date(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        # Not while a name is being given: "April", "Mardi" and "Morning" are names too.
        if self._asked("call_date", tracker) or self._asked("requester_name", tracker):
            return {}
        found = parse_call_date(text_of(tracker), language_of(tracker), today()).value
        value = found.isoformat() if found else self._from_letter(tracker, "call_date")
        return {"call_date": value} if value and value != tracker.get_slot("call_date") else {}

    def extract_call_time(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if self._asked("call_time", tracker) or self._asked("requester_name", tracker):
            return {}
        found = parse_call_time(text_of(tracker), language_of(tracker)) or self._from_letter(tracker, "call_time")
        return {"call_time": found} if found and found != tracker.get_slot("call_time") else {}

    def extract_country(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if self._asked("country", tracker):
            return {}
        found = find_authority(text_of(tracker))
        return {"country": found.country} if found and found.country != tracker.get_slot("country") else {}

    @staticmethod
    def _from_letter(tracker: Tracker, key: str) -> Optional[str]:
        """A detail the mail poller already read from the letter, unless the slot holds one."""
        if tracker.get_slot(key):
            return None
        details = metadata_of(tracker).get("details")
        value = details.get(key) if isinstance(details, dict) else None
        return value if isinstance(value, str) else None

    # ---- answers to the questions ----
    def validate_requester_name(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if self._stops("requester_name", tracker):
            return self._stop("requester_name")
        name = clean_text(value, MAX_NAME + 40)
        name = _NAME_INTRO.sub("", name).strip(" .,!") if name else None
        if not name or len(name) > MAX_NAME or "@" in name or sum(c.isalpha() for c in name) < 2 \
                or sum(c.isdigit() for c in name) > 2:
            return self._failed("requester_name", dispatcher, tracker, "utter_invalid_name")
        return self._ok("requester_name", name)

    def validate_requester_email(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if self._stops("requester_email", tracker):
            return self._stop("requester_email")
        found = find_email(value) if isinstance(value, str) else None
        if not found:
            return self._failed("requester_email", dispatcher, tracker, "utter_invalid_email")
        return self._ok("requester_email", found)

    def validate_phone(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if self._stops("phone", tracker):
            return self._stop("phone")
        found = find_phone(value) if isinstance(value, str) else None
        if not found and isinstance(value, str):
            try:
                found = normalise_phone(value)
            except InvalidContact:
                found = None
        if not found:
            return self._failed("phone", dispatcher, tracker, "utter_invalid_phone")
        return self._ok("phone", found)

    def validate_call_date(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if self._stops("call_date", tracker):
            return self._stop("call_date")
        language = language_of(tracker)
        parsed = _iso_date(value)
        if parsed is None and isinstance(value, str):
            parsed = parse_call_date(value, language, today()).value
        if parsed is None:
            return self._failed("call_date", dispatcher, tracker, "utter_invalid_call_date")
        shown = notices.format_date(parsed, wording.reply_language(language))
        if parsed > today():
            return self._failed("call_date", dispatcher, tracker, "utter_call_date_future", call_date_text=shown)
        if not recording_held(parsed):
            # Said honestly and at once; required_slots then offers a general access request instead.
            dispatcher.utter_message(response="utter_recording_no_longer_held", call_date_text=shown,
                                     months=settings.get("recording_retention_months"))
        return self._ok("call_date", parsed.isoformat())

    def validate_call_time(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if self._stops("call_time", tracker):
            return self._stop("call_time")
        found = value if value in ("morning", "afternoon", "evening") or \
            (isinstance(value, str) and re.fullmatch(r"[0-2][0-9]:[0-5][0-9]", value)) else None
        if not found and isinstance(value, str):
            found = parse_call_time(value, language_of(tracker))
        if not found:
            return self._failed("call_time", dispatcher, tracker, "utter_invalid_call_time")
        return self._ok("call_time", found)

    def _free_text(self, slot: str, value, dispatcher, tracker) -> Dict[Text, Any]:
        if self._stops(slot, tracker):
            return self._stop(slot)
        text = clean_text(value)
        if not text:
            return self._failed(slot, dispatcher, tracker, "utter_invalid_text", max_chars=str(MAX_TEXT))
        return self._ok(slot, text)

    def validate_erase_scope(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._free_text("erase_scope", value, dispatcher, tracker)

    def validate_wrong_detail(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._free_text("wrong_detail", value, dispatcher, tracker)

    def validate_correct_value(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._free_text("correct_value", value, dispatcher, tracker)

    def validate_objected_processing(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._free_text("objected_processing", value, dispatcher, tracker)

    def validate_complaint_what(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._free_text("complaint_what", value, dispatcher, tracker)

    def validate_erase_reason(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        # Optional: "no" here means "no reason given", not "stop"; only a stop word stops.
        if wording.words_of(text_of(tracker)) in wording.STOP_WORDS:
            return self._stop("erase_reason")
        if says_stop(tracker):
            return self._ok("erase_reason", "")
        return self._free_text("erase_reason", value, dispatcher, tracker)

    def validate_country(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if self._stops("country", tracker):
            return self._stop("country")
        authority = authority_for(value) if isinstance(value, str) and len(value) == 2 and value.isupper() else None
        authority = authority or (find_authority(value) if isinstance(value, str) else None)
        if authority is None:
            return self._failed("country", dispatcher, tracker, "utter_invalid_country")
        return self._ok("country", authority.country)

    def validate_access_instead(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if says_yes(tracker):
            # The recording is gone; the request becomes a general access request about what we still hold.
            return {"access_instead": True, "request_type": "access", "call_date": None, "call_time": None,
                    "validation_failures": 0}
        if says_stop(tracker):
            return self._stop("access_instead")
        dispatcher.utter_message(response="utter_invalid_yes_no")
        return {"access_instead": None}

    def validate_continue_form(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if says_yes(tracker):
            return {"continue_form": None, "validation_failures": 0}
        if says_stop(tracker):
            return {"continue_form": None, "validation_failures": 0, "request_outcome": "stopped"}
        dispatcher.utter_message(response="utter_invalid_yes_no")
        return {"continue_form": None}

    def validate_request_confirmed(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        corrected = [s for s in tracker.slots_to_validate() if s in REQUEST_SLOTS + CONTACT
                     and s not in ("request_confirmed", "validation_failures")]
        if corrected:
            return {"request_confirmed": None, "correction_asked": False}  # summarise again with the change
        if wording.words_of(text_of(tracker)) in wording.STOP_WORDS:
            return {"request_confirmed": None, "request_outcome": "stopped", "correction_asked": False}
        if not tracker.get_slot("correction_asked"):
            if says_yes(tracker):
                return {"request_confirmed": True, "request_outcome": "confirmed"}
            if says_stop(tracker):
                return {"request_confirmed": None, "correction_asked": True}  # "no": ask what to change
            dispatcher.utter_message(response="utter_invalid_yes_no")
            return {"request_confirmed": None}
        # We asked which detail to change: a named detail is asked again; a second "no" stops.
        if says_stop(tracker):
            return {"request_confirmed": None, "request_outcome": "stopped", "correction_asked": False}
        candidates = details_of(request_types(tracker)) + CONTACT
        named = wording.details_named(text_of(tracker), candidates)
        if not named:
            dispatcher.utter_message(response="utter_unknown_detail")
            return {"request_confirmed": None}
        return {**{slot: None for slot in named}, "request_confirmed": None, "correction_asked": False}


class ActionAskRequestConfirmed(Action):
    """Summarise the request in the person's language and ask to confirm (or ask what to change)."""

    def name(self) -> Text:
        return "action_ask_request_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if tracker.get_slot("correction_asked"):
            dispatcher.utter_message(response="utter_ask_which_detail")
            return []
        dispatcher.utter_message(response="utter_request_summary", summary=summary(tracker))
        dispatcher.utter_message(response="utter_ask_request_confirmed")
        return []


def summary(tracker: Tracker) -> str:
    language = wording.reply_language(language_of(tracker))
    kinds = request_types(tracker)
    lines = [(wording.label(language, "request"), ", ".join(notices.phrase(language, "LABELS", k) for k in kinds))]
    for slot in details_of(kinds) + CONTACT:
        lines.append((wording.label(language, slot), shown_value(slot, tracker.get_slot(slot), language)))
    colon = " :" if language == "fr" else ":"  # French puts a space before the colon
    return "\n".join(f"- {name}{colon} {value}" for name, value in lines)


def shown_value(slot: str, value: Any, language: str) -> str:
    if slot == "call_date" and _iso_date(value):
        return notices.format_date(_iso_date(value), language)
    if slot == "call_time":
        return call_time_text(value, language)
    if slot == "country" and isinstance(value, str):
        authority = authority_for(value)
        return authority.country_name(language) if authority else value
    if slot == "erase_reason" and not value:
        return wording.NOT_GIVEN[language]
    text = str(value or "")
    return text if len(text) <= 300 else text[:297] + "..."


def clear_request(keep_contact: bool = True) -> List[EventType]:
    """Events that forget a finished request's details (the contact details are kept for the next one)."""
    events = [SlotSet(slot, False if slot == "correction_asked" else None) for slot in REQUEST_SLOTS]
    events.append(SlotSet("requested_slot", None))
    if not keep_contact:
        events += [SlotSet(slot, None) for slot in CONTACT]
    return events
