"""The status of a case, told only to a person who proves they own it.

The answers do not depend on whether the reference exists: an unknown reference gets the same "if this is your
case, we emailed a code" and the same count of tries left, so references cannot be probed from the chat."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions import wording
from actions.common import language_of, says_stop
from bot import cases, db, notices, verification
from bot.challenges import MAX_WRONG_TRIES, ResendLimit, VerificationLocked, normalise_code
from bot.lifecycle import CLOSED
from bot.references import normalise

log = logging.getLogger("privacy_desk.actions")
MAX_REFERENCE_TRIES = 3


class ValidateStatusForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_status_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> List[Text]:
        return [] if tracker.get_slot("status_result") else ["status_reference", "status_code"]

    def validate_status_reference(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> Dict[Text, Any]:
        if says_stop(tracker):
            return {"status_reference": None, "status_result": "stopped"}
        reference = normalise(value) if isinstance(value, str) else None
        if reference is None:
            tries = int(tracker.get_slot("status_tries") or 0) + 1
            if tries >= MAX_REFERENCE_TRIES:
                return {"status_reference": None, "status_result": "not_confirmed", "status_tries": None}
            dispatcher.utter_message(response="utter_invalid_reference")
            return {"status_reference": None, "status_tries": tries}
        try:
            with db.session_scope() as session:
                case = cases.get_case(session, reference)
                verification.issue_email_code(session, case)
        except (cases.CaseNotFound, ResendLimit, VerificationLocked, ValueError):
            pass  # the same answer as for a case that exists: nothing tells the two apart
        except db.StoreUnavailable:
            log.exception("status check: store unavailable")
        dispatcher.utter_message(response="utter_status_code_sent", reference=reference)
        return {"status_reference": reference, "status_tries": MAX_WRONG_TRIES}

    def validate_status_code(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
        if says_stop(tracker):
            return {"status_code": None, "status_result": "stopped"}
        if normalise_code(value if isinstance(value, str) else "") is None:
            dispatcher.utter_message(response="utter_code_format")
            return {"status_code": None}
        result = self._check(tracker.get_slot("status_reference"), value)
        if result is not None and result.ok:
            return {"status_code": "checked", "status_result": "verified"}
        # Wrong, expired or no such case: one count of tries, the same words.
        tries = int(tracker.get_slot("status_tries") or MAX_WRONG_TRIES) - 1
        if result is not None and not result.expired:
            tries = min(tries, result.tries_left)
        if tries <= 0 or (result is not None and result.locked):
            return {"status_code": None, "status_result": "not_confirmed"}
        dispatcher.utter_message(response="utter_code_wrong", tries_left=str(tries))
        return {"status_code": None, "status_tries": tries}

    @staticmethod
    def _check(reference: Any, code: str):
        if not isinstance(reference, str):
            return None
        try:
            with db.session_scope() as session:
                return verification.check_email_code(session, cases.get_case(session, reference), code)
        except (cases.CaseNotFound, db.StoreUnavailable):
            return None


class ActionGiveStatus(Action):
    def name(self) -> Text:
        return "action_give_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        result, reference = tracker.get_slot("status_result"), tracker.get_slot("status_reference")
        language = wording.reply_language(language_of(tracker))
        if result == "verified":
            self._tell(dispatcher, reference, language)
        elif result == "stopped":
            dispatcher.utter_message(response="utter_how_can_i_help")
        else:
            dispatcher.utter_message(response="utter_status_not_confirmed")
        return [SlotSet(slot, None) for slot in ("status_reference", "status_code", "status_tries", "status_result",
                                                 "requested_slot")]

    @staticmethod
    def _tell(dispatcher: CollectingDispatcher, reference: str, language: str) -> None:
        try:
            with db.session_scope() as session:
                case = cases.get_case(session, reference)
                status, due_at = case.status, case.due_at
        except (cases.CaseNotFound, db.StoreUnavailable):
            dispatcher.utter_message(response="utter_status_not_confirmed")
            return
        text = wording.status_text(language, status)
        if status in {s.value for s in CLOSED}:
            dispatcher.utter_message(response="utter_case_closed_status", reference=reference, status_text=text)
        else:
            dispatcher.utter_message(response="utter_case_status", reference=reference, status_text=text,
                                     due_date=notices.format_date(due_at, language))
