"""What a failed sending attempt means, and what follows: wait and retry (exponential backoff with jitter),
or give up, mark the email failed and tell staff.

Logs get the exception class and SMTP code only: a server's own words often quote the recipient's address.
"""
from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosmtplib
from sqlalchemy.orm import Session

from bot import notices, outbox, settings
from bot.audit import SYSTEM, record
from bot.contact import EMAIL_IN_TEXT
from bot.models import OutboundEmail

log = logging.getLogger("privacy_desk.sender")

# Failures that would hit every message alike (no connection, refused login or sender): stop the round.
_SERVER_UNUSABLE = (OSError, asyncio.TimeoutError, aiosmtplib.SMTPTimeoutError, aiosmtplib.SMTPServerDisconnected,
                    aiosmtplib.SMTPAuthenticationError, aiosmtplib.SMTPSenderRefused, aiosmtplib.SMTPHeloError,
                    aiosmtplib.SMTPNotSupported)


@dataclass(frozen=True)
class Outcome:
    sent: bool = False
    permanent: bool = False        # the server refused this very message for good (5xx on recipient or data)
    server_unusable: bool = False  # try the others later
    error: str = ""                # for staff, addresses removed
    log_text: str = ""             # for logs: exception class and SMTP code


def classify(exc: BaseException) -> Outcome:
    name = type(exc).__name__
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [refused.code for refused in exc.recipients]
        return Outcome(permanent=bool(codes) and all(500 <= c < 600 for c in codes), error=_scrub(str(exc)),
                       log_text=f"{name} {codes}")
    code = getattr(exc, "code", None)
    permanent = isinstance(exc, (aiosmtplib.SMTPRecipientRefused, aiosmtplib.SMTPDataError)) and \
        isinstance(code, int) and 500 <= code < 600
    return Outcome(permanent=permanent, server_unusable=isinstance(exc, _SERVER_UNUSABLE),
                   error=_scrub(f"{name}: {exc}"), log_text=f"{name} {code}" if code else name)


def _scrub(text: str) -> str:
    return EMAIL_IN_TEXT.sub("[address]", " ".join(text.split()))[:500]


def backoff(attempts: int) -> timedelta:
    """base, 2×base, 4×base ... up to the maximum, each with random jitter (half to full), so that emails
    queued during one outage do not all return to the server in the same second."""
    base, cap = settings.get_int("outbox_retry_base_seconds"), settings.get_int("outbox_retry_max_seconds")
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    return timedelta(seconds=random.uniform(delay / 2, delay))


def record_failure(session: Session, email: OutboundEmail, outcome: Outcome, now: datetime) -> None:
    email.last_error = _scrub(outcome.error) or outcome.log_text
    if outcome.permanent or email.attempts >= settings.get_int("outbox_max_attempts"):
        email.status = "failed"
        outbox.forget_sealed(session, email)
        _tell_staff(session, email)
    else:
        email.status = "queued"
        email.next_attempt_at = now + backoff(email.attempts)


def _tell_staff(session: Session, email: OutboundEmail) -> None:
    reference = email.case.reference if email.case else "-"
    if email.kind.startswith("staff_"):  # telling staff by email that an email to staff failed would loop
        log.error("email %d (%s, case %s) to staff could not be sent; check the mail server", email.id,
                  email.kind, reference)
        return
    log.error("email %d (%s, case %s) failed after %d attempts; staff are told", email.id, email.kind,
              reference, email.attempts)
    if email.case is not None:
        record(session, email.case, actor=SYSTEM, action="email_failed",
               data={"kind": email.kind, "email_id": email.id, "attempts": email.attempts})
    notices.notify_staff(session, email.case, "staff_delivery_failed", kind=email.kind,
                         attempts=str(email.attempts), error=email.last_error, email_id=str(email.id))
