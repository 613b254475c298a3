"""Slots set on every message, before any other action: the person's language and the channel."""
from __future__ import annotations

from typing import Any, Dict, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from actions.common import metadata_of, text_of
from bot.language import REPLY_LANGUAGES, detect_language


def _code(value: Any) -> str | None:
    return value.lower() if isinstance(value, str) and len(value) == 2 and value.isalpha() else None


class ValidateGlobalSlots(ValidationAction):
    """action_validate_slot_mappings: runs after every user message."""

    def extract_language(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                         domain: DomainDict) -> Dict[Text, Any]:
        # A letter's language was decided by the mail poller on the whole letter; a chat message is judged
        # here, and a short one ("ok", "merci") keeps the conversation's language.
        metadata, previous = metadata_of(tracker), tracker.get_slot("language")
        language = _code(metadata.get("detected_language")) or _code(metadata.get("language")) \
            or detect_language(text_of(tracker), previous)
        return {"language": language} if language != previous else {}

    def validate_language(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: DomainDict) -> Dict[Text, Any]:
        if value not in REPLY_LANGUAGES and not tracker.get_slot("english_notice_given"):
            dispatcher.utter_message(response="utter_english_only")
            return {"language": value, "english_notice_given": True}
        return {"language": value}

    def extract_channel(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                        domain: DomainDict) -> Dict[Text, Any]:
        channel = "email" if metadata_of(tracker).get("channel") == "email" else "chat"
        return {"channel": channel} if channel != tracker.get_slot("channel") else {}

    def validate_channel(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                         domain: DomainDict) -> Dict[Text, Any]:
        return {"channel": value if value in ("chat", "email") else "chat"}
