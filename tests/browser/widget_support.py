"""Fixtures for the website widget's browser tests, imported by test_widget*.py.

The widget talks to a real Rasa socket.io server: Rasa's own app (`configure_app`) with our channel, in its own
process, where a stand-in agent echoes what it is told instead of a trained model. `python -m
tests.browser.widget_support PORT ORIGIN LOG` starts it. Screenshots go to test-output/widget/.

Chromium comes from conftest.py's `staff_browser`: a second sync Playwright cannot start while one is open.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.servers import free_port, unavailable

PROJECT = Path(__file__).resolve().parents[2]
SCREENSHOTS = PROJECT / "test-output" / "widget"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


# ---- the stand-in assistant (runs in its own process) ----

class EchoAgent:
    """Answers like a very simple assistant and writes down what reached it, for the tests to check."""

    def __init__(self, log: Path):
        self.log = log

    def is_ready(self) -> bool:
        return True

    async def handle_message(self, message) -> None:
        with self.log.open("a") as log:
            log.write(json.dumps({"sender_id": message.sender_id, "text": message.text,
                                  "metadata": message.metadata, "channel": message.input_channel}) + "\n")
        out, to = message.output_channel, message.sender_id
        if message.text == "/silence":
            return
        if message.text == "/choose":
            await out.send_text_with_buttons(to, "What would you like to do?", [
                {"title": "Get a copy of a call recording", "payload": "/request_call_recording"},
                {"title": "Erase my data", "payload": "/request_erasure"}])
            return
        await out.send_text_message(to, f"You wrote: {message.text}")


def serve_echo_assistant(port: int, origin: str, log: Path) -> None:
    from rasa.core.run import configure_app

    from web.rasa_channel import WidgetSocketIOInput

    channel = WidgetSocketIOInput.from_credentials({"session_persistence": True})
    app = configure_app([channel], cors=[origin], enable_api=False, port=port)
    app.ctx.agent = EchoAgent(log)
    app.run(host="127.0.0.1", port=port, access_log=False)


class EchoAssistant:
    def __init__(self, tmp: Path, origin: str):
        self.port, self.log = free_port(), tmp / "received.jsonl"
        self.log.touch()
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.browser.widget_support", str(self.port), origin,
                                      str(self.log)], cwd=PROJECT, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"})
        wait_until_answers(f"http://127.0.0.1:{self.port}/", self.proc)

    def received(self) -> list[dict]:
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.communicate(timeout=20)


def wait_until_answers(url: str, proc: subprocess.Popen | None = None, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(f"{url} exited: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer within {timeout:g} s")
            time.sleep(0.25)


# ---- the website page, served in this process so a test can change a setting for one page load ----

class PageServer:
    def __init__(self, port: int):
        import uvicorn

        from bot import widget

        self.url = f"http://127.0.0.1:{port}"
        self.server = uvicorn.Server(uvicorn.Config(widget.create_app(), host="127.0.0.1", port=port,
                                                    log_level="warning", access_log=False, ws="none"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        wait_until_answers(self.url + "/", timeout=20)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


# ---- fixtures ----

@pytest.fixture(scope="module")
def chromium(staff_browser):
    """The browser tests' one Chromium, started by conftest.py: only one sync Playwright can run at a time."""
    from bot.widget import BUILD_HINT, SOCKET_IO_CLIENT
    if not SOCKET_IO_CLIENT.exists():
        unavailable(BUILD_HINT)
    return staff_browser


@pytest.fixture(scope="module")
def echo_assistant(tmp_path_factory):
    """(assistant, page origin): the page must be served from that origin, which the assistant accepts (CORS)."""
    origin = f"http://127.0.0.1:{free_port()}"
    assistant = EchoAssistant(tmp_path_factory.mktemp("echo"), origin)
    yield assistant, origin
    assistant.stop()


@pytest.fixture(scope="module")
def widget_site(echo_assistant):
    assistant, origin = echo_assistant
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PRIVACY_DESK_RASA_PORT", str(assistant.port))
        env.setenv("PRIVACY_DESK_MAIL_FROM", "Privacy Desk <data.compliance@harbourline.example>")
        env.delenv("PRIVACY_DESK_WIDGET_RASA_URL", raising=False)
        server = PageServer(int(origin.rsplit(":", 1)[1]))
        yield server.url
        server.stop()


@pytest.fixture
def open_page(chromium, widget_site):
    """open_page(**context options) -> a fresh visitor (own storage) on the website page."""
    contexts = []

    def open_(**options):
        context = chromium.new_context(**{"locale": "en-GB", "viewport": {"width": 1280, "height": 800}, **options})
        contexts.append(context)
        page = context.new_page()
        page.goto(widget_site + "/")
        return page
    yield open_
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


if __name__ == "__main__":
    serve_echo_assistant(int(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
