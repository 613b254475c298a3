"""What was said in a chat, read from the assistant's own record of its conversations.

The assistant keeps every conversation in its SQL tracker store, in the same database as the cases: the table
described in bot/chat_store.py, one row per event, keyed by the conversation (a case's conversation_id). When
the assistant has not written it (another tracker store, a fresh install) there is no chat history to read.
Only what the person wrote and what the assistant answered is read, never internal events (slots, actions).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.chat_store import events as EVENTS, present as history_kept

SPOKEN = ("user", "bot")
# A new session or a restart starts from empty slots, so no form step carries over from before it.
FRESH_START = ("session_started", "restart")
PERSON, ASSISTANT = "person", "assistant"


@dataclass(frozen=True)
class ChatMessage:
    conversation_id: str
    at: datetime
    speaker: str                # PERSON or ASSISTANT
    text: str
    asked_for: str | None       # the form field the assistant was asking for when the person wrote this
    from_address: str | None    # for a conversation fed by letters: the address the letter came from


def messages(session: Session, conversation_ids: list[str]) -> list[ChatMessage]:
    """Each message of these conversations in the order it was said; [] when no history is kept."""
    if not conversation_ids or not history_kept(session):
        return []
    rows = session.execute(select(EVENTS.c.sender_id, EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
                           .where(EVENTS.c.sender_id.in_(sorted(set(conversation_ids))))
                           .order_by(EVENTS.c.sender_id, EVENTS.c.id))
    found: list[ChatMessage] = []
    asked_for: dict[str, str | None] = {}
    for sender_id, type_name, timestamp, raw in rows:
        data = _json(raw)
        if type_name in FRESH_START:
            asked_for[sender_id] = None
        elif type_name == "slot" and data.get("name") == "requested_slot":
            asked_for[sender_id] = data.get("value") if isinstance(data.get("value"), str) else None
        elif type_name in SPOKEN and isinstance(data.get("text"), str) and data["text"].strip():
            found.append(_message(sender_id, type_name, timestamp, data, asked_for.get(sender_id)))
    return sorted(found, key=lambda message: (message.at, message.conversation_id))


def _message(sender_id: str, type_name: str, timestamp, data: dict, asked_for: str | None) -> ChatMessage:
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    address = metadata.get("from_address") if type_name == "user" else None
    return ChatMessage(conversation_id=sender_id, at=_moment(timestamp, data), text=data["text"],
                       speaker=PERSON if type_name == "user" else ASSISTANT,
                       asked_for=asked_for if type_name == "user" else None,
                       from_address=address if isinstance(address, str) else None)


def _moment(timestamp, data: dict) -> datetime:
    seconds = timestamp if isinstance(timestamp, (int, float)) else data.get("timestamp")
    return datetime.fromtimestamp(float(seconds or 0), tz=timezone.utc)


def _json(raw) -> dict:
    try:
        data = json.loads(raw or "{}")
    except (TypeError, ValueError):
        return {}  # a row the assistant wrote in a form we cannot read holds nothing we can show
    return data if isinstance(data, dict) else {}
