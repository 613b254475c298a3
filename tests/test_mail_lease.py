"""One reader per mailbox, on SQLite as on PostgreSQL: the lease row and the never-backwards position."""
from __future__ import annotations

import time

import pytest

from bot import db
from mail_ingest import position
from mail_ingest.models import MailboxPosition
from mail_ingest.position import Lease

MAILBOX = "imap://privacy@mail.example.com:993/INBOX"


def test_one_holder_at_a_time_and_a_dead_one_is_replaced(any_store):
    first, second = Lease(MAILBOX, url=any_store, seconds=1), Lease(MAILBOX, url=any_store, seconds=1)
    assert first.acquire() and not second.acquire()
    assert first.acquire()  # renewing is acquiring again
    time.sleep(1.2)  # the first stops renewing (it died)
    assert second.acquire() and not first.acquire()
    second.release()
    assert first.acquire()


def test_keep_renews_or_says_the_lease_is_lost(any_store):
    first, second = Lease(MAILBOX, url=any_store, seconds=1), Lease(MAILBOX, url=any_store, seconds=1)
    assert first.acquire()
    time.sleep(1.2)
    assert second.acquire()
    with pytest.raises(position.LeaseLost):
        first.keep()


def test_the_position_never_goes_back_and_resets_on_a_new_uidvalidity(any_store):
    with db.session_scope(any_store) as session:
        assert position.last_uid(session, MAILBOX, 7) == 0
    with db.session_scope(any_store) as session:
        position.advance(session, MAILBOX, 7, 40)
        position.advance(session, MAILBOX, 7, 12)  # a slow instance that lost its lease
        position.advance(session, MAILBOX, 8, 99)  # a stale UIDVALIDITY moves nothing
    with db.session_scope(any_store) as session:
        assert position.last_uid(session, MAILBOX, 7) == 40
    with db.session_scope(any_store) as session:
        assert position.last_uid(session, MAILBOX, 9) == 0  # renumbered: read again from the start
    with db.session_scope(any_store) as session:
        assert (session.get(MailboxPosition, MAILBOX).uidvalidity, session.get(MailboxPosition, MAILBOX).last_uid) \
            == (9, 0)
