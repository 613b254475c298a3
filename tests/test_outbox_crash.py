"""Killing the sender process while the SMTP server is down loses no email, and sends none twice."""
from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time

from sqlalchemy import select

from bot import cases, db, notices, settings
from bot.models import OutboundEmail
from bot.requests import Channel, RequestType
from tests.test_outbox_smtp import smtp_port, smtp_server  # noqa: F401  (fixture and real server)


def statuses(store) -> dict[str, str]:
    return {message_id: status for message_id, (status, _) in rows(store).items()}


def rows(store) -> dict[str, tuple[str, int]]:
    with db.session_scope(store) as session:
        return {e.message_id: (e.status, e.attempts) for e in session.execute(select(OutboundEmail)).scalars()}


def mid_attempt_after_a_failure(store) -> bool:
    """One email is being sent right now, and another already failed once and waits for its retry."""
    now = list(rows(store).values())
    return ("sending", 1) in [(s, min(a, 1)) for s, a in now] and any(s == "queued" and a >= 1 for s, a in now)


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting ({timeout:g} s) for {what}")


def start_sender(log_path):
    log = open(log_path, "ab")
    return subprocess.Popen([sys.executable, "-m", "bot.sender"], cwd=settings.PROJECT_DIR, stdout=log,
                            stderr=subprocess.STDOUT)


def test_killing_the_sender_while_the_server_is_down_loses_no_email(store, smtp_port, monkeypatch, tmp_path):
    for name, value in (("OUTBOX_POLL_SECONDS", "1"), ("OUTBOX_RETRY_BASE_SECONDS", "1"),
                        ("OUTBOX_RETRY_MAX_SECONDS", "1"), ("SMTP_TIMEOUT_SECONDS", "1"),
                        ("OUTBOX_MAX_ATTEMPTS", "1000")):
        monkeypatch.setenv(f"PRIVACY_DESK_{name}", value)
    with db.session_scope(store) as session:
        for i in range(4):
            new = cases.NewRequest([RequestType.ERASURE], Channel.EMAIL, name=f"Person {i}",
                                   email=f"person{i}@example.org")
            notices.notify(session, cases.open_case(session, new).case, "acknowledgement")
    # "Down" the nasty way: the port accepts connections but never answers, so attempts hang until their
    # timeout and the sender can be killed in the middle of one.
    blackhole = socket.socket()
    blackhole.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    blackhole.bind(("127.0.0.1", smtp_port))
    blackhole.listen(64)
    first = start_sender(tmp_path / "sender.log")
    try:
        wait_for(lambda: mid_attempt_after_a_failure(store), 30, "an attempt in progress after a failed one")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        blackhole.close()
    interrupted = [m for m, status in statuses(store).items() if status == "sending"]
    assert interrupted and "sent" not in statuses(store).values()

    with smtp_server(smtp_port) as inbox:
        second = start_sender(tmp_path / "sender.log")
        try:
            wait_for(lambda: set(statuses(store).values()) == {"sent"}, 60, "every email sent")
        finally:
            second.send_signal(signal.SIGTERM)
            assert second.wait(15) == 0
    received = sorted(m["Message-ID"] for m in inbox.messages)
    assert received == sorted(statuses(store))  # each email exactly once, the interrupted one included
    log = (tmp_path / "sender.log").read_text()
    assert "stopped while sending" in log and "example.org" not in log
