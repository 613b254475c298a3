"""Signing staff in and out of the console: server-side sessions, their expiry, and sign-in throttling.

The browser holds a random session token inside Starlette's signed session cookie; the database holds its
hash, the CSRF token, and when it was last used. A session ends when its owner signs out, after
PRIVACY_DESK_CONSOLE_SESSION_MINUTES without activity, after MAX_SESSION regardless, or when the account
is disabled.
"""
from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import settings, staff
from bot.models import utcnow
from bot.staff_models import LoginThrottle, StaffMember, StaffSession

log = logging.getLogger("privacy_desk.console")

MAX_SESSION = timedelta(hours=12)  # a working day; then sign in again even if active
FAILURES_PER_NAME = 5              # wrong passwords for one account name within WINDOW...
FAILURES_PER_ADDRESS = 20          # ...or from one client address (guessing across many names)
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)


@dataclass(frozen=True)
class SignedIn:
    """Who is using the console in this request; plain values, usable after the database session closed."""

    staff_id: int
    name: str
    role: str
    csrf_token: str

    def can(self, permission: staff.Permission) -> bool:
        return staff.can(self.role, permission)


@dataclass(frozen=True)
class LoginOutcome:
    token: str | None = None
    refusal: str | None = None
    throttled: bool = False


def idle_limit() -> timedelta:
    return timedelta(minutes=max(1, settings.get_int("console_session_minutes")))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in(session: Session, name: str, password: str, address: str, now: datetime | None = None) -> LoginOutcome:
    """Check a name and password. The failure counts are written either way, so commit the session."""
    now = now or utcnow()
    keys = [("name:" + (name or "").strip().lower()[:150], FAILURES_PER_NAME),
            ("address:" + (address or "unknown")[:150], FAILURES_PER_ADDRESS)]
    locked = [_locked_until(session, key, now) for key, _ in keys]
    if any(locked):
        minutes = max(1, round((max(t for t in locked if t) - now).total_seconds() / 60))
        return LoginOutcome(refusal=f"Too many failed sign-ins. Wait {minutes} minute(s) and try again, "
                                    "or ask the DPO to check your account.", throttled=True)
    member = staff.find(session, name)
    if not staff.verify_password(member, password) or not member.active:
        for key, limit in keys:
            _count_failure(session, key, limit, now)
        log.info("console sign-in refused")
        return LoginOutcome(refusal="That name and password do not match an active staff account.")
    staff.rehash_if_needed(member, password)
    _clear(session, keys[0][0])
    token = secrets.token_urlsafe(32)
    session.add(StaffSession(token_hash=_hash(token), staff_id=member.id, csrf_token=secrets.token_urlsafe(32),
                             created_at=now, last_seen_at=now))
    log.info("console sign-in for staff #%s", member.id)
    return LoginOutcome(token=token)


def _locked_until(session: Session, key: str, now: datetime) -> datetime | None:
    row = session.get(LoginThrottle, key)
    return row.locked_until if row and row.locked_until and row.locked_until > now else None


def _count_failure(session: Session, key: str, limit: int, now: datetime) -> None:
    row = session.get(LoginThrottle, key)
    if row is None:
        row = LoginThrottle(key=key, failures=0, first_failure_at=now)
        session.add(row)
    if now - row.first_failure_at > WINDOW:
        row.failures, row.first_failure_at, row.locked_until = 0, now, None
    row.failures += 1
    if row.failures >= limit:
        row.locked_until = now + LOCKOUT


def _clear(session: Session, key: str) -> None:
    row = session.get(LoginThrottle, key)
    if row is not None:
        session.delete(row)


def current(session: Session, token: str | None, now: datetime | None = None) -> SignedIn | None:
    """The signed-in staff member for this token, or None when there is none or it has expired."""
    if not token:
        return None
    now = now or utcnow()
    row = session.execute(select(StaffSession).where(StaffSession.token_hash == _hash(token))).scalar_one_or_none()
    if row is None or row.ended_at is not None:
        return None
    member: StaffMember = row.staff
    if not member.active or now - row.last_seen_at > idle_limit() or now - row.created_at > MAX_SESSION:
        row.ended_at = now
        return None
    row.last_seen_at = now
    return SignedIn(staff_id=member.id, name=member.name, role=member.role, csrf_token=row.csrf_token)


def sign_out(session: Session, token: str | None) -> None:
    if not token:
        return
    row = session.execute(select(StaffSession).where(StaffSession.token_hash == _hash(token))).scalar_one_or_none()
    if row is not None and row.ended_at is None:
        row.ended_at = utcnow()
        log.info("console sign-out for staff #%s", row.staff_id)
