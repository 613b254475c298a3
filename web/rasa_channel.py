"""Rasa's socket.io channel, with the one fix the widget needs to keep a conversation across page reloads.

Rasa 3.6.21 calls `sio.enter_room(...)` without `await` when `session_persistence` is on (RasaHQ/rasa#13027).
With python-socketio 5.x that call is a coroutine, so the browser never joins its session's room and every
reply is sent to nobody. credentials.yml names this class instead of the built-in `socketio:` channel:

    web.rasa_channel.WidgetSocketIOInput:
      user_message_evt: user_uttered
      bot_message_evt: bot_uttered
      session_persistence: true

Rasa imports it from the project directory (it puts the working directory on sys.path).
"""
from __future__ import annotations

import logging
import re
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

logger = logging.getLogger(__name__)

# The widget makes 32 random hex digits. Anything else gets a new id; this also keeps out socket ids, which
# socket.io refuses as room names.
_SESSION_ID = re.compile(r"^[0-9a-f]{32}$")


class WidgetSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> Text:
        return "socketio"  # trackers and actions keep seeing the channel they know

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            wanted = (data or {}).get("session_id")
            session_id = wanted if isinstance(wanted, str) and _SESSION_ID.match(wanted) else uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        return blueprint
