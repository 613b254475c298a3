"""Proving it is them, in the chat: the code emailed when the case was opened (and then, for requests that
disclose data, the code texted to their phone). Until this succeeds nothing about their data is said."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions import wording
from actions.common import language_of, says_stop, says_yes
from bot import cases, db, notices, verification
from bot.challenges import ResendLimit, VerificationLocked
from bot.verification_policy import PHONE, missing_levels

log = logging.getLogger("privacy_desk.actions")
CHECKED = "checked"  # what the code slot holds once used: the code itself is never kept in a slot


class ValidateVerificationForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_verification_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> List[Text]:
        if tracker.get_slot("verification_result") or not tracker.get_slot("case_reference"):
            return []
        return ["verification_code"]

    def validate_verification_code(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> Dict[Text, Any]:
        expired = tracker.get_slot("code_expired")
        if expired and says_yes(tracker):
            return self._new_code(dispatcher, tracker)
        if says_stop(tracker):
            return {"verification_code": None, "verification_result": "stopped", "code_expired": False}
        level = tracker.get_slot("code_level") or "email"
        try:
            with db.session_scope() as session:
                case = cases.get_case(session, tracker.get_slot("case_reference"))
                check = (verification.check_phone_code if level == PHONE else verification.check_email_code)
                result = check(session, case, value if isinstance(value, str) else "")
        except (db.StoreUnavailable, cases.CaseNotFound):
            log.exception("code check failed for conversation %s", tracker.sender_id[:40])
            return {"verification_code": None, "verification_result": "unavailable"}
        if result.ok:
            if PHONE in result.next_levels:
                dispatcher.utter_message(response="utter_phone_code_sent")
                return {"verification_code": None, "code_level": PHONE, "code_expired": False}
            return {"verification_code": CHECKED, "verification_result": "verified", "code_expired": False}
        if result.locked:
            return {"verification_code": None, "verification_result": "locked"}
        if result.malformed:
            dispatcher.utter_message(response="utter_code_format")
        elif result.expired:
            dispatcher.utter_message(response="utter_code_expired")
            return {"verification_code": None, "code_expired": True}
        else:
            dispatcher.utter_message(response="utter_code_wrong", tries_left=str(result.tries_left))
        return {"verification_code": None}

    @staticmethod
    def _new_code(dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
        level = tracker.get_slot("code_level") or "email"
        try:
            with db.session_scope() as session:
                case = cases.get_case(session, tracker.get_slot("case_reference"))
                (verification.issue_phone_code if level == PHONE else verification.issue_email_code)(session, case)
        except ResendLimit:
            dispatcher.utter_message(response="utter_code_resend_limit")
            return {"verification_code": None, "code_expired": False}
        except VerificationLocked:
            return {"verification_code": None, "verification_result": "locked", "code_expired": False}
        except (db.StoreUnavailable, cases.CaseNotFound, ValueError):
            log.exception("could not send a new code for conversation %s", tracker.sender_id[:40])
            return {"verification_code": None, "verification_result": "unavailable", "code_expired": False}
        dispatcher.utter_message(response="utter_code_resent")
        return {"verification_code": None, "code_expired": False}


class ActionAskVerificationCode(Action):
    def name(self) -> Text:
        return "action_ask_verification_code"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        phone = tracker.get_slot("code_level") == PHONE
        dispatcher.utter_message(response="utter_ask_phone_code" if phone else "utter_ask_verification_code")
        return []


class ActionVerificationResult(Action):
    """Tell the person where verification stands, and forget the code's state."""

    def name(self) -> Text:
        return "action_verification_result"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        result, reference = tracker.get_slot("verification_result"), tracker.get_slot("case_reference")
        language = wording.reply_language(language_of(tracker))
        if result == "verified":
            self._verified(dispatcher, reference, language)
        elif result == "locked":
            dispatcher.utter_message(response="utter_code_locked")
        elif result == "unavailable":
            dispatcher.utter_message(response="utter_verification_later", reference=reference)
        else:
            dispatcher.utter_message(response="utter_verification_later", reference=reference)
        return [SlotSet("verification_code", None), SlotSet("verification_result", None),
                SlotSet("code_expired", False), SlotSet("code_sent", False), SlotSet("code_level", None),
                SlotSet("requested_slot", None)]

    @staticmethod
    def _verified(dispatcher: CollectingDispatcher, reference: str, language: str) -> None:
        try:
            with db.session_scope() as session:
                case = cases.get_case(session, reference)
                missing = missing_levels(case.verified_levels, case.request_types)
        except (db.StoreUnavailable, cases.CaseNotFound):
            missing = []
        levels = sorted({level for alternative in missing for level in alternative})
        if levels:
            named = " / ".join(notices.phrase(language, "LEVELS", level) for level in levels)
            dispatcher.utter_message(response="utter_verified_more_needed", levels=named)
        else:
            dispatcher.utter_message(response="utter_verified")
