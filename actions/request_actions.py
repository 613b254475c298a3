"""What happens when a request form ends: the case is opened (and identity verification started), or nothing."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import wording
from actions.common import channel_of, language_of, metadata_of
from actions.request_form import clear_request, details_of, request_types
from bot import cases, db, notices, settings, verification
from bot.authorities import authority_for
from bot.requests import Channel, RequestType
from bot.verification_policy import EMAIL

log = logging.getLogger("privacy_desk.actions")

# What each detail slot is called in the case's request details (what staff read in the console).
DETAIL_KEYS = {"call_date": "call_date", "call_time": "call_time", "erase_scope": "what_to_erase",
               "erase_reason": "reason", "wrong_detail": "what_is_wrong", "correct_value": "correct_value",
               "objected_processing": "processing", "complaint_what": "what_happened", "country": "country"}


def new_request(tracker: Tracker) -> cases.NewRequest:
    kinds = request_types(tracker)
    details: Dict[str, Any] = {}
    for slot in details_of(kinds):
        value = tracker.get_slot(slot)
        if slot in DETAIL_KEYS and value not in (None, ""):
            details[DETAIL_KEYS[slot]] = value
    if tracker.get_slot("access_instead"):
        details["instead_of"] = "call_recording (recording no longer held)"
    channel = Channel.EMAIL if channel_of(tracker) == "email" else Channel.CHAT
    return cases.NewRequest(
        request_types=[RequestType(kind) for kind in kinds], channel=channel,
        language=language_of(tracker), name=tracker.get_slot("requester_name"),
        email=tracker.get_slot("requester_email"), phone=tracker.get_slot("phone"), details=details,
        conversation_id=tracker.sender_id)


class ActionSubmitRequest(Action):
    """The request form ended. Confirmed: open the case (or, for a letter, continue the one the mail poller
    opened), start verification, and tell the person their reference, the date of our answer and how to prove it
    is them. Stopped: nothing is recorded and the details given are forgotten."""

    def name(self) -> Text:
        return "action_submit_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if tracker.get_slot("request_outcome") != "confirmed":
            dispatcher.utter_message(response="utter_stopped")
            return [*clear_request(), SlotSet("code_sent", False)]
        return self.open_case(dispatcher, tracker)

    def open_case(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        language = wording.reply_language(language_of(tracker))
        letter_case = metadata_of(tracker).get("case_reference") if channel_of(tracker) == "email" else None
        threading = {"in_reply_to": metadata_of(tracker).get("message_id")} if letter_case else {}
        try:
            with db.session_scope() as session:
                if letter_case:
                    case, attached = cases.get_case(session, letter_case), False
                else:
                    opened = cases.open_case(session, new_request(tracker))
                    case, attached = opened.case, opened.attached
                levels = verification.start(session, case, **{k: v for k, v in threading.items() if v})
                reference, due_at, email = case.reference, case.due_at, case.requester_email
        except Exception:  # noqa: BLE001 - the person gets a clear answer, the log the details
            log.exception("could not open a case for conversation %s", tracker.sender_id[:40])
            dispatcher.utter_message(response="utter_store_unavailable", dpo_email=settings.get("dpo_email"))
            return [SlotSet("request_outcome", None), SlotSet("code_sent", False), SlotSet("requested_slot", None)]
        log.info("case %s %s from the chat", reference, "attached" if attached else "opened")
        dispatcher.utter_message(response="utter_case_attached" if attached else "utter_case_opened",
                                 reference=reference, due_date=notices.format_date(due_at, language))
        if "complaint" in request_types(tracker):
            self._authority(dispatcher, tracker.get_slot("country"), language)
        code_sent = EMAIL in levels
        if code_sent:
            dispatcher.utter_message(response="utter_code_sent", email=email)
        elif not levels:
            dispatcher.utter_message(response="utter_no_proof_needed")
        return [*clear_request(), SlotSet("case_reference", reference), SlotSet("code_sent", code_sent),
                SlotSet("code_level", "email")]

    @staticmethod
    def _authority(dispatcher: CollectingDispatcher, country: Any, language: str) -> None:
        authority = authority_for(country) if isinstance(country, str) else None
        if authority is None:
            dispatcher.utter_message(response="utter_authority_unknown")
            return
        name = authority.name if not authority.abbreviation else f"{authority.name} ({authority.abbreviation})"
        dispatcher.utter_message(response="utter_authority", authority_name=name,
                                 authority_address=authority.address, authority_phone=authority.phone or "-",
                                 authority_website=authority.website)
