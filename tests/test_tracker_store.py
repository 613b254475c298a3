"""Conversations are kept in Privacy Desk's own database: a visitor half-way through a request can go on after the
Rasa server restarts, and what was said is in the case store's file, in the assistant's `events` table; and none
of it is written to the servers' logs.

Starts the real Rasa server and action server as `privacy-desk run` does (needs the trained model in models/)."""
from __future__ import annotations

import json
import sqlite3
import urllib.parse
import urllib.request

import pytest

from bot import secret
from tests.support.desk import needs_model, running

pytestmark = pytest.mark.rasa

VISITOR = "restart-visitor-1"
BEFORE_RESTART = [("I would like a copy of the recording of my phone call", "Which telephone number"),
                  ("+44 7700 900123", "On what date was the call?")]
AFTER_RESTART = [("yesterday", "At about what time was the call?")]


def say(desk: Desk, message: str) -> str:
    request = urllib.request.Request(f"{desk.rasa_url}/webhooks/rest/webhook", method="POST",
                                     data=json.dumps({"sender": VISITOR, "message": message}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return "\n".join(reply.get("text", "") for reply in json.loads(response.read()))


def tracker(desk: Desk) -> dict:
    query = urllib.parse.urlencode({"token": secret.rasa_api_token()})
    with urllib.request.urlopen(f"{desk.rasa_url}/conversations/{VISITOR}/tracker?{query}", timeout=60) as response:
        return json.loads(response.read())


@pytest.fixture
def desk(store, tmp_path, monkeypatch):
    needs_model()
    monkeypatch.setenv("PRIVACY_DESK_STATE_DIR", str(tmp_path / "state"))
    for name in ("PRIVACY_DESK_SECRET_KEY", "PRIVACY_DESK_RASA_API_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    with running(tmp_path, monkeypatch) as desk:
        yield desk


def test_a_request_in_progress_survives_a_restart_of_the_rasa_server(desk, store):
    desk.start("actions", 120)
    desk.start("rasa")
    for message, question in BEFORE_RESTART:
        assert question in say(desk, message)

    desk.stop("rasa")
    desk.start("rasa")

    for message, question in AFTER_RESTART:
        reply = say(desk, message)
        assert question in reply, f"after the restart the form did not go on: {reply!r}\n{desk.logs()}"
    remembered = tracker(desk)
    assert remembered["slots"]["phone"] == "+447700900123" and remembered["slots"]["requested_slot"] == "call_time"
    said = [e["text"] for e in remembered["events"] if e["event"] == "user"]
    assert said == [message for message, _ in BEFORE_RESTART + AFTER_RESTART]

    # In the case store's own file, beside the cases.
    with sqlite3.connect(store.split("///", 1)[1]) as connection:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        rows = connection.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id",
                                  (VISITOR,)).fetchall()
    assert {"cases", "case_events", "events"} <= tables
    assert [json.loads(data)["text"] for (data,) in rows] == said

    # Both servers logged (at INFO), and nothing the visitor wrote, nor the API token, is in what they logged.
    logs = {name: desk.log(name) for name in ("rasa", "actions")}
    assert "Action endpoint is up and running" in logs["actions"] and "Rasa server is up and running" in logs["rasa"]
    for written in ("recording of my phone call", "7700 900123", "+447700900123", secret.rasa_api_token()):
        assert not [name for name, text in logs.items() if written in text], written
