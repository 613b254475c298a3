"""Scale-out: two Rasa servers on different ports share one SQL tracker store (the case store's PostgreSQL) and
one Redis lock store, with deploy/endpoints.yml itself, and one action server. The messages of one conversation are
sent to them alternately; each continues where the other left off, both see the same events, and one case is opened.

Needs the trained model (models/), PostgreSQL and redis-server (skips without them; fails under CI=true).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, text

from bot import db, secret
from bot.models import Case, CaseRequest
from tests.support.servers import BIN, PROJECT, latest_model, stop_group, wait_until_up
from tests.support.servers import free_port

pytestmark = [pytest.mark.rasa, pytest.mark.postgres]

SENDER = "scale-out-visitor-1"
# (message, what the form asks next) in the form's order for a call recording: phone, date, time, name, email,
# then the summary to confirm. Sent alternately to server A and server B.
CONVERSATION = [
    ("I would like a copy of the recording of my phone call", "phone", "Which telephone number"),
    ("+44 7700 900123", "call_date", "On what date was the call?"),
    ("yesterday", "call_time", "At about what time was the call?"),
    ("around 3pm", "requester_name", "What is your full name?"),
    ("Jane Doe", "requester_email", "What is your email address?"),
    ("jane.doe@example.org", "request_confirmed", "Shall I submit your request?"),
]


def _http(url: str, body: dict | None = None) -> object:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def _say(rasa: str, message: str) -> str:
    replies = _http(f"{rasa}/webhooks/rest/webhook", {"sender": SENDER, "message": message})
    return "\n".join(reply.get("text", "") for reply in replies)


def _utc_today():
    return datetime.now(timezone.utc).date()  # the action server's today (actions.common.today)


def _tracker(rasa: str) -> dict:
    token = urllib.parse.quote(secret.rasa_api_token())
    return _http(f"{rasa}/conversations/{SENDER}/tracker?include_events=ALL&token={token}")


@pytest.fixture
def deployment(postgres):
    """Two Rasa servers (URLs) and the case store URL, as deploy/README.md describes, on free loopback ports."""
    model = latest_model()
    if model is None:
        pytest.skip("no trained Rasa model in models/ yet (`make model`): the scale-out test needs the assistant")
    from tests.support.redis import start_redis

    redis = start_redis()
    folder = Path(tempfile.mkdtemp(prefix="pd-scale-out-"))
    processes: list[subprocess.Popen] = []
    logs = []
    try:
        case_store = postgres.create_database()
        db.upgrade(case_store)

        actions_port, ports = free_port(), [free_port(), free_port()]
        env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "PRIVACY_DESK_DATABASE_URL": case_store,
               "PRIVACY_DESK_SECRET_KEY": "scale-out-test-secret", "PRIVACY_DESK_ACTIONS_PORT": str(actions_port),
               "PRIVACY_DESK_ACTIONS_URL": f"http://127.0.0.1:{actions_port}/webhook",
               "RASA_LOCK_REDIS_HOST": redis.host, "RASA_LOCK_REDIS_PORT": str(redis.port),
               "RASA_LOCK_REDIS_PASSWORD": ""}

        def start(name: str, command: list[str]) -> subprocess.Popen:
            log = open(folder / f"{name}.log", "wb")
            logs.append(log)
            process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                       start_new_session=True)
            processes.append(process)
            return process

        actions = start("actions", [str(BIN / "rasa"), "run", "actions", "--port", str(actions_port)])
        # As deploy/README.md starts them: through assistant.rasa_server, so the API needs the token.
        servers = [start(f"rasa-{port}", [sys.executable, "-m", "assistant.rasa_server", "--model", str(model),
                                           "--port", str(port),
                                           "--interface", "127.0.0.1", "--enable-api",
                                           "--endpoints", str(PROJECT / "deploy" / "endpoints.yml"),
                                           "--credentials", str(PROJECT / "credentials.yml")])
                   for port in ports]
        waits = [(f"http://127.0.0.1:{actions_port}/health", actions, 120)] + \
            [(f"http://127.0.0.1:{port}/", server, 180) for port, server in zip(ports, servers)]
        with ThreadPoolExecutor(len(waits)) as pool:
            for done in [pool.submit(wait_until_up, *wait) for wait in waits]:
                done.result()
        yield [f"http://127.0.0.1:{port}" for port in ports], case_store, redis
    except Exception:
        for log in folder.glob("*.log"):
            print(f"---- {log.name} ----\n{log.read_text(errors='replace')[-4000:]}")
        raise
    finally:
        for process in processes:
            stop_group(process)
        for log in logs:
            log.close()
        redis.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_one_conversation_alternating_between_two_rasa_servers_stays_consistent(deployment):
    (server_a, server_b), case_store, redis = deployment
    started = _utc_today()
    for turn, (message, asks, question) in enumerate(CONVERSATION):
        here, there = (server_a, server_b) if turn % 2 == 0 else (server_b, server_a)
        reply = _say(here, message)
        assert question in reply, f"turn {turn} ({message!r} to {here}): expected to be asked {asks}, got {reply!r}"
        # The other server, which answers the next message, sees the form asking for the same next detail.
        assert _tracker(there)["slots"]["requested_slot"] == asks, f"turn {turn}: {there} lost the conversation"

    _say(server_b, "yes")  # turn 7, to B: confirmed, the case is opened

    tracker_a, tracker_b = _tracker(server_a), _tracker(server_b)
    assert tracker_a["events"] == tracker_b["events"]
    said = [event["text"] for event in tracker_a["events"] if event["event"] == "user"]
    assert said == [message for message, _, _ in CONVERSATION] + ["yes"]
    assert [e["name"] for e in tracker_a["events"] if e["event"] == "action"].count("action_submit_request") == 1
    # Both servers took their conversation lock in the shared Redis (the lock store really is Redis).
    import redis as redis_client

    calls = redis_client.Redis(host=redis.host, port=redis.port).info("commandstats")
    assert calls.get("cmdstat_set", {}).get("calls", 0) >= len(CONVERSATION) + 1, calls

    with db.session_scope(case_store) as session:
        # The conversation is in the case store, where staff read it beside the case.
        assert session.execute(text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": SENDER}).scalar() == \
            len(tracker_a["events"])
        [case] = session.execute(select(Case)).scalars().all()
        [request] = session.execute(select(CaseRequest).where(CaseRequest.case_id == case.id)).scalars().all()
        assert case.conversation_id == SENDER and case.channel == "chat"
        assert case.requester_name == "Jane Doe" and case.requester_email == "jane.doe@example.org"
        assert case.requester_phone == "+447700900123"
        assert request.request_type == "call_recording"
        yesterday = {(day - timedelta(days=1)).isoformat() for day in (started, _utc_today())}  # midnight-safe
        assert request.details["call_date"] in yesterday
        assert request.details["call_time"]
