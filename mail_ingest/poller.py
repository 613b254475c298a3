"""Reading the data-compliance mailbox: new letters in bounded batches, each stored before its message
is moved out of the inbox, so killing the poller at any moment loses no letter and stores none twice.

Order for every batch: sizes first (oversized mail is quarantined, never downloaded), then the letters
(BODY.PEEK[]), each stored with its case in one transaction, then the messages moved to Processed, then
the position advanced. A crash before the move means the letter is fetched again and recognised.
"""
from __future__ import annotations

import logging
import random
import ssl
from dataclasses import dataclass, field
from threading import Event

from imapclient.exceptions import IMAPClientError, LoginError
from sqlalchemy import select

from bot import db, settings
from bot.db import StoreUnavailable
from mail_ingest import channel, deadletters, intake, position
from mail_ingest.mailbox import Mailbox, MailboxSettings
from mail_ingest.models import DeadLetter
from mail_ingest.position import Lease, LeaseLost
from mail_ingest.reading import Reader

log = logging.getLogger("privacy_desk.mail")
IDLE_SECONDS = 9 * 60  # IDLE is re-issued before servers' 10-30 minute inactivity limits
CONNECTION_TROUBLE = (IMAPClientError, OSError, ssl.SSLError, StoreUnavailable, LeaseLost)


@dataclass
class Report:
    stored: list[str] = field(default_factory=list)      # case reference (or "-") per letter stored
    duplicates: int = 0
    oversized: int = 0
    failing: int = 0
    quarantined: int = 0
    answered: int = 0
    waiting: int = 0
    for_staff: int = 0
    held_elsewhere: bool = False


@dataclass(frozen=True)
class Limits:
    max_message_bytes: int
    batch_size: int
    max_attempts: int
    poll_seconds: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(settings.get_int("max_message_bytes"), max(1, settings.get_int("mail_batch_size")),
                   max(1, settings.get_int("mail_max_attempts")), max(5, settings.get_int("mail_poll_seconds")))


class Poller:
    def __init__(self, config: MailboxSettings, *, reader: Reader | None = None, agent=None,
                 url: str | None = None, limits: Limits | None = None, use_move: bool | None = None,
                 lease_seconds: int = position.LEASE_SECONDS):
        self.config, self.url, self.use_move = config, url, use_move
        self.reader = reader or Reader()
        self.agent = agent or channel.RestWebhook()
        self.limits = limits or Limits.from_settings()
        self.lease = Lease(config.key, url=url, seconds=lease_seconds)
        self._failures = 0

    def poll_once(self) -> Report:
        """Read every new letter and answer what is due, then disconnect (`privacy-desk mail poll-once`)."""
        report = Report()
        if not self.lease.acquire():
            report.held_elsewhere = True
            log.info("another Privacy Desk instance is reading the mailbox; nothing done")
            return report
        try:
            with Mailbox(self.config, use_move=self.use_move) as mailbox:
                self.read_new(mailbox, report)
            self.answer(report)
        finally:
            self.lease.release()
        return report

    def read_new(self, mailbox: Mailbox, report: Report) -> None:
        key, uidvalidity = self.config.key, mailbox.uidvalidity
        with db.session_scope(self.url) as session:
            after = position.last_uid(session, key, uidvalidity)
        blocked = None  # the first letter still failing: the position must not pass it
        uids = mailbox.new_uids(after)
        for start in range(0, len(uids), self.limits.batch_size):
            batch = uids[start:start + self.limits.batch_size]
            self.lease.keep()
            stuck = self._batch(mailbox, batch, report)
            if stuck:
                blocked = min(stuck) if blocked is None else min(blocked, *stuck)
            with db.session_scope(self.url) as session:
                position.advance(session, key, uidvalidity, max(batch) if blocked is None else blocked - 1)

    def _batch(self, mailbox: Mailbox, batch: list[int], report: Report) -> list[int]:
        """Take in one batch; return the UIDs that failed and will be tried again."""
        sizes = mailbox.sizes(batch)
        oversized = [uid for uid in batch if sizes.get(uid, 0) > self.limits.max_message_bytes]
        for uid in oversized:
            self._quarantine_oversized(mailbox, uid, sizes[uid])
        mailbox.move(oversized, self.config.failed_folder)
        report.oversized += len(oversized)
        wanted = [uid for uid in batch if uid in sizes and uid not in oversized]  # others were expunged meanwhile
        fetched = mailbox.letters(wanted)
        failed_before = self._failing_uids(mailbox.uidvalidity)
        done, quarantined, stuck = [], [], []
        for uid in wanted:
            if uid not in fetched:
                continue
            raw, arrived = fetched[uid]
            source = intake.Source(self.config.key, mailbox.uidvalidity, uid, arrived)
            try:
                stored = intake.take_in(raw, source, self.reader, url=self.url)
            except StoreUnavailable:
                raise
            except Exception as exc:  # noqa: BLE001 - one bad letter must not stop the others
                (quarantined if self._failed(source, raw, exc) else stuck).append(uid)
                continue
            done.append(uid)
            self._count(report, stored)
            if uid in failed_before:
                with db.session_scope(self.url) as session:
                    deadletters.succeeded(session, source, stored.letter_id)
        mailbox.move(done, self.config.processed_folder)  # only now: every one of them is committed
        mailbox.move(quarantined, self.config.failed_folder)
        report.quarantined += len(quarantined)
        report.failing += len(stuck)
        return stuck

    @staticmethod
    def _count(report: Report, stored: intake.Stored) -> None:
        if stored.duplicate:
            report.duplicates += 1
        else:
            report.stored.append(stored.case_reference or "-")

    def _failing_uids(self, uidvalidity: int) -> set[int]:
        with db.session_scope(self.url) as session:
            return set(session.execute(select(DeadLetter.uid).where(
                DeadLetter.mailbox == self.config.key, DeadLetter.uidvalidity == uidvalidity,
                DeadLetter.status == deadletters.RETRYING)).scalars())

    def _failed(self, source: intake.Source, raw: bytes, exc: Exception) -> bool:
        """Record one more failure; True when the letter is now quarantined."""
        with db.session_scope(self.url) as session:
            row = deadletters.failed(session, source, raw, f"{type(exc).__name__}: {exc}",
                                     max_attempts=self.limits.max_attempts)
            quarantined, attempts = row.status == deadletters.QUARANTINED, row.attempts
        # The exception text may quote the letter: it goes to the dead-letter row for staff, not to the log.
        log.warning("letter at UID %s could not be taken in (%s), attempt %s of %s%s", source.uid,
                    type(exc).__name__, attempts, self.limits.max_attempts,
                    "; moved to the Failed folder" if quarantined else "")
        return quarantined

    def _quarantine_oversized(self, mailbox: Mailbox, uid: int, size: int) -> None:
        headers = mailbox.header_block(uid)
        with db.session_scope(self.url) as session:
            deadletters.oversized(session, intake.Source(self.config.key, mailbox.uidvalidity, uid), size, headers,
                                  self.limits.max_message_bytes)
        log.warning("message at UID %s is %s bytes, over the limit: moved to the Failed folder unread", uid, size)

    def answer(self, report: Report | None = None) -> None:
        answers = channel.answer_due(self.agent, url=self.url, keep_lease=self.lease.keep)
        if report is not None:
            report.answered += len(answers.answered)
            report.waiting += len(answers.waiting)
            report.for_staff += len(answers.for_staff)

    def run(self, stop: Event) -> None:
        """Until `stop` is set: IDLE when the server offers it, else poll; reconnect with backoff and jitter."""
        self._failures = 0
        try:
            while not stop.is_set():
                try:
                    # Inside the try: taking the lease is the first use of the store after an outage.
                    if not self.lease.acquire():
                        stop.wait(self.lease.seconds / 3)  # another instance reads it; take over if it dies
                        continue
                    with Mailbox(self.config, use_move=self.use_move) as mailbox:
                        self._serve(mailbox, stop)
                except LoginError:
                    log.error("the mail server refused the login: check PRIVACY_DESK_IMAP_USER and "
                              "PRIVACY_DESK_IMAP_PASSWORD")
                    self._failures += 1
                    stop.wait(backoff(self._failures + 4))
                except CONNECTION_TROUBLE as exc:
                    self._failures += 1
                    delay = backoff(self._failures)
                    log.warning("mail intake interrupted (%s: %s); reconnecting in %.0f s", type(exc).__name__,
                                str(exc)[:200], delay)
                    stop.wait(delay)
        finally:
            self._release_lease()

    def _release_lease(self) -> None:
        try:
            self.lease.release()
        except StoreUnavailable:
            log.warning("the mailbox lease could not be released (the case store is unavailable); "
                        "it runs out by itself")

    def _serve(self, mailbox: Mailbox, stop: Event) -> None:
        def between_waits():
            self.lease.keep()
            self.answer()

        while not stop.is_set():
            self.read_new(mailbox, Report())
            self._failures = 0  # connected and working: the next interruption starts the backoff afresh
            self.answer()
            seconds = IDLE_SECONDS if mailbox.can_idle else self.limits.poll_seconds
            mailbox.wait_for_mail(seconds, stop, between_waits, every=min(30.0, self.lease.seconds / 3))


def backoff(failures: int, *, base: float = 1.0, cap: float = 300.0) -> float:
    """Exponential, capped, with jitter so that instances restarted together do not reconnect together."""
    return min(cap, base * 2 ** min(failures, 16)) * random.uniform(0.5, 1.0)


def run_forever(stop: Event | None = None, *, agent=None, reader: Reader | None = None) -> None:
    """Entry point for the process supervisor (`make run`). Returns at once when mail intake is off."""
    config = MailboxSettings.from_settings()
    if config is None:
        log.warning("Mail intake is off: PRIVACY_DESK_IMAP_HOST is not set, so letters to the data-compliance "
                    "address are not read. Set PRIVACY_DESK_IMAP_HOST, _USER and _PASSWORD to turn it on.")
        return
    db.upgrade()
    log.info("Mail intake on: reading folder %s of %s:%s (%s)", config.folder, config.host, config.port, config.tls)
    Poller(config, agent=agent, reader=reader).run(stop or Event())
