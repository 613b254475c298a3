"""Where a mailbox has been read up to, and who may read it now.

The position is (mailbox, UIDVALIDITY, last UID). When the server's UIDVALIDITY changes, its UIDs mean
nothing any more: reading starts again from the first message, and letters already stored are recognised
by their dedupe key, so none is stored twice.

The lease is a row, not a lock held by a connection, so it works the same on SQLite and PostgreSQL: a
holder renews it while it works; one that dies loses it when it expires and another instance takes over.
"""
from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import timedelta
from time import monotonic

from sqlalchemy import case, literal, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import db
from bot.models import UTCDateTime, utcnow
from mail_ingest.models import MailboxLease, MailboxPosition

log = logging.getLogger("privacy_desk.mail")
LEASE_SECONDS = 90


def last_uid(session: Session, mailbox: str, uidvalidity: int) -> int:
    position = session.get(MailboxPosition, mailbox)
    if position is None:
        session.add(MailboxPosition(mailbox=mailbox, uidvalidity=uidvalidity, last_uid=0, updated_at=utcnow()))
        return 0
    if position.uidvalidity != uidvalidity:
        log.warning("the mail server renumbered the mailbox (UIDVALIDITY %s -> %s): reading it again from the "
                    "start; letters already stored are recognised and not stored twice",
                    position.uidvalidity, uidvalidity)
        position.uidvalidity, position.last_uid, position.updated_at = uidvalidity, 0, utcnow()
        return 0
    return position.last_uid


def advance(session: Session, mailbox: str, uidvalidity: int, uid: int) -> None:
    """Never backwards: a slow instance that lost its lease cannot undo another's progress."""
    session.execute(update(MailboxPosition)
                    .where(MailboxPosition.mailbox == mailbox, MailboxPosition.uidvalidity == uidvalidity,
                           MailboxPosition.last_uid < uid)
                    .values(last_uid=uid, updated_at=utcnow()).execution_options(synchronize_session=False))


class LeaseLost(RuntimeError):
    """Another instance now reads this mailbox; this one stops."""


class Lease:
    def __init__(self, mailbox: str, *, url: str | None = None, holder: str | None = None,
                 seconds: int = LEASE_SECONDS):
        self.mailbox, self.url, self.seconds = mailbox, url, seconds
        self.holder = holder or f"{socket.gethostname()[:100]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._renewed = None

    def acquire(self) -> bool:
        now = utcnow()
        values = dict(holder=self.holder, expires_at=now + timedelta(seconds=self.seconds),
                      acquired_at=case((MailboxLease.holder == self.holder, MailboxLease.acquired_at),
                                       else_=literal(now, UTCDateTime())))
        with db.session_scope(self.url) as session:
            taken = session.execute(
                update(MailboxLease).where(MailboxLease.mailbox == self.mailbox,
                                           or_(MailboxLease.holder == self.holder, MailboxLease.expires_at < now))
                .values(**values).execution_options(synchronize_session=False)).rowcount
            exists = taken or session.get(MailboxLease, self.mailbox) is not None
        if not exists:
            taken = self._insert(now)
        self._renewed = monotonic() if taken else None
        return bool(taken)

    def _insert(self, now) -> bool:
        try:
            with db.session_scope(self.url) as session:
                session.add(MailboxLease(mailbox=self.mailbox, holder=self.holder, acquired_at=now,
                                         expires_at=now + timedelta(seconds=self.seconds)))
            return True
        except IntegrityError:
            return False  # another instance inserted it first

    def keep(self) -> None:
        """Renew when a third of the lease has passed; raise LeaseLost when another instance has it."""
        if self._renewed is not None and monotonic() - self._renewed < self.seconds / 3:
            return
        if not self.acquire():
            raise LeaseLost("another Privacy Desk instance is reading this mailbox now")

    def release(self) -> None:
        if self._renewed is None:
            return
        with db.session_scope(self.url) as session:
            session.execute(update(MailboxLease).where(MailboxLease.mailbox == self.mailbox,
                                                       MailboxLease.holder == self.holder)
                            .values(expires_at=utcnow()).execution_options(synchronize_session=False))
        self._renewed = None
