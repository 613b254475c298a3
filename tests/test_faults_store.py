"""The background services when the case store fails under them, for real: a SQLite database held by another
connection's exclusive lock for longer than our busy timeout, and a real PostgreSQL server stopped and started
again. Each service says so in one log line without personal data, tries again, and loses nothing: every
queued email reaches the SMTP server (aiosmtpd) exactly once, every letter (Dovecot) is taken in and answered
once, the scheduler's jobs run once."""
from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot import cases, db, outbox, scheduler, sender
from bot.models import Case, CaseEvent, OutboundEmail, utcnow
from bot.requests import Channel, RequestType
from mail_ingest.models import InboundLetter
from mail_ingest.poller import Limits, Poller
from tests.mail.conftest import agent, dovecot, mailbox, reader  # noqa: F401 - fixtures
from tests.mail.letters import letter
from tests.support.servers import free_port
from tests.test_outbox_smtp import Inbox, smtp_server

pytestmark = pytest.mark.personal_data_free_logs

BUSY_SECONDS = 10    # bot/db.py's SQLite busy timeout: a lock held longer makes a turn fail
LOCK_SECONDS = BUSY_SECONDS + 3
UNAVAILABLE = "the case store is unavailable"


# ---- the faults -----------------------------------------------------------------------------------------------------

@contextmanager
def locked(url: str, seconds: float = LOCK_SECONDS):
    """Another connection holds the database's write lock for `seconds` (the block runs meanwhile)."""
    taken, connection = threading.Event(), sqlite3.connect(url.split("///", 1)[1], isolation_level=None,
                                                           check_same_thread=False)

    def hold():
        connection.execute("BEGIN EXCLUSIVE")
        taken.set()
        time.sleep(seconds)
        connection.execute("COMMIT")
        connection.close()

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    assert taken.wait(5)
    try:
        yield
    finally:
        holder.join(seconds + 5)


@pytest.fixture
def pg_store(postgres, monkeypatch):
    if not hasattr(postgres, "stop_server"):
        pytest.skip("PRIVACY_DESK_TEST_POSTGRES_URL names a server these tests must not restart")
    url = postgres.create_database()
    db.upgrade(url)
    monkeypatch.setenv("PRIVACY_DESK_DATABASE_URL", url)
    yield url
    if not _answers(url):
        postgres.start_server()


def _answers(url: str) -> bool:
    try:
        with db.session_scope(url) as session:
            session.execute(select(1))
        return True
    except db.StoreUnavailable:
        return False


def restart(postgres, down_seconds: float = 4) -> None:
    """PostgreSQL stopped (every connection cut) for `down_seconds`, then started again."""
    postgres.stop_server()
    try:
        time.sleep(down_seconds)
    finally:
        postgres.start_server()


# ---- the services, run as `make run` runs them -------------------------------------------------------------------

class InThread:
    """`await run(*args, stop=event)` in a thread of its own, stopped cleanly at the end of the block."""

    def __init__(self, run, *args):
        self.run, self.args, self.started = run, args, threading.Event()
        self.error: BaseException | None = None

    def __enter__(self):
        self.thread = threading.Thread(target=self._main, daemon=True)
        self.thread.start()
        assert self.started.wait(10)
        return self

    def _main(self):
        async def main():
            self.loop, self.stop = asyncio.get_running_loop(), asyncio.Event()
            self.started.set()
            await self.run(*self.args, stop=self.stop)
        try:
            asyncio.run(main())
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.error = exc

    def __exit__(self, *_):
        self.loop.call_soon_threadsafe(self.stop.set)
        self.thread.join(60)
        assert not self.thread.is_alive() and self.error is None, self.error


class PollerThread:
    def __init__(self, poller: Poller):
        self.poller, self.stop, self.error = poller, threading.Event(), None

    def __enter__(self):
        def main():
            try:
                self.poller.run(self.stop)
            except BaseException as exc:  # noqa: BLE001 - reported by the test
                self.error = exc
        self.thread = threading.Thread(target=main, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *_):
        self.stop.set()
        self.thread.join(60)
        assert not self.thread.is_alive()


def wait_for(condition, seconds: float = 60, every: float = 0.3):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False


# ---- the outbox sender -------------------------------------------------------------------------------------------

class SlowInbox(Inbox):
    """Accepts each message only once `release` is set: the moment between the server's 250 and our commit."""

    def __init__(self):
        super().__init__()
        self.receiving, self.release = threading.Event(), threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.receiving.set()
        while not self.release.is_set():
            await asyncio.sleep(0.05)
        return await super().handle_DATA(server, session, envelope)


@contextmanager
def smtp(monkeypatch, inbox: Inbox, timeout: int = 1):
    port = free_port()
    for name, value in (("SMTP_HOST", "127.0.0.1"), ("SMTP_PORT", str(port)), ("SMTP_TLS", "none"),
                        ("SMTP_TIMEOUT_SECONDS", str(timeout)), ("OUTBOX_POLL_SECONDS", "1"),
                        ("MAIL_FROM", "Privacy Desk <privacy@company.example>"),
                        ("SECRET_KEY", "store-faults-secret-" + "s" * 32)):
        monkeypatch.setenv(f"PRIVACY_DESK_{name}", value)
    with smtp_server(port, inbox):
        yield inbox


def queue_emails(url: str, count: int) -> set[str]:
    """Message-IDs of `count` queued replies to different requesters."""
    with db.session_scope(url) as session:
        emails = [outbox.enqueue(session, case=None, kind="mail_reply", to=f"requester{n}@example.org",
                                 subject=f"Your request {n}", body_text="We have received your request.")
                  for n in range(count)]
        session.flush()
        return {email.message_id for email in emails}


def delivered(inbox: Inbox) -> list[str]:
    return [message["Message-ID"] for message in inbox.messages]


def statuses(url: str) -> list[str]:
    with db.session_scope(url) as session:
        return list(session.execute(select(OutboundEmail.status)).scalars())


def test_the_sender_waits_out_a_locked_database_and_sends_every_email_once(store, monkeypatch, caplog):
    caplog.set_level(logging.INFO)
    queued = queue_emails(store, 3)
    with smtp(monkeypatch, Inbox()) as inbox, locked(store), InThread(sender.run, store):
        assert wait_for(lambda: len(delivered(inbox)) >= 3, LOCK_SECONDS + 30)
        time.sleep(2)  # a second sending would come now
    assert sorted(delivered(inbox)) == sorted(queued) and statuses(store) == ["sent"] * 3
    assert any(UNAVAILABLE in r.getMessage() and r.name == "privacy_desk.service" for r in caplog.records)


def test_an_email_the_server_accepted_while_the_database_was_locked_is_not_sent_again(store, monkeypatch):
    [queued] = queue_emails(store, 1)
    inbox = SlowInbox()
    with smtp(monkeypatch, inbox, timeout=2), InThread(sender.run, store):  # a lease of 16 s
        assert inbox.receiving.wait(15)
        with locked(store):
            inbox.release.set()  # the server says 250 while nobody can write that the email was sent
        lease = sender.SmtpConfig.from_settings().lease.total_seconds()
        time.sleep(lease + 3)   # past the lease another turn would take the email up again
    assert delivered(inbox) == [queued] and statuses(store) == ["sent"]


def test_the_sender_carries_on_through_a_postgresql_restart(pg_store, postgres, monkeypatch, caplog):
    caplog.set_level(logging.INFO)
    first = queue_emails(pg_store, 2)
    with smtp(monkeypatch, Inbox()) as inbox, InThread(sender.run, pg_store):
        assert wait_for(lambda: len(delivered(inbox)) == 2, 20)
        restart(postgres)
        later = queue_emails(pg_store, 2)
        assert wait_for(lambda: len(delivered(inbox)) >= 4, 30)
        time.sleep(2)
    assert sorted(delivered(inbox)) == sorted(first | later) and statuses(pg_store) == ["sent"] * 4


def test_the_sender_loop_survives_postgresql_being_down_when_it_looks(pg_store, postgres, monkeypatch, caplog):
    caplog.set_level(logging.INFO)
    queued = queue_emails(pg_store, 2)
    postgres.stop_server()
    try:
        with smtp(monkeypatch, Inbox()) as inbox, InThread(sender.run, pg_store):
            assert wait_for(lambda: any(UNAVAILABLE in r.getMessage() for r in caplog.records), 20)
            postgres.start_server()
            assert wait_for(lambda: len(delivered(inbox)) >= 2, 30)
            time.sleep(2)
    finally:
        if not _answers(pg_store):
            postgres.start_server()
    assert sorted(delivered(inbox)) == sorted(queued) and statuses(pg_store) == ["sent"] * 2


# ---- the scheduler -------------------------------------------------------------------------------------------------

def test_the_scheduler_waits_out_a_locked_database_and_runs_its_jobs_once(store, monkeypatch, caplog):
    caplog.set_level(logging.INFO)
    monkeypatch.setattr(scheduler, "TICK_SECONDS", 1)
    monkeypatch.setenv("PRIVACY_DESK_DIGEST_TIME", "00:00")  # today's digest is due
    with db.session_scope(store) as session:
        stale = cases.open_case(session, cases.NewRequest([RequestType.ERASURE], Channel.CHAT,
                                                          email="old.request@example.org")).case
        stale.received_at = utcnow() - timedelta(days=40)
        reference = stale.reference
        due_soon = cases.open_case(session, cases.NewRequest([RequestType.COMPLAINT], Channel.CHAT)).case
        due_soon.status, due_soon.due_at = "verified", utcnow() + timedelta(days=2)  # for the digest
    with locked(store), InThread(scheduler.run, store):
        time.sleep(LOCK_SECONDS + 4)
    with db.session_scope(store) as session:
        assert session.execute(select(Case.status).where(Case.reference == reference)).scalar_one() == "withdrawn"
        expired = session.execute(select(func.count()).select_from(CaseEvent)
                                  .where(CaseEvent.action == "expired_unverified")).scalar_one()
        digests = session.execute(select(func.count()).select_from(OutboundEmail)
                                  .where(OutboundEmail.kind == "staff_digest")).scalar_one()
    assert (expired, digests) == (1, 1)
    assert any(UNAVAILABLE in r.getMessage() and "scheduler" in r.getMessage() for r in caplog.records)


# ---- the mail poller ---------------------------------------------------------------------------------------------

def _poller(mailbox, reader, url: str) -> Poller:  # noqa: F811 - fixtures
    return Poller(mailbox.settings(), reader=reader, url=url,
                  limits=Limits(10 * 1024 * 1024, batch_size=10, max_attempts=3, poll_seconds=5))


def _letters(mailbox, first: int, count: int) -> None:  # noqa: F811 - fixtures
    mailbox.append(*(letter(f"Sam Writer {n} <sam.writer{n}@example.org>", f"Erasure {n}",
                            f"Please erase my personal data. Letter {n}.") for n in range(first, first + count)))


def _taken_in(url: str) -> tuple[int, int, int]:
    """(letters stored, distinct senders, letters answered)."""
    with db.session_scope(url) as session:
        rows = session.execute(select(InboundLetter.from_address, InboundLetter.status)).all()
    return len(rows), len({sender for sender, _ in rows}), sum(status == "answered" for _, status in rows)


def test_the_poller_waits_out_a_locked_database_and_takes_in_every_letter_once(
        store, mailbox, agent, reader, caplog):  # noqa: F811 - fixtures
    caplog.set_level(logging.INFO)
    _letters(mailbox, 0, 3)
    with locked(store), PollerThread(_poller(mailbox, reader, store)) as running:
        assert wait_for(lambda: _taken_in(store) == (3, 3, 3), LOCK_SECONDS + 40), _taken_in(store)
        _letters(mailbox, 3, 2)
        assert wait_for(lambda: _taken_in(store) == (5, 5, 5), 40), _taken_in(store)
    assert running.error is None and mailbox.count("Processed") == 5 and mailbox.count("INBOX") == 0
    assert len(agent.received) == 5


def test_the_poller_carries_on_through_a_postgresql_restart(
        pg_store, postgres, mailbox, agent, reader, caplog):  # noqa: F811 - fixtures
    caplog.set_level(logging.INFO)
    _letters(mailbox, 0, 2)
    with PollerThread(_poller(mailbox, reader, pg_store)) as running:
        assert wait_for(lambda: _taken_in(pg_store) == (2, 2, 2), 30), _taken_in(pg_store)
        postgres.stop_server()
        try:
            _letters(mailbox, 2, 2)  # they arrive while the store is down
            time.sleep(6)
        finally:
            postgres.start_server()
        assert wait_for(lambda: _taken_in(pg_store) == (4, 4, 4), 60), _taken_in(pg_store)
    assert running.error is None, running.error
    assert mailbox.count("Processed") == 4 and len(agent.received) == 4
    assert any("mail intake interrupted (StoreUnavailable" in r.getMessage() for r in caplog.records)
