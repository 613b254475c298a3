"""The assistant's action server down, with the real trained Rasa server: the person in the chat (REST or the
widget's socket.io) is told in their language that something went wrong on our side, that what they wrote is
kept, and what to do; a letter waits and is answered exactly once when the action server is back. Then, with
the action server up, hostile messages through the real REST channel get answers, never a server error.

Marked `rasa`: skips until models/ holds a trained model.
"""
from __future__ import annotations

import asyncio
import json
import os
import shutil
import sqlite3
import tempfile
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import socketio
from sqlalchemy import select, update

from bot import db
from bot.models import OutboundEmail, utcnow
from mail_ingest.models import TO_ANSWER, InboundLetter
from mail_ingest.poller import Limits, Poller
from tests.mail.conftest import dovecot, mailbox, reader  # noqa: F401 - fixtures
from tests.mail.letters import letter
from tests.support.rasa import Assistant, latest_model
from web import turn_faults

pytestmark = [pytest.mark.rasa, pytest.mark.personal_data_free_logs]

COMPLIANCE = "privacy@company.example"
SAVED_EN = "Sorry, something went wrong on our side and I cannot answer right now. What you wrote is saved."
SAVED_FR = "Désolé, un problème est survenu de notre côté et je ne peux pas répondre pour le moment."
SAVED_DE = "Entschuldigung, bei uns ist ein Fehler aufgetreten und ich kann gerade nicht antworten."
WRITE_TO_EN = f"Please try again in a few minutes, or write to us at {COMPLIANCE}."


@pytest.fixture(scope="module")
def assistant():
    """The Rasa server on its own case store, its action server not started; the data-compliance address set."""
    model = latest_model()
    if model is None:
        pytest.skip("no trained Rasa model in models/ yet (`make model`): these tests need the real assistant")
    folder = Path(tempfile.mkdtemp(prefix="pd-faults-"))
    store = f"sqlite:///{folder / 'privacy_desk.db'}"
    db.upgrade(store)
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "PRIVACY_DESK_DATABASE_URL": store,
           "PRIVACY_DESK_SECRET_KEY": "faults-test-secret-" + "f" * 32,
           "PRIVACY_DESK_MAIL_FROM": f"Data Compliance <{COMPLIANCE}>"}
    server = Assistant(folder, env)
    server.env["PRIVACY_DESK_ACTIONS_PORT"] = str(server.actions_port)
    try:
        yield server.start(model), store
    except Exception:
        print(server.output()[-6000:])
        raise
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def servers_output_checked(assistant, personal_data_free_logs):
    """The Rasa server's and the action server's output are checked for personal data like the test's logs."""
    server, _ = assistant
    for name in ("rasa.log", "actions.log"):
        personal_data_free_logs.watch_file(server.folder / name)


def say(url: str, sender: str, message: str, metadata: dict | None = None) -> tuple[int, list[str]]:
    """(HTTP status, texts) of one message through the REST channel."""
    body = json.dumps({"sender": sender, "message": message, "metadata": metadata or {}}).encode()
    request = urllib.request.Request(f"{url}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    return status, [m.get("text", "") for m in json.loads(raw) if isinstance(m, dict)]


def said_by(tracker_db: Path, sender: str) -> list[str]:
    """What the person wrote, as Rasa's tracker store kept it."""
    with sqlite3.connect(tracker_db) as connection:
        rows = connection.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id",
                                  (sender,)).fetchall()
    return [json.loads(data)["text"] for (data,) in rows]


# ---- the action server down ---------------------------------------------------------------------------------------

def test_a_chat_message_is_answered_with_an_apology_in_its_language_and_kept(assistant):
    server, _ = assistant
    server.stop_actions()
    sender = uuid.uuid4().hex
    status, texts = say(server.url, sender, "I would like a copy of all my personal data please")
    assert status == 503 and texts[-1] == f"{SAVED_EN} {WRITE_TO_EN}"
    status, texts = say(server.url, sender, "Bonjour, je voudrais supprimer toutes mes données personnelles")
    assert status == 503 and texts[-1].startswith(SAVED_FR) and COMPLIANCE in texts[-1]
    assert said_by(server.tracker_db, sender) == ["I would like a copy of all my personal data please",
                                                  "Bonjour, je voudrais supprimer toutes mes données personnelles"]
    assert "Traceback" not in " ".join(texts)


def test_the_widget_is_told_over_socketio_in_the_browsers_language(assistant):
    server, _ = assistant
    server.stop_actions()
    replies = in_own_thread(widget_turn(server.rasa_port, "Ich möchte eine Kopie meiner Daten", {"language": "de"}))
    assert any(reply.get("text", "").startswith(SAVED_DE) for reply in replies), replies


def test_the_apology_offers_the_address_the_widget_page_offers_and_without_one_asks_to_try_again(monkeypatch):
    from bot import widget
    from starlette.testclient import TestClient

    monkeypatch.setenv("PRIVACY_DESK_MAIL_FROM", f"Data Compliance <{COMPLIANCE}>")
    assert turn_faults.notice("en").endswith(WRITE_TO_EN)
    assert f'data-compliance-email="{COMPLIANCE}"' in TestClient(widget.create_app()).get("/").text
    monkeypatch.setenv("PRIVACY_DESK_MAIL_FROM", "")
    monkeypatch.setenv("PRIVACY_DESK_DPO_EMAIL", "")
    assert turn_faults.notice("nl") == ("Sorry, er ging aan onze kant iets mis en ik kan nu niet antwoorden. "
                                        "Wat u schreef, is bewaard. Probeer het over een paar minuten opnieuw.")


def test_a_letter_waits_while_the_action_server_is_down_and_is_answered_once_when_it_is_back(
        assistant, mailbox, reader, monkeypatch):  # noqa: F811 - fixtures
    server, store = assistant
    server.stop_actions()
    for name, value in (("DATABASE_URL", store), ("RASA_HOST", "127.0.0.1"), ("RASA_PORT", str(server.rasa_port))):
        monkeypatch.setenv(f"PRIVACY_DESK_{name}", value)
    sender = f"robin.{uuid.uuid4().hex[:8]}@example.org"
    mailbox.append(letter(f"Robin Example <{sender}>", "Erasure", "Please erase all the personal data you hold "
                          "about me. Kind regards, Robin Example"))
    poller = Poller(mailbox.settings(), reader=reader, url=store,
                    limits=Limits(10 * 1024 * 1024, batch_size=10, max_attempts=3, poll_seconds=60))

    report = poller.poll_once()
    assert len(report.stored) == 1 and (report.answered, report.waiting, report.for_staff) == (0, 1, 0)
    assert mailbox.count("Processed") == 1  # stored, so out of the inbox; the answer is what waits
    letter_id, attempts = _letter_of(store, sender)
    assert attempts == 1 and _replies(store, sender) == []

    server.start_actions()
    with db.session_scope(store) as session:  # the retry is due (it waits a minute after the first failure)
        session.execute(update(InboundLetter).where(InboundLetter.id == letter_id).values(next_answer_at=utcnow()))
    assert poller.poll_once().answered == 1
    assert poller.poll_once().answered == 0
    [answer] = _replies(store, sender)
    assert "Sorry, something went wrong" not in answer.body_text and answer.status == "queued"


def _letter_of(store: str, sender: str) -> tuple[int, int]:
    with db.session_scope(store) as session:
        [row] = session.execute(select(InboundLetter).where(InboundLetter.from_address == sender)).scalars().all()
        assert row.status == TO_ANSWER and row.last_error and sender not in row.last_error
        return row.id, row.answer_attempts


def _replies(store: str, sender: str) -> list[OutboundEmail]:
    with db.session_scope(store) as session:
        return session.execute(select(OutboundEmail).where(OutboundEmail.to_address == sender,
                                                           OutboundEmail.kind == "mail_reply")).scalars().all()


# ---- the action server up: no apology, and hostile messages are answered ------------------------------------------

def test_with_the_action_server_up_a_turn_gets_no_apology(assistant):
    server, _ = assistant
    server.start_actions()
    status, texts = say(server.url, uuid.uuid4().hex, "I would like a copy of my personal data")
    assert status == 200 and texts and not any(t.startswith("Sorry, something went wrong") for t in texts)


@pytest.mark.parametrize("message", [
    "I want a copy of my data. " * 40_000,                       # about 1 MB
    "I want my data\x00 deleted\x00",                            # NUL bytes
    "🙂🙂 please delete my data 🗑️👍🏽",                         # emoji, with a skin-tone modifier
    "أريد نسخة من بياناتي الشخصية \u202e atad ym eteled",         # right-to-left text and an override
    "'; DROP TABLE cases; -- <script>alert(1)</script>",         # injection strings
    "",                                                          # nothing at all
])
def test_hostile_messages_through_the_rest_channel_get_an_answer_not_an_error(assistant, message):
    server, _ = assistant
    server.start_actions()
    status, texts = say(server.url, uuid.uuid4().hex, message)
    assert status == 200 and any(t.strip() for t in texts), (status, texts)
    assert not any("Traceback" in t or "<script>" in t for t in texts)


# ---- the widget's side of a socket.io conversation ------------------------------------------------------------------

def in_own_thread(coroutine):
    """Where no event loop runs, whatever other suites left in the main thread (Playwright keeps one there)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


async def widget_turn(port: int, text: str, metadata: dict, seconds: float = 60) -> list[dict]:
    """Say one thing as the widget does; every bot_uttered until an apology arrives or `seconds` pass."""
    client, received = socketio.AsyncClient(), asyncio.Queue()
    client.on("session_confirm", received.put_nowait)
    client.on("bot_uttered", received.put_nowait)
    await client.connect(f"http://127.0.0.1:{port}", transports=["polling"])
    replies = []
    try:
        await client.emit("session_request", {"session_id": uuid.uuid4().hex})
        session = await asyncio.wait_for(received.get(), 10)
        await client.emit("user_uttered", {"message": text, "session_id": session, "metadata": metadata})
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while loop.time() < deadline:
            reply = await asyncio.wait_for(received.get(), deadline - loop.time())
            replies.append(reply)
            if "went wrong" in reply.get("text", "") or "Fehler" in reply.get("text", ""):
                break
    except asyncio.TimeoutError:
        pass
    finally:
        await client.eio.disconnect(abort=True)
    return replies

