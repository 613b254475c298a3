"""Pollers as real processes: killed with SIGKILL mid-batch, or two on one mailbox. Every letter ends as
exactly one stored letter, one case and one answer; and the staff commands over the mailbox."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import time

import pytest
from sqlalchemy import select

from bot import cli, db
from bot.models import Case, OutboundEmail
from mail_ingest.models import InboundLetter, MailboxLease
from tests.mail.letters import letter
from tests.mail.run_poller import LEASE_SECONDS

PROJECT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def letters(n: int) -> list[bytes]:
    return [letter(f"Person {i} <person{i}@example.org>", f"Request {i}",
                   f"Please delete my data (letter {i}).") for i in range(n)]


def start(mode: str, *, seconds: float = 0) -> subprocess.Popen:
    # Output to a file, not a pipe: nobody reads a pipe while the poller runs, and a full one would block it.
    log = tempfile.TemporaryFile()
    process = subprocess.Popen([sys.executable, "-m", "tests.mail.run_poller", mode, str(seconds)], cwd=PROJECT,
                               env=dict(os.environ), stdout=log, stderr=subprocess.STDOUT)
    process.log = log
    return process


def output(process: subprocess.Popen) -> str:
    process.log.seek(0)
    return process.log.read().decode(errors="replace")[-3000:]


def stored(store) -> tuple[int, int]:
    with db.session_scope(store) as session:
        return (session.query(InboundLetter).count(),
                session.query(OutboundEmail).filter(OutboundEmail.kind == "mail_reply").count())


def kill_when(process: subprocess.Popen, condition, timeout: float = 60) -> bool:
    """SIGKILL the poller as soon as `condition()` holds; False when it finished first."""
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        if condition():
            process.send_signal(signal.SIGKILL)
            process.wait(10)
            return True
        time.sleep(0.01)
    process.wait(timeout)
    return False


def assert_each_letter_once(store, mailbox, n: int) -> None:
    with db.session_scope(store) as session:
        rows = session.execute(select(InboundLetter)).scalars().all()
        assert len(rows) == n and len({r.dedupe_key for r in rows}) == n
        assert all(r.status == "answered" for r in rows)
        assert session.query(Case).count() == n
        answers = session.execute(select(OutboundEmail).where(OutboundEmail.kind == "mail_reply")).scalars().all()
        assert sorted(a.in_reply_to for a in answers) == sorted(r.message_id for r in rows)
    assert mailbox.count("INBOX") == 0 and mailbox.count("Processed") == n


def test_sigkill_mid_batch_loses_nothing_and_duplicates_nothing(store, mailbox, agent, monkeypatch):
    agent.delay = 0.03
    monkeypatch.setenv("PRIVACY_DESK_MAIL_BATCH_SIZE", "4")
    n = 24
    mailbox.append(*letters(n))
    # Killed while storing (twice), while answering, then left to finish.
    for condition in (lambda: stored(store)[0] >= 3, lambda: stored(store)[0] >= 11,
                      lambda: stored(store)[1] >= 5):
        assert kill_when(start("once"), condition), "the poller finished before it could be killed"
        time.sleep(LEASE_SECONDS + 0.5)  # the killed poller's lease lapses
    assert 0 < stored(store)[1] < n
    finisher = start("once")
    assert finisher.wait(120) == 0, output(finisher)
    assert_each_letter_once(store, mailbox, n)


def test_twenty_kills_at_random_points_of_a_batch_lose_nothing_and_duplicate_nothing(store, mailbox, agent,
                                                                                    monkeypatch):
    agent.delay = 0.01
    monkeypatch.setenv("PRIVACY_DESK_MAIL_BATCH_SIZE", "4")
    n = 30
    mailbox.append(*letters(n))
    # 20 points along the work, drawn at random (seeded, so a failure can be replayed): v < n means "once v
    # letters are stored", v >= n "once v - n answers are queued". Progress only grows, so they are sorted.
    points = sorted(random.Random(20).sample(range(1, 2 * n), 20))
    kills = 0
    for point in points:
        done = (lambda p=point: stored(store)[0] >= p) if point < n else (lambda p=point: stored(store)[1] >= p - n)
        if done():
            continue  # the previous run got past this point before it was killed
        kills += kill_when(start("once"), done)
        time.sleep(LEASE_SECONDS + 0.2)  # the killed poller's lease lapses
    assert kills >= 15, f"only {kills} of the 20 kills landed mid-batch"
    finisher = start("once")
    assert finisher.wait(120) == 0, output(finisher)
    assert_each_letter_once(store, mailbox, n)


def lease_holder(store, processes) -> subprocess.Popen | None:
    with db.session_scope(store) as session:
        holder = session.execute(select(MailboxLease.holder)).scalar()
    pid = int(holder.split(":")[-2]) if holder else None
    return next((p for p in processes if p.pid == pid), None)


def test_two_pollers_on_one_mailbox_take_each_letter_once_and_one_takes_over(store, mailbox, agent):
    agent.delay = 0.02
    pollers = [start("forever", seconds=90), start("forever", seconds=90)]
    try:
        mailbox.append(*letters(10))
        deadline = time.monotonic() + 60
        while stored(store)[1] < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        reader = lease_holder(store, pollers)
        assert reader is not None, [output(p) for p in pollers]
        reader.send_signal(signal.SIGKILL)  # the one reading dies mid-work: the other must take over
        mailbox.append(*letters(20)[10:])
        while stored(store)[1] < 20 and time.monotonic() < deadline:
            time.sleep(0.1)
        survivor = next(p for p in pollers if p is not reader)
        assert lease_holder(store, pollers) is survivor
    finally:
        for process in pollers:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
            process.wait(30)
    assert_each_letter_once(store, mailbox, 20)
    assert survivor.returncode == 0, output(survivor)


def test_poll_once_command_tells_staff_what_happened(store, mailbox, agent, capsys):
    mailbox.append(*letters(2))
    assert cli.main(["mail", "poll-once"]) == 0
    assert capsys.readouterr().out.startswith("Stored 2 letter(s), 0 already stored;")
    assert cli.main(["mail", "status"]) == 0
    out = capsys.readouterr().out
    assert "INBOX: read up to UID 2" in out and "2 answered" in out


def test_poll_once_without_settings_says_how_to_turn_mail_on(store, monkeypatch, capsys):
    monkeypatch.delenv("PRIVACY_DESK_IMAP_HOST", raising=False)
    assert cli.main(["mail", "poll-once"]) == 1
    assert "Mail intake is off: set PRIVACY_DESK_IMAP_HOST" in capsys.readouterr().err


def test_dead_letters_are_listed_and_can_be_retried(store, mailbox, agent, monkeypatch, capsys):
    from mail_ingest import intake
    real_take_in = intake.take_in
    monkeypatch.setenv("PRIVACY_DESK_MAIL_MAX_ATTEMPTS", "1")
    monkeypatch.setattr(intake, "take_in", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("bug")))
    mailbox.append(letter("Lee <lee@example.org>", "Erase me", "Please delete my data."))
    assert cli.main(["mail", "poll-once"]) == 0
    capsys.readouterr()
    assert cli.main(["mail", "dead-letters"]) == 0
    listing = capsys.readouterr().out
    assert "#1  quarantined failing" in listing and "Subject: Erase me" in listing and "RuntimeError: bug" in listing
    monkeypatch.setattr(intake, "take_in", real_take_in)  # the bug is fixed
    assert cli.main(["mail", "retry", "1"]) == 0
    assert "Dead letter #1 taken in as letter 1 on case PD-" in capsys.readouterr().out
    assert cli.main(["mail", "retry", "1"]) == 1
    assert "already taken in" in capsys.readouterr().err
    assert cli.main(["mail", "dead-letters"]) == 0 and capsys.readouterr().out == "No dead letters.\n"


@pytest.mark.parametrize("missing", [2])
def test_retrying_an_unknown_dead_letter_says_how_to_find_one(store, capsys, missing):
    assert cli.main(["mail", "retry", str(missing)]) == 1
    assert "mail dead-letters` lists them" in capsys.readouterr().err
