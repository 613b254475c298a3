"""The poller against a real Dovecot: letters appended over IMAP become cases and answers, move to
Processed only once stored, and survive crashes, renumbered mailboxes, oversized mail and bad letters."""
from __future__ import annotations

import base64
import logging
import re
import threading
import time

import pytest
from sqlalchemy import select

from bot import db
from bot.models import Case, OutboundEmail
from mail_ingest import intake
from mail_ingest.mailbox import Mailbox
from mail_ingest.models import DeadLetter, InboundLetter, MailboxPosition
from mail_ingest.poller import Limits, Poller
from tests.mail.letters import REFERENCE, assert_no_personal_data, case_we_wrote_to, fixture, letter

LIMITS = Limits(max_message_bytes=10 * 1024 * 1024, batch_size=3, max_attempts=3, poll_seconds=60)


def poller(mailbox, reader, **kwargs) -> Poller:
    folders = {k: kwargs.pop(k) for k in ("folder", "processed", "failed") if k in kwargs}
    return Poller(mailbox.settings(**folders), reader=reader, limits=kwargs.pop("limits", LIMITS), **kwargs)


def counts(store) -> tuple[int, int, int]:
    """(letters, cases, answers) in the case store."""
    with db.session_scope(store) as session:
        return (session.query(InboundLetter).count(), session.query(Case).count(),
                session.query(OutboundEmail).filter(OutboundEmail.kind == "mail_reply").count())


def test_appended_letters_become_cases_with_answers_and_move_to_processed(store, mailbox, agent, reader, caplog):
    caplog.set_level(logging.DEBUG)
    with db.session_scope(store) as session:
        case_we_wrote_to(session)
    mailbox.append(*(fixture(n) for n in ("german_access", "french_erasure", "reply_quoted_thread", "out_of_office")))
    report = poller(mailbox, reader).poll_once()
    assert len(report.stored) == 4 and report.answered == 3
    assert mailbox.count("INBOX") == 0 and mailbox.count("Processed") == 4
    with db.session_scope(store) as session:
        letters = session.execute(select(InboundLetter).order_by(InboundLetter.uid)).scalars().all()
        assert [(l.uid, l.language, l.request_types, l.status) for l in letters] == [
            (1, "de", ["access"], "answered"), (2, "fr", ["erasure"], "answered"),
            (3, "en", ["call_recording"], "answered"), (4, "de", [], "not_answered")]
        assert letters[2].case.reference == letters[3].case.reference == REFERENCE
        assert session.query(Case).count() == 3
        assert session.get(MailboxPosition, mailbox.settings().key).last_uid == 4
    assert [m["metadata"]["language"] for m in agent.received] == ["de", "fr", "en"]
    assert_no_personal_data(caplog.records, at_least=4)


def test_only_new_letters_are_read_on_the_next_poll(store, mailbox, agent, reader):
    mailbox.append(fixture("german_access"))
    poller(mailbox, reader).poll_once()
    mailbox.append(fixture("french_erasure"))
    report = poller(mailbox, reader).poll_once()
    assert len(report.stored) == 1 and report.duplicates == 0
    assert counts(store) == (2, 2, 2)


def test_letters_left_in_place_are_not_read_twice(store, mailbox, agent, reader):
    mailbox.append(fixture("german_access"), fixture("french_erasure"))
    assert len(poller(mailbox, reader, processed="").poll_once().stored) == 2
    report = poller(mailbox, reader, processed="").poll_once()
    assert report.stored == [] and report.duplicates == 0  # the position, not the dedupe, kept them out
    assert mailbox.count("INBOX") == 2 and counts(store) == (2, 2, 2)


def test_a_renumbered_mailbox_is_read_again_without_duplicates(store, mailbox, agent, reader):
    mailbox.append(fixture("german_access"), fixture("french_erasure"), folder="Requests")
    poller(mailbox, reader, folder="Requests").poll_once()
    with mailbox.client() as client:  # an administrator recreates the folder and restores one letter into it
        old = client.folder_status("Requests", [b"UIDVALIDITY"])[b"UIDVALIDITY"]
        client.delete_folder("Requests")
        client.create_folder("Requests")
        assert client.folder_status("Requests", [b"UIDVALIDITY"])[b"UIDVALIDITY"] != old
    mailbox.append(fixture("german_access"), fixture("html_only"), folder="Requests")  # UIDs 1 and 2 again
    report = poller(mailbox, reader, folder="Requests").poll_once()
    assert report.duplicates == 1 and len(report.stored) == 1  # without the resync, UIDs 1-2 would be skipped
    assert counts(store) == (3, 3, 3)
    assert mailbox.count("Requests") == 0


def test_oversized_mail_is_quarantined_without_being_downloaded(store, mailbox, agent, reader, dovecot):
    twenty_mb = base64.encodebytes(bytes(range(256)) * (15 * 1024 * 1024 // 256)).replace(b"\n", b"\r\n")
    huge = (b"From: Big Sender <big.sender@example.org>\r\nTo: privacy@example.com\r\nSubject: My scans\r\n"
            b"Message-ID: <huge.1@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n"
            b"\r\n--b\r\nContent-Type: text/plain\r\n\r\nAttached.\r\n--b\r\nContent-Type: image/tiff\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\n" + twenty_mb + b"\r\n--b--\r\n")
    assert len(huge) > 20 * 1000 * 1000
    mailbox.append(huge, fixture("german_access"))
    report = poller(mailbox, reader).poll_once()
    assert report.oversized == 1 and len(report.stored) == 1
    assert mailbox.count("Failed") == 1 and mailbox.count("Processed") == 1 and mailbox.count("INBOX") == 0
    with db.session_scope(store) as session:
        dead = session.execute(select(DeadLetter)).scalar_one()
        assert (dead.reason, dead.status, dead.raw, dead.size) == ("oversized", "quarantined", None, len(huge))
        assert "Subject: My scans" in dead.headers and "Attached." not in dead.headers
    sent = [int(n) for n in re.findall(rf"imap\({mailbox.user}\).*Logged out in=\d+ out=(\d+)", dovecot.log())]
    assert sent and max(sent) < 1_000_000  # no IMAP session of the poller carried the 20 MB


def test_without_move_the_letters_are_copied_and_expunged(store, mailbox, agent, reader):
    mailbox.append(fixture("german_access"), fixture("french_erasure"))
    assert len(poller(mailbox, reader, use_move=False).poll_once().stored) == 2
    assert mailbox.count("INBOX") == 0 and mailbox.count("Processed") == 2


def test_a_crash_after_storing_and_before_moving_stores_nothing_twice(store, mailbox, agent, reader, monkeypatch):
    mailbox.append(*(fixture(n) for n in ("german_access", "french_erasure", "html_only", "base64")))
    real_move = Mailbox.move

    def crash(self, uids, folder):
        if uids:
            raise KeyboardInterrupt  # the process dies between the commit and the move

    monkeypatch.setattr(Mailbox, "move", crash)
    with pytest.raises(KeyboardInterrupt):
        poller(mailbox, reader).poll_once()
    assert mailbox.count("INBOX") == 4 and counts(store)[:2] == (3, 3)  # the first batch of 3 was committed
    monkeypatch.setattr(Mailbox, "move", real_move)
    report = poller(mailbox, reader).poll_once()
    assert report.duplicates == 3 and len(report.stored) == 1
    assert counts(store) == (4, 4, 4) and mailbox.count("Processed") == 4 and mailbox.count("INBOX") == 0


def test_a_letter_that_keeps_failing_becomes_a_dead_letter_and_does_not_hold_up_others(store, mailbox, agent,
                                                                                        reader, monkeypatch):
    real_take_in = intake.take_in

    def take_in(raw, source, *args, **kwargs):
        if b"poison" in raw:
            raise RuntimeError("simulated bug for jane@example.org")
        return real_take_in(raw, source, *args, **kwargs)

    monkeypatch.setattr(intake, "take_in", take_in)
    mailbox.append(letter("a@example.org", "poison", "x"), fixture("german_access"))
    first = poller(mailbox, reader).poll_once()
    assert first.failing == 1 and len(first.stored) == 1 and mailbox.count("INBOX") == 1
    key = mailbox.settings().key
    with db.session_scope(store) as session:
        assert session.get(MailboxPosition, key).last_uid == 0  # held before the failing letter
    mailbox.append(fixture("french_erasure"))
    assert poller(mailbox, reader).poll_once().failing == 1  # attempt 2; the French letter still goes through
    third = poller(mailbox, reader).poll_once()
    assert third.quarantined == 1 and mailbox.count("Failed") == 1 and mailbox.count("INBOX") == 0
    with db.session_scope(store) as session:
        dead = session.execute(select(DeadLetter)).scalar_one()
        assert (dead.status, dead.attempts, dead.reason) == ("quarantined", 3, "failing")
        assert b"poison" in dead.raw and "RuntimeError" in dead.error
        assert session.get(MailboxPosition, key).last_uid == 1  # no longer held: UID 1 is settled
    assert counts(store) == (2, 2, 2)


def test_when_the_assistant_is_down_letters_are_stored_and_answered_later(store, mailbox, agent, reader):
    agent.down = True
    mailbox.append(fixture("german_access"), fixture("french_erasure"))
    report = poller(mailbox, reader).poll_once()
    assert len(report.stored) == 2 and report.waiting == 1 and report.answered == 0
    assert mailbox.count("Processed") == 2 and counts(store) == (2, 2, 0)
    agent.down = False
    with db.session_scope(store) as session:
        for row in session.query(InboundLetter):
            row.next_answer_at = row.created_at
    assert poller(mailbox, reader).poll_once().answered == 2
    assert counts(store) == (2, 2, 2)


def test_a_second_instance_leaves_the_mailbox_to_the_first(store, mailbox, agent, reader):
    first = poller(mailbox, reader)
    assert first.lease.acquire()
    mailbox.append(fixture("german_access"))
    assert poller(mailbox, reader).poll_once().held_elsewhere
    assert counts(store) == (0, 0, 0) and mailbox.count("INBOX") == 1
    first.lease.release()
    assert len(poller(mailbox, reader).poll_once().stored) == 1


def wait_for(condition, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_idle_announces_new_mail_at_once(store, mailbox, agent, reader):
    slow_polling = Limits(LIMITS.max_message_bytes, 3, 3, poll_seconds=600)  # only IDLE can be this quick
    running = poller(mailbox, reader, limits=slow_polling, lease_seconds=6)
    stop = threading.Event()
    thread = threading.Thread(target=running.run, args=(stop,), daemon=True)
    thread.start()
    try:
        time.sleep(1)
        mailbox.append(fixture("german_access"))
        assert wait_for(lambda: counts(store) == (1, 1, 1), 10)
        mailbox.append(fixture("french_erasure"))
        assert wait_for(lambda: counts(store) == (2, 2, 2), 10)
    finally:
        stop.set()
        thread.join(20)
    assert not thread.is_alive()


def test_the_poller_reconnects_after_the_server_restarts(store, mailbox, agent, reader, dovecot):
    running = poller(mailbox, reader, lease_seconds=6)
    stop = threading.Event()
    thread = threading.Thread(target=running.run, args=(stop,), daemon=True)
    thread.start()
    try:
        mailbox.append(fixture("german_access"))
        assert wait_for(lambda: counts(store)[0] == 1)
        dovecot.stop()
        time.sleep(1)
        dovecot.start()
        mailbox.append(fixture("french_erasure"))
        assert wait_for(lambda: counts(store) == (2, 2, 2), 40)
    finally:
        stop.set()
        thread.join(30)
    assert not thread.is_alive()


def test_without_imap_settings_the_poller_says_it_is_off_and_returns(store, monkeypatch, caplog):
    from mail_ingest.poller import run_forever
    monkeypatch.delenv("PRIVACY_DESK_IMAP_HOST", raising=False)
    run_forever()
    assert "Mail intake is off: PRIVACY_DESK_IMAP_HOST is not set" in caplog.text


def test_reconnect_delays_grow_up_to_a_cap_with_jitter():
    from mail_ingest.poller import backoff
    first = [backoff(1) for _ in range(200)]
    assert all(1.0 <= d <= 2.0 for d in first) and len(set(first)) > 100
    assert all(150 <= backoff(30) <= 300 for _ in range(50))
