"""The website page as served, and the Rasa channel the widget talks to (with session persistence on)."""
from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import socketio
from starlette.testclient import TestClient

from bot import widget
from tests.browser.widget_support import echo_assistant  # noqa: F401 (fixture)


@pytest.fixture
def page(monkeypatch):
    monkeypatch.setenv("PRIVACY_DESK_MAIL_FROM", "Data Compliance <compliance@harbourline.example>")
    monkeypatch.setenv("PRIVACY_DESK_RASA_PORT", "5123")
    monkeypatch.delenv("PRIVACY_DESK_WIDGET_RASA_URL", raising=False)
    return TestClient(widget.create_app(), base_url="http://desk.example:8080")


def test_the_page_offers_the_data_compliance_address_and_finds_the_assistant(page):
    response = page.get("/")
    assert response.status_code == 200
    assert 'data-compliance-email="compliance@harbourline.example"' in response.text
    assert 'data-rasa-url="http://desk.example:5123"' in response.text
    assert "kept as the\n            legal record of your request" in response.text


def test_the_page_may_only_talk_to_itself_and_the_assistant(page):
    policy = page.get("/").headers["content-security-policy"]
    assert "script-src 'self';" in policy
    assert "connect-src 'self' http://desk.example:5123 ws://desk.example:5123;" in policy


def test_a_proxy_address_for_the_assistant_is_escaped_into_the_page(page, monkeypatch):
    monkeypatch.setenv("PRIVACY_DESK_WIDGET_RASA_URL", 'https://chat.example/"><script>')
    response = page.get("/")
    assert 'data-rasa-url="https://chat.example/&quot;&gt;&lt;script&gt;"' in response.text
    assert "<script>\"" not in response.text


def test_the_widget_files_are_served(page):
    assert "textContent" in page.get("/widget/chat.js").text
    assert page.get("/widget/chat.css").status_code == 200
    assert page.get("/widget/nothing.js").status_code == 404


# ---- the channel: Rasa's own server app with our channel, its agent an echoing stand-in (in its own process) ----

def visit(port: int, wanted: str | None) -> tuple:
    """One page load: connect, ask for session `wanted`, say hello; (the confirmed session, the reply).

    In a thread of its own, since a browser test's Playwright may still hold this thread's event loop."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, _visit(port, wanted)).result()


async def _visit(port: int, wanted: str | None) -> tuple:
    client, received = socketio.AsyncClient(), asyncio.Queue()
    client.on("session_confirm", received.put_nowait)
    client.on("bot_uttered", received.put_nowait)
    # polling: this environment's aiohttp is older than the python-socketio client's websocket code expects
    await client.connect(f"http://127.0.0.1:{port}", transports=["polling"])
    try:
        await client.emit("session_request", {"session_id": wanted})
        confirmed = await asyncio.wait_for(received.get(), 5)
        await client.emit("user_uttered", {"message": f"hello from {wanted}", "session_id": confirmed,
                                           "metadata": {"language": "fr", "locale": "fr-FR"}})
        return confirmed, await asyncio.wait_for(received.get(), 5)
    finally:
        await client.eio.disconnect(abort=True)  # a plain disconnect waits out the pending long poll (25 s)


def test_replies_reach_the_browser_with_session_persistence_and_after_a_reload(echo_assistant):
    assistant, _ = echo_assistant
    session = "0123456789abcdef0123456789abcdef"
    for _ in ("first page load", "after a reload"):
        confirmed, reply = visit(assistant.port, session)
        assert (confirmed, reply) == (session, {"text": f"You wrote: hello from {session}"})
    heard = [m for m in assistant.received() if m["text"] == f"hello from {session}"]
    assert [m["sender_id"] for m in heard] == [session, session]  # one Rasa conversation across both
    assert heard[0]["metadata"] == {"language": "fr", "locale": "fr-FR"}


@pytest.mark.parametrize("wanted", [None, "", "short", "../../etc", "X" * 32])
def test_a_missing_or_malformed_session_id_gets_a_new_one(echo_assistant, wanted):
    assistant, _ = echo_assistant
    confirmed, reply = visit(assistant.port, wanted)
    assert re.fullmatch(r"[0-9a-f]{32}", confirmed)
    assert reply == {"text": f"You wrote: hello from {wanted}".strip()}
