"""Rasa's socket.io channel, with the one fix the widget needs to keep a conversation across page reloads.

Rasa 3.6.21 calls `sio.enter_room(...)` without `await` when `session_persistence` is on (RasaHQ/rasa#13027).
With python-socketio 5.x that call is a coroutine, so the browser never joins its session's room and every
reply is sent to nobody. credentials.yml names this class instead of the built-in `socketio:` channel:

    web.rasa_channel.WidgetSocketIOInput:
      user_message_evt: user_uttered
      bot_message_evt: bot_uttered
      session_persistence: true

Rasa imports it from the project directory (it puts the working directory on sys.path).

Both channels here (socket.io for the widget, REST for the mail poller) also tell the person when a turn went
wrong on our side instead of leaving them without an answer (see web/turn_faults.py). The REST channel then
answers 503, so the mail poller keeps the letter and asks again later rather than mailing an apology.
"""
from __future__ import annotations

import logging
import re
import uuid
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint, response
from sanic.request import Request

from web import turn_faults

logger = logging.getLogger(__name__)

# The widget makes 32 random hex digits. Anything else gets a new id; this also keeps out socket ids, which
# socket.io refuses as room names.
_SESSION_ID = re.compile(r"^[0-9a-f]{32}$")


class WidgetSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> Text:
        return "socketio"  # trackers and actions keep seeing the channel they know

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(with_fault_notice(on_new_message))
        sio = self.sio

        rasa_handle_message = sio.handlers[self.namespace or "/"][self.user_message_evt]

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            wanted = (data or {}).get("session_id") if isinstance(data, dict) else None
            session_id = wanted if isinstance(wanted, str) and _SESSION_ID.match(wanted) else uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.save_session(sid, {"conversation": session_id}, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        # Rasa takes the conversation from each message's own session_id, so a visitor who learnt another
        # conversation's id (an email conversation is named after its case reference) could write into it.
        # A message counts only for the conversation this connection was given by session_request.
        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Optional[Dict]) -> None:
            if not self.session_persistence:  # then Rasa uses the connection itself as the conversation
                return await rasa_handle_message(sid, data)
            given = (await sio.get_session(sid, namespace=self.namespace)).get("conversation")
            if not isinstance(data, dict) or given is None or data.get("session_id") != given:
                logger.warning("a widget message for a conversation its connection was not given was ignored")
                return
            await rasa_handle_message(sid, data)

        return blueprint


def with_fault_notice(on_new_message: Callable[[UserMessage], Awaitable[Any]]):
    """on_new_message, followed by a notice to the person when the turn went wrong on our side."""
    turn_faults.watch_failed_actions()

    async def handle(message: UserMessage) -> bool:
        """True when the turn ran without a fault."""
        turn = turn_faults.start_turn()
        try:
            await on_new_message(message)
        except CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - the person is told below; the log says what failed
            # Only the kind of failure: the exception's text may quote what the person wrote.
            logger.error("a message could not be handled (%s); the person was asked to try again",
                         type(exc).__name__)
            await _tell(message, received=False)
            return False
        if turn.failed_actions:
            logger.warning("%s action(s) failed during a turn; the person was told and asked to try again",
                           turn.failed_actions)
            await _tell(message, received=True)
            return False
        return True

    return handle


async def _tell(message: UserMessage, *, received: bool) -> None:
    language = turn_faults.language_for(message.text, message.metadata)
    try:
        await message.output_channel.send_text_message(message.sender_id,
                                                       turn_faults.notice(language, received=received))
    except Exception:  # noqa: BLE001 - the browser went away; nothing more can be said to it
        logger.warning("the notice of a failed turn could not be delivered")


class DeskRestInput(RestInput):
    """Rasa's REST channel (POST /webhooks/rest/webhook {"sender", "message", "metadata"}), answering 503 with
    the notice when a turn failed. Rasa's streaming variant (?stream=true) is left out: nothing here uses it."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        handle = with_fault_notice(on_new_message)
        blueprint = Blueprint("desk_rest_webhook", __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(request: Request):
            return response.json({"status": "ok"})

        @blueprint.route("/webhook", methods=["POST"])
        async def receive(request: Request):
            body = request.json if isinstance(request.json, dict) else {}
            text, sender = body.get("message"), body.get("sender")
            if not isinstance(text, str) or not isinstance(sender, str) or not sender:
                return response.json({"error": "POST {\"sender\": \"...\", \"message\": \"...\"}"}, status=400)
            collector = CollectingOutputChannel()
            metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else None
            ran = await handle(UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata))
            return response.json(collector.messages, status=200 if ran else 503)

        return blueprint
