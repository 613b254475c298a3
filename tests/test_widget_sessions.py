"""Visitors of the website widget, talking to the real Rasa server over socket.io, each see only their own
conversation: two visitors never receive each other's replies, and a session id that is not the widget's own
kind (32 hex digits) never joins an existing conversation.

Starts the real Rasa server and action server as `privacy-desk run` does (needs the trained model in models/)."""
from __future__ import annotations

import asyncio
import json
import urllib.parse
import urllib.request
import uuid

import pytest
import socketio

from bot import secret
from tests.support.desk import Desk, needs_model, own_store, running

pytestmark = pytest.mark.rasa

ASK_PHONE = "Which telephone number"
ASK_SCOPE = "What should we erase"
RECORDING = "I would like a copy of the recording of my phone call"


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    needs_model()
    folder = tmp_path_factory.mktemp("widget-sessions")
    with pytest.MonkeyPatch.context() as monkeypatch:
        own_store(folder, monkeypatch, "widget-test-secret-" + "w" * 32)
        with running(folder, monkeypatch, "actions", "rasa") as desk:
            yield desk


class Visitor:
    """One browser tab of the widget: asks for its session, then sends what the person types."""

    def __init__(self, rasa_url: str):
        self.rasa_url, self.replies, self.session_id = rasa_url, [], None
        self.client = socketio.AsyncClient(reconnection=False)
        self.client.on("bot_uttered", lambda reply: self.replies.append(reply.get("text", "")))
        self.confirmed = asyncio.Event()
        self.client.on("session_confirm", self._confirmed)

    def _confirmed(self, session_id):
        self.session_id = session_id
        self.confirmed.set()

    async def open(self, asked_for) -> str:
        # Long-polling only: this python-engineio's WebSocket upgrade needs a newer aiohttp than Rasa pins. The
        # rooms and events under test are the same for both transports.
        await self.client.connect(self.rasa_url, socketio_path="/socket.io", transports=["polling"])
        await self.client.emit("session_request", {"session_id": asked_for})
        await asyncio.wait_for(self.confirmed.wait(), 30)
        return self.session_id

    async def say(self, text: str) -> None:
        await self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})

    async def hears(self, words: str, seconds: float = 60) -> bool:
        for _ in range(int(seconds * 10)):
            if any(words in reply for reply in self.replies):
                return True
            await asyncio.sleep(0.1)
        return False

    async def close(self) -> None:
        # Closed like a tab: without waiting for the long-poll in flight to end (up to the 25 s ping interval).
        await self.client.eio.disconnect(abort=True)


def user_messages(desk: Desk, conversation: str) -> list[str]:
    query = urllib.parse.urlencode({"token": secret.rasa_api_token()})
    url = f"{desk.rasa_url}/conversations/{urllib.parse.quote(conversation)}/tracker?{query}"
    with urllib.request.urlopen(url, timeout=60) as response:
        return [e["text"] for e in json.loads(response.read())["events"] if e["event"] == "user"]


def test_two_visitors_never_receive_each_others_replies(desk):
    async def scenario():
        anna, ben = Visitor(desk.rasa_url), Visitor(desk.rasa_url)
        anna_id, ben_id = uuid.uuid4().hex, uuid.uuid4().hex
        assert await anna.open(anna_id) == anna_id and await ben.open(ben_id) == ben_id
        await anna.say(RECORDING)
        assert await anna.hears(ASK_PHONE)
        anna_heard = list(anna.replies)
        await ben.say("I want my data deleted")
        assert await ben.hears(ASK_SCOPE), ben.replies
        await asyncio.sleep(2)  # time for any stray reply to arrive
        assert not any(ASK_PHONE in reply for reply in ben.replies), ben.replies
        assert anna.replies == anna_heard, "Ben's conversation reached Anna"
        await anna.close()
        await ben.close()
        return anna_id, ben_id

    anna_id, ben_id = asyncio.run(scenario())
    assert user_messages(desk, anna_id) == [RECORDING]
    assert user_messages(desk, ben_id) == ["I want my data deleted"]
    assert not [text for text in (RECORDING, "I want my data deleted") if text in desk.log("rasa")]  # not logged


@pytest.mark.parametrize("malformed", ["upper", "longer", "shorter", "spaced", "list"])
def test_a_malformed_session_id_never_joins_an_existing_conversation(desk, malformed):
    async def scenario():
        owner = Visitor(desk.rasa_url)
        owner_id = await owner.open(uuid.uuid4().hex)
        await owner.say(RECORDING)
        assert await owner.hears(ASK_PHONE)

        forged = {"upper": owner_id.upper(), "longer": owner_id + "0", "shorter": owner_id[:31],
                  "spaced": f" {owner_id}", "list": [owner_id]}[malformed]
        intruder = Visitor(desk.rasa_url)
        given = await intruder.open(forged)
        assert given != owner_id and len(given) == 32  # a new conversation of its own
        await intruder.say(RECORDING)
        assert await intruder.hears(ASK_PHONE)  # answered, in its own conversation
        await owner.say("+44 7700 900123")  # the owner goes on; the intruder must not hear it
        assert await owner.hears("On what date was the call?")
        await asyncio.sleep(2)
        assert not any("date" in reply for reply in intruder.replies), intruder.replies
        await owner.close()
        await intruder.close()
        return owner_id

    owner_id = asyncio.run(scenario())
    assert user_messages(desk, owner_id) == [RECORDING, "+44 7700 900123"]


# Every `user_uttered` carries a session_id, which Rasa's own socket.io channel trusts; ours accepts only the
# conversation this connection was given, so naming an email conversation (its name is in our replies' subject)
# gets the intruder nowhere.
def test_a_visitor_cannot_write_into_a_conversation_it_was_not_given(desk):
    letter = "email-PD-7K3M-Q9TX"  # how the mail poller names the conversation of a case's letters
    request = urllib.request.Request(f"{desk.rasa_url}/webhooks/rest/webhook", method="POST",
                                     data=json.dumps({"sender": letter, "message": RECORDING}).encode(),
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=120).close()

    async def scenario():
        intruder = Visitor(desk.rasa_url)
        await intruder.open(uuid.uuid4().hex)
        await intruder.client.emit("user_uttered", {"message": "+44 7700 900999", "session_id": letter})
        await asyncio.sleep(5)
        await intruder.close()

    asyncio.run(scenario())
    assert user_messages(desk, letter) == [RECORDING]
