"""What every action needs: the person's language, what they just said, how to stop, the transcript."""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timezone
from typing import Any

from rasa_sdk import Tracker

from actions import wording
from bot import settings

REQUEST_INTENTS = {
    "request_access": "access", "request_rectification": "rectification", "request_erasure": "erasure",
    "request_restriction": "restriction", "request_portability": "portability", "request_objection": "objection",
    "request_call_recording": "call_recording", "file_complaint": "complaint",
    "withdraw_consent": "withdraw_consent",
}
MAX_TEXT = 1000  # a free-text detail (what to erase, what happened); longer answers are asked to be shortened
TRANSCRIPT_TURNS = 200
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def today() -> date:
    """The requester's today; tests replace it."""
    return datetime.now(timezone.utc).date()


def language_of(tracker: Tracker) -> str:
    """The language the person writes in (detected), e.g. "pt"; replies use wording.reply_language of it."""
    return tracker.get_slot("language") or settings.get("default_language")


def metadata_of(tracker: Tracker) -> dict:
    metadata = (tracker.latest_message or {}).get("metadata")
    return metadata if isinstance(metadata, dict) else {}


def text_of(tracker: Tracker) -> str:
    text = (tracker.latest_message or {}).get("text")
    return text if isinstance(text, str) else ""


def intent_of(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def channel_of(tracker: Tracker) -> str:
    return "email" if (tracker.get_slot("channel") == "email" or metadata_of(tracker).get("channel") == "email") \
        else "chat"


def clean_text(value: Any, max_chars: int = MAX_TEXT) -> str | None:
    """A person's free text made safe to store and show: no control or direction characters, single spaces.
    None when nothing readable is left or it is longer than `max_chars`."""
    if not isinstance(value, str):
        return None
    text = " ".join(_CONTROL.sub(" ", unicodedata.normalize("NFC", value)).split())
    if not text or len(text) > max_chars or not any(c.isalnum() for c in text):
        return None
    return text


def says_stop(tracker: Tracker) -> bool:
    """The person wants to stop: a "no" (deny) or one of the stop words in any of our languages."""
    words = wording.words_of(text_of(tracker))
    return intent_of(tracker) == "deny" or words in wording.STOP_WORDS or words in wording.NO_WORDS


def says_yes(tracker: Tracker) -> bool:
    return intent_of(tracker) == "affirm" or wording.words_of(text_of(tracker)) in wording.YES_WORDS


def transcript(tracker: Tracker) -> list[dict]:
    """The conversation so far, as bot/cases.escalate wants it: requester and assistant texts with their times."""
    lines = []
    for event in tracker.events:
        who = {"user": "requester", "bot": "assistant"}.get(event.get("event"))
        text = event.get("text")
        if not who or not isinstance(text, str) or not text.strip():
            continue
        stamp = event.get("timestamp")
        at = datetime.fromtimestamp(stamp, timezone.utc).isoformat() if isinstance(stamp, (int, float)) else None
        lines.append({"from": who, "text": text[:4000], "at": at})
    return lines[-TRANSCRIPT_TURNS:]
