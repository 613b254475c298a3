"""Noticing that a chat turn went wrong on our side, and what the person is told then.

Rasa 3.6.21 does not stop a turn when a custom action fails (the action server is down, or an action raised):
the processor logs the failure, drops the action's events and carries on, so the person typically gets nothing
at all. Rasa offers no hook for this: not the output channel (it never hears of the failure), not the tracker
(a failed action and an action that returned nothing leave the same events), and the action endpoint is built
from endpoints.yml with no place for a wrapper. Its log records are the one place the failure is reported, so a
logging handler on the two Rasa loggers that report it marks the turn in progress (a context variable: the
channel's handler, Rasa's processor and its actions all run in one asyncio task per message), and the input
channels in web/rasa_channel.py add the notice when the turn is over.
"""
from __future__ import annotations

import contextvars
import logging
from dataclasses import dataclass

from bot import notices
from bot.language import detect_language, reply_language

# Where Rasa 3.6.21 reports a failed custom action: the processor for an action it ran (with the exception),
# the slot extraction for the custom slot-mapping action (a warning, after which the turn goes on).
_PROCESSOR = "rasa.core.processor"
_ACTIONS = "rasa.core.actions.action"
_SLOT_MAPPING_FAILED = "Failed to execute custom action"


@dataclass
class Turn:
    failed_actions: int = 0


_current: contextvars.ContextVar[Turn | None] = contextvars.ContextVar("privacy_desk_turn", default=None)


class _FailedActionWatch(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        turn = _current.get()
        if turn is not None and _is_failed_action(record):
            turn.failed_actions += 1


def _is_failed_action(record: logging.LogRecord) -> bool:
    if record.name == _PROCESSOR:
        return record.levelno >= logging.ERROR and record.exc_info is not None
    return record.name == _ACTIONS and record.levelno >= logging.WARNING \
        and str(record.msg).startswith(_SLOT_MAPPING_FAILED)


_watch = _FailedActionWatch(level=logging.WARNING)


def watch_failed_actions() -> None:
    """Install the handler once (several channels may ask)."""
    for name in (_PROCESSOR, _ACTIONS):
        logger = logging.getLogger(name)
        if _watch not in logger.handlers:
            logger.addHandler(_watch)


def start_turn() -> Turn:
    turn = Turn()
    _current.set(turn)
    return turn


def language_for(text: object, metadata: object) -> str:
    """The language to apologise in: the letter's (decided by the poller), else the message's, else the
    browser's; the assistant's own language detection may be what failed, so this is decided here."""
    metadata = metadata if isinstance(metadata, dict) else {}
    decided = metadata.get("detected_language") or metadata.get("language")
    decided = decided if isinstance(decided, str) else None
    return reply_language(detect_language(text if isinstance(text, str) else "", decided))


def notice(language: str, *, received: bool = True) -> str:
    """What went wrong, whether what they wrote is kept, and what to do. `received`: the conversation was
    saved (the turn ran, only an action failed); False when the message itself could not be handled."""
    opening = notices.phrase(language, "CHAT_FAULT", "saved" if received else "not_handled")
    address = notices.compliance_address()
    advice = notices.phrase(language, "CHAT_FAULT", "write_to" if address else "try_again")
    return f"{opening} {advice.format(address=address)}"
