"""The outbox sender: sends queued emails by SMTP (aiosmtplib), with retries, and never loses one.

Delivery is at-least-once, and duplicates are confined to one narrow window. A row is marked `sending`
(attempt counted, lease taken) and committed *before* the SMTP transaction, and marked `sent` only after the
server accepted the message. If the process dies in between, the row stays `sending`; once its lease runs
out (a bound on how long one attempt can take) any sender takes it up again. A crash before the server's
"250 OK" loses nothing; a crash in the milliseconds between that "250" and our commit sends the message
twice. SMTP offers nothing better (no way to ask a server whether it already holds a message), but the
retry carries the same Message-ID, which lets mail systems and clients recognise the duplicate.
A store outage at that moment is waited out (for as long as the row's lease lasts) rather than widening it.
"""
from __future__ import annotations

import asyncio
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import parseaddr
from time import monotonic

import aiosmtplib
from sqlalchemy import select, update

from bot import db, mime, outbox, settings
from bot.models import OutboundEmail, utcnow
from bot.outbox_failures import Outcome, classify, record_failure
from bot.sealing import SealBroken
from bot.service import repeat, run_until_stopped

log = logging.getLogger("privacy_desk.sender")


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    tls: str  # none, starttls or tls
    user: str
    password: str
    timeout: float
    mail_from: str

    @classmethod
    def from_settings(cls) -> "SmtpConfig":
        tls = settings.get("smtp_tls").strip().lower()
        if tls not in ("none", "starttls", "tls"):
            raise settings.SettingError(f"PRIVACY_DESK_SMTP_TLS must be none, starttls or tls, not {tls!r}.")
        return cls(host=settings.get("smtp_host"), port=settings.get_int("smtp_port"), tls=tls,
                   user=settings.get("smtp_user"), password=settings.get("smtp_password"),
                   timeout=float(settings.get_int("smtp_timeout_seconds")), mail_from=settings.get("mail_from"))

    @property
    def lease(self) -> timedelta:
        """How long a claimed row is left alone: one whole attempt is cut off well within it."""
        return timedelta(seconds=3 * self.timeout + 10)  # + time to record the outcome


@dataclass(frozen=True)
class Claimed:
    id: int
    attempts: int
    to: str
    message: EmailMessage
    label: str  # "email 12 (verification_code, case PD-...)": what logs may say about it
    lease_ends: float  # monotonic time after which another turn may take the email up again


async def send_due(store=None, *, smtp: SmtpConfig | None = None, now: datetime | None = None,
                   limit: int = 200) -> int:
    """Send every email due now. `store`: a database URL, a sessionmaker, or None for the configured store.
    Returns how many the server accepted."""
    scope, smtp = _scope(store), smtp or SmtpConfig.from_settings()
    accepted = 0
    for _ in range(limit):
        moment = now or utcnow()
        claimed = _claim_next(scope, moment, smtp)
        if claimed is None:
            break
        outcome = await _deliver(claimed, smtp)
        await _record_outcome(scope, claimed, outcome, now)
        accepted += outcome.sent
        if outcome.server_unusable:  # the rest would fail the same way; they keep their turn
            break
    return accepted


def _claim_next(scope, now: datetime, smtp: SmtpConfig) -> Claimed | None:
    with scope() as session:
        while True:
            row = session.execute(select(OutboundEmail)
                                  .where(OutboundEmail.status.in_(("queued", "sending")),
                                         OutboundEmail.next_attempt_at <= now)
                                  .order_by(OutboundEmail.next_attempt_at, OutboundEmail.id).limit(1)
                                  ).scalars().first()
            if row is None:
                return None
            # Conditional update: of two senders that picked the same row, exactly one wins it.
            won = session.execute(update(OutboundEmail)
                                  .where(OutboundEmail.id == row.id, OutboundEmail.status == row.status,
                                         OutboundEmail.attempts == row.attempts)
                                  .values(status="sending", attempts=row.attempts + 1,
                                          next_attempt_at=now + smtp.lease)
                                  .execution_options(synchronize_session=False)).rowcount == 1
            if not won:
                session.expire(row)
                continue
            label = f"email {row.id} ({row.kind}, case {row.case.reference if row.case else '-'})"
            if row.status == "sending":
                log.warning("%s: a sender stopped while sending it; sending it again", label)
            session.refresh(row)
            try:
                subject, text, html_body = outbox.opened_texts(session, row)
                message = mime.build(row, subject=subject, text=text, html_body=html_body,
                                     mail_from=smtp.mail_from)
            except (SealBroken, ValueError, TypeError) as exc:  # it can never be sent: fail it, tell staff
                log.error("%s cannot be sent: %s", label, type(exc).__name__)
                record_failure(session, row, Outcome(permanent=True, error=str(exc)[:300]), now)
                continue
            return Claimed(row.id, row.attempts, row.to_address, message, label,
                           monotonic() + smtp.lease.total_seconds())


async def _deliver(claimed: Claimed, smtp: SmtpConfig) -> Outcome:
    try:
        await asyncio.wait_for(aiosmtplib.send(
            claimed.message, sender=parseaddr(smtp.mail_from)[1], recipients=[claimed.to],
            hostname=smtp.host, port=smtp.port, username=smtp.user or None, password=smtp.password or None,
            use_tls=smtp.tls == "tls", start_tls=smtp.tls == "starttls", timeout=smtp.timeout),
            timeout=3 * smtp.timeout)
    except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError) as exc:
        return classify(exc)
    return Outcome(sent=True)


async def _record_outcome(scope, claimed: Claimed, outcome: Outcome, now: datetime | None) -> None:
    """Record what the server said. An email the server accepted must be marked sent before its lease runs
    out, or the next turn sends it again: while the store is unavailable, keep trying until then."""
    delay = 0.5
    while True:
        try:
            _finish(scope, claimed, outcome, now or utcnow())
            return
        except db.StoreUnavailable:
            if not outcome.sent or monotonic() + delay >= claimed.lease_ends:
                raise
            log.warning("%s was accepted by the mail server but the case store is unavailable; recording it "
                        "again in %.1f s", claimed.label, delay)
            await asyncio.sleep(delay)
            delay = min(2 * delay, 5.0)


def _finish(scope, claimed: Claimed, outcome: Outcome, now: datetime) -> None:
    with scope() as session:
        row = session.get(OutboundEmail, claimed.id)
        if outcome.sent:
            row.status, row.sent_at, row.last_error = "sent", now, None
            outbox.forget_sealed(session, row)
            log.info("%s sent (attempt %d)", claimed.label, claimed.attempts)
        elif row.status != "sending" or row.attempts != claimed.attempts:
            log.warning("%s: another sender took it over after a slow attempt", claimed.label)
        else:
            record_failure(session, row, outcome, now)
            log.warning("%s not sent, attempt %d: %s", claimed.label, claimed.attempts, outcome.log_text)


def _scope(store):
    if store is None or isinstance(store, str):
        return lambda: db.session_scope(store)

    @contextmanager
    def scope():
        session = store()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
    return scope


async def run(store=None, *, stop: asyncio.Event | None = None) -> None:
    """Send what is due every PRIVACY_DESK_OUTBOX_POLL_SECONDS until `stop` is set."""
    stop = stop or asyncio.Event()
    poll = settings.get_int("outbox_poll_seconds")
    smtp = SmtpConfig.from_settings()
    log.info("outbox sender started (SMTP %s:%d, %s)", smtp.host, smtp.port, smtp.tls)
    await repeat(lambda: send_due(store, smtp=smtp), every=poll, stop=stop, name="outbox sender")
    log.info("outbox sender stopped")


def run_forever(store=None) -> None:
    """Entry point for `make run` (and `python -m bot.sender`): runs until SIGTERM or Ctrl-C."""
    run_until_stopped(run, store)


if __name__ == "__main__":
    run_forever()
