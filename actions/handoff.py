"""A person, at any point: the conversation goes to the DPO queue with its transcript, and the person is told
how they will hear from us.

The conversation is not paused (no ConversationPaused): on a website widget nobody from staff answers in the
chat, so a paused bot would leave the person typing into silence. Staff reply by email; meanwhile the assistant
keeps answering, and anything more the person writes is in the conversation staff can read."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.common import channel_of, metadata_of, says_stop, transcript
from actions.request_actions import new_request
from actions.request_form import clear_request
from bot import cases, db, settings
from bot.details import find_email
from bot.handoff import hand_off

log = logging.getLogger("privacy_desk.actions")
REASON = "The requester asked for a person."


def known_email(tracker: Tracker) -> str | None:
    # A typed answer is in the slot before it is validated, so only a readable address counts as known.
    email = tracker.get_slot("requester_email")
    if isinstance(email, str) and find_email(email):
        return find_email(email)
    sender = metadata_of(tracker).get("from_address") if channel_of(tracker) == "email" else None
    return find_email(sender) if isinstance(sender, str) else None


class ValidateHandoffForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_handoff_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> List[Text]:
        if "requester_email" in tracker.slots_to_validate():
            return ["requester_email"]  # just typed: validate it (and keep asking if it is not an address)
        if known_email(tracker) or tracker.get_slot("handoff_without_email"):
            return []
        return ["requester_email"]

    def validate_requester_email(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> Dict[Text, Any]:
        found = find_email(value) if isinstance(value, str) else None
        if found:
            return {"requester_email": found}
        if says_stop(tracker) or tracker.get_slot("validation_failures"):
            # They would rather not say, or could not twice: hand over anyway and say where to write.
            return {"requester_email": None, "handoff_without_email": True, "validation_failures": None,
                    "requested_slot": None}
        dispatcher.utter_message(response="utter_invalid_email")
        return {"requester_email": None, "validation_failures": 1}


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        email = known_email(tracker)
        reference = tracker.get_slot("case_reference") or (
            metadata_of(tracker).get("case_reference") if channel_of(tracker) == "email" else None)
        try:
            with db.session_scope() as session:
                if reference:
                    case = cases.escalate(session, reason=REASON, transcript=transcript(tracker), reference=reference)
                else:
                    new = new_request(tracker)
                    new.request_types = [new.request_types[0]] if tracker.get_slot("request_type") else []
                    new.email, new.complete = email, False
                    case = cases.escalate(session, reason=REASON, transcript=transcript(tracker), new=new)
                try:
                    hand_off(session, case, reason="asked_for_human")
                except ValueError:  # a closed case: the escalation above is on record for staff all the same
                    log.info("case %s is closed; escalation recorded without a queue notice", case.reference)
                reference = case.reference
        except Exception:  # noqa: BLE001 - the person gets a clear answer, the log the details
            log.exception("hand-off failed for conversation %s", tracker.sender_id[:40])
            dispatcher.utter_message(response="utter_store_unavailable", dpo_email=settings.get("dpo_email"))
            return [SlotSet("handoff_without_email", False)]
        log.info("case %s handed to a person at the requester's wish", reference)
        if email:
            dispatcher.utter_message(response="utter_handoff", reference=reference, email=email)
        else:
            dispatcher.utter_message(response="utter_handoff_no_email", reference=reference,
                                     dpo_email=settings.get("dpo_email"))
        return [*clear_request(), SlotSet("case_reference", reference), SlotSet("handoff_without_email", False),
                SlotSet("requester_email", email)]
