"""A customer's whole conversation in the widget, from greeting to case reference, against everything
`privacy-desk run` starts: the trained assistant, the action server, the website, the outbox sender (sending
to a test SMTP server, where the customer reads the verification code)."""
from __future__ import annotations

import email
import os
import re
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from email import policy
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.widget_support import PROJECT, chromium, screenshot  # noqa: F401 (fixtures)
from tests.support.servers import free_port

REFERENCE = re.compile(r"\bPD-[0-9A-Z]{4}-[0-9A-Z]{4}\b")
ASKS_FOR_A_CODE = re.compile(r"(?<!country )\bcode\b")
CUSTOMER = {"name": "Jane Doe", "email": "jane.doe@example.org", "phone": "+44 20 7946 0321"}

pytestmark = pytest.mark.rasa


def _needs_the_whole_desk() -> str | None:
    """Why the whole desk cannot be run yet, or None."""
    if not list((PROJECT / "models").glob("*.tar.gz")):
        return "no trained assistant in models/ (`make run` trains one; this test then talks to it)"
    from bot.run import _exists
    if not _exists("bot.sender"):
        return "bot/sender.py (the outbox sender that emails the verification code) does not exist yet"
    if "web.rasa_channel.WidgetSocketIOInput:" not in _read("credentials.yml"):
        return ("credentials.yml does not name the widget's channel web.rasa_channel.WidgetSocketIOInput; with "
                "Rasa's own socketio channel and session_persistence every reply is lost (see web/rasa_channel.py)")
    if "${PRIVACY_DESK_ACTIONS_PORT}" not in _read("endpoints.yml"):
        return ("endpoints.yml does not reach the action server on ${PRIVACY_DESK_ACTIONS_PORT}, so this test "
                "cannot run the desk on ports of its own")
    return None


def _read(name: str) -> str:
    return (PROJECT / name).read_text() if (PROJECT / name).exists() else ""


@pytest.fixture
def mailbox():
    """A test SMTP server; the list fills with every message Privacy Desk sends."""
    from aiosmtpd.controller import Controller

    class Keep:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
            return "250 kept"

    handler = Keep()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, handler.messages
    controller.stop()


@pytest.fixture
def privacy_desk(tmp_path, mailbox):
    """`privacy-desk run` with its own database and ports: (the website's URL, the database URL) once it is up."""
    skip = _needs_the_whole_desk()
    if skip:
        pytest.skip(skip)
    smtp_port, _ = mailbox
    web_port, database = free_port(), f"sqlite:///{tmp_path / 'desk.db'}"
    env = {**os.environ, "PRIVACY_DESK_DATABASE_URL": database,
           "PRIVACY_DESK_CONSOLE_HOST": "127.0.0.1", "PRIVACY_DESK_CONSOLE_PORT": str(web_port),
           "PRIVACY_DESK_RASA_HOST": "127.0.0.1", "PRIVACY_DESK_RASA_PORT": str(free_port()),
           "PRIVACY_DESK_ACTIONS_PORT": str(free_port()), "PRIVACY_DESK_SMTP_HOST": "127.0.0.1",
           "PRIVACY_DESK_SMTP_PORT": str(smtp_port), "PRIVACY_DESK_SMTP_TLS": "none",
           "PRIVACY_DESK_ADMIN_PASSWORD": "a long test password"}
    env.pop("PRIVACY_DESK_IMAP_HOST", None)
    desk = subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], cwd=PROJECT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output: list[str] = []
    threading.Thread(target=lambda: output.extend(desk.stdout), daemon=True).start()
    deadline = time.monotonic() + 300  # loading the model takes most of it
    while not any("Privacy Desk is running" in line for line in output):
        assert desk.poll() is None, "privacy-desk run stopped:\n" + "".join(output[-40:])
        assert time.monotonic() < deadline, "privacy-desk run was not up in 5 minutes:\n" + "".join(output[-40:])
        time.sleep(0.5)
    yield f"http://127.0.0.1:{web_port}/", database
    desk.terminate()
    desk.wait(timeout=60)
    assert "all stopped" in "".join(output)


def verification_code(messages: list, to: str) -> str | None:
    for message in reversed(messages):
        if to in str(message["To"]):
            text = message.get_body(preferencelist=("plain", "html")).get_content()
            found = re.search(r"code\D{0,60}?\b(\d{4,8})\b", text, re.IGNORECASE | re.DOTALL)
            if found:
                return found.group(1)
    return None


def text_message_code(database: str, reference: str) -> str | None:
    """The newest text message to the customer, read where the development SMS sender keeps it (bot/phone.py)."""
    from sqlalchemy import select

    from bot import cases, db, outbox
    from bot.models import OutboundEmail
    from bot.phone import SMS_DEV

    with db.session_scope(database) as session:
        case = cases.get_case(session, reference)
        sent = session.execute(select(OutboundEmail).where(OutboundEmail.case_id == case.id,
                                                           OutboundEmail.kind == SMS_DEV)
                               .order_by(OutboundEmail.id.desc())).scalars().first()
        found = sent and re.search(r"\b(\d{6})\b", outbox.opened_texts(session, sent)[1])
        return found.group(1) if found else None


def answer_to(question: str) -> str | None:
    """What the customer says to the assistant's last message (None: nothing fits, the test fails)."""
    asked = question.split("?")[0].lower()  # the question itself, not the explanation after it
    call_day = (date.today() - timedelta(days=20)).strftime("%d %B %Y")
    for words, answer in ((("email",), CUSTOMER["email"]), (("phone", "number"), CUSTOMER["phone"]),
                          (("name",), CUSTOMER["name"]), (("date", "day", "when"), call_day),
                          (("time",), "around 2:30 pm"), (("correct", "confirm", "right?", "shall i"), "yes")):
        if any(word in asked for word in words):
            return answer
    return None


def test_a_customer_asks_for_a_call_recording_gets_a_case_reference_and_proves_who_they_are(
        chromium, privacy_desk, mailbox):
    website, database = privacy_desk
    _, messages = mailbox
    page = chromium.new_context(locale="en-GB", viewport={"width": 1280, "height": 900}).new_page()
    page.goto(website)
    page.get_by_role("button", name="Privacy requests — chat with us").click()
    bot = page.locator(".pd-bot .pd-text")
    box = page.get_by_label("Your message")

    def say(text: str) -> None:
        seen = bot.count()
        box.fill(text)
        box.press("Enter")
        expect(bot).not_to_have_count(seen, timeout=30000)
        expect(page.get_by_role("status")).to_have_text("", timeout=30000)  # every reply is in

    def transcript() -> str:
        return "\n".join(bot.all_text_contents())

    say("Hello")
    say("I would like a copy of the recording of a phone call I had with you")
    for _ in range(15):
        if REFERENCE.search(transcript()):
            break
        reply = answer_to(bot.last.text_content())
        assert reply, "the customer does not know what to answer to:\n" + transcript()
        say(reply)
    reference = REFERENCE.search(transcript())
    assert reference, transcript()
    screenshot(page, "09-conversation-case-reference")

    # A call recording needs the email address and the phone proven: one code by email, one by text message.
    for _ in range(3):
        if not ASKS_FOR_A_CODE.search(bot.last.text_content()):
            break
        by_text = "text message" in bot.last.text_content()
        code = _wait_for(lambda: text_message_code(database, reference.group(0)) if by_text
                         else verification_code(messages, CUSTOMER["email"]))
        assert code, "the customer never received the code asked for:\n" + transcript()
        say(code)
    screenshot(page, "10-conversation-identity-confirmed")

    from bot import cases, db
    with db.session_scope(database) as session:
        assert cases.get_case(session, reference.group(0)).status == "verified", transcript()
    page.context.close()


def _wait_for(read, seconds: float = 20):
    deadline = time.monotonic() + seconds
    while not (found := read()) and time.monotonic() < deadline:
        time.sleep(0.25)
    return found
