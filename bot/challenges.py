"""The rules every verification code follows, whichever way it is sent (email or phone).

A code is 6 digits from `secrets`, kept only as an HMAC-SHA256 under the server secret, valid 15 minutes.
At most 3 new codes per case and level per hour. Wrong codes count across resends, so asking for a new code
does not buy new guesses; the 5th wrong code locks the check until a member of staff lifts the lock.
"""
from __future__ import annotations

import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.models import Case
from bot.secret import keyed_hash
from bot.verification_models import VerificationChallenge

CODE_DIGITS = 6
VALID_FOR = timedelta(minutes=15)
MAX_WRONG_TRIES = 5
CODES_PER_HOUR = 3
OPEN, PASSED, LOCKED, REPLACED, UNLOCKED = "open", "passed", "locked", "replaced", "unlocked"


class ResendLimit(Exception):
    """No new code now: CODES_PER_HOUR were already sent in the last hour."""

    def __init__(self, retry_at: datetime):
        self.retry_at = retry_at
        super().__init__(f"At most {CODES_PER_HOUR} codes an hour; the next one can be sent at "
                         f"{retry_at:%H:%M} UTC.")


class VerificationLocked(Exception):
    """Too many wrong codes: no new code until a member of staff lifts the lock."""


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    tries_left: int
    expired: bool = False     # no code waiting, or it ran out: offer a new one
    locked: bool = False      # too many wrong codes: staff have been told
    malformed: bool = False   # not six digits: say what a code looks like; it cost no try
    next_levels: tuple[str, ...] = ()  # on success, what verification was started next (phone, document)


@dataclass(frozen=True)
class Issued:
    challenge: VerificationChallenge
    code: str
    link_token: str


def code_hash(case: Case, level: str, code: str) -> str:
    # The reference is part of the hashed text, so equal codes of two cases never have equal hashes.
    return keyed_hash("verification-code", f"{case.reference}:{level}:{code}")


def token_hash(token: str) -> str:
    return keyed_hash("verification-link", token)


def normalise_code(typed: str) -> str | None:
    """The 6 digits a person typed, forgiving spaces, dashes, dots and full-width digits; None if not a code."""
    digits = "".join(c for c in unicodedata.normalize("NFKC", typed or "") if not (c.isspace() or c in "-.‐‑–"))
    return digits if len(digits) == CODE_DIGITS and digits.isascii() and digits.isdigit() else None


def latest(session: Session, case: Case, level: str) -> VerificationChallenge | None:
    return session.execute(select(VerificationChallenge)
                           .where(VerificationChallenge.case_id == case.id, VerificationChallenge.level == level)
                           .order_by(VerificationChallenge.id.desc()).limit(1)).scalars().first()


def issue(session: Session, case: Case, level: str, now: datetime) -> Issued:
    """A new code (and link token) for the case, replacing any earlier one still open."""
    _lock_case_row(session, case)
    previous = latest(session, case, level)
    if previous is not None and previous.state == LOCKED:
        raise VerificationLocked(f"Case {case.reference}: the {level} check is locked after "
                                 f"{MAX_WRONG_TRIES} wrong codes; staff must lift the lock first.")
    _check_resend_limit(session, case, level, now)
    carried = previous.wrong_tries if previous is not None and previous.state in (OPEN, REPLACED) else 0
    if previous is not None and previous.state == OPEN:
        previous.state, previous.resolved_at = REPLACED, now
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    token = secrets.token_urlsafe(32)
    challenge = VerificationChallenge(case_id=case.id, level=level, code_hash=code_hash(case, level, code),
                                      link_token_hash=token_hash(token), state=OPEN, wrong_tries=carried,
                                      issued_at=now, expires_at=now + VALID_FOR)
    session.add(challenge)
    session.flush()
    return Issued(challenge, code, token)


def _lock_case_row(session: Session, case: Case) -> None:
    """Serialise code requests for one case (PostgreSQL row lock; SQLite serialises writers anyway)."""
    session.execute(select(Case.id).where(Case.id == case.id).with_for_update())


def _check_resend_limit(session: Session, case: Case, level: str, now: datetime) -> None:
    window_start = now - timedelta(hours=1)
    recent = session.execute(select(func.count(), func.min(VerificationChallenge.issued_at))
                             .where(VerificationChallenge.case_id == case.id, VerificationChallenge.level == level,
                                    VerificationChallenge.issued_at > window_start)).one()
    if recent[0] >= CODES_PER_HOUR:
        raise ResendLimit(recent[1] + timedelta(hours=1))


def check(session: Session, case: Case, level: str, typed: str, now: datetime) -> tuple[CodeCheck, bool]:
    """(result, newly_locked). Wrong codes are counted with an atomic UPDATE, so parallel guesses all count."""
    challenge = latest(session, case, level)
    if challenge is None or challenge.state in (PASSED, REPLACED, UNLOCKED):
        return CodeCheck(ok=False, tries_left=MAX_WRONG_TRIES, expired=True), False
    if challenge.state == LOCKED:
        return CodeCheck(ok=False, tries_left=0, locked=True), False
    if now >= challenge.expires_at:
        return CodeCheck(ok=False, tries_left=_left(challenge), expired=True), False
    code = normalise_code(typed)
    # Always compare, even a malformed code, so the time taken says nothing; hmac.compare_digest is
    # constant-time over the two hashes.
    right = hmac.compare_digest(code_hash(case, level, code or ""), challenge.code_hash) and code is not None
    if right:
        if _resolve(session, challenge, PASSED, now):
            return CodeCheck(ok=True, tries_left=_left(challenge)), False
        return CodeCheck(ok=False, tries_left=_left(challenge), expired=True), False  # used a moment ago
    if code is None:  # not six digits: a slip of the keyboard, not a guess
        return CodeCheck(ok=False, tries_left=_left(challenge), malformed=True), False
    return _count_wrong(session, challenge, now)


def _count_wrong(session: Session, challenge: VerificationChallenge, now: datetime) -> tuple[CodeCheck, bool]:
    session.execute(update(VerificationChallenge).where(VerificationChallenge.id == challenge.id)
                    .values(wrong_tries=VerificationChallenge.wrong_tries + 1)
                    .execution_options(synchronize_session=False))
    session.refresh(challenge)
    if challenge.wrong_tries >= MAX_WRONG_TRIES:
        newly_locked = _resolve(session, challenge, LOCKED, now)
        return CodeCheck(ok=False, tries_left=0, locked=True), newly_locked
    return CodeCheck(ok=False, tries_left=_left(challenge)), False


def _resolve(session: Session, challenge: VerificationChallenge, state: str, now: datetime) -> bool:
    """Move an open challenge to its final state; False when someone else got there first (single use)."""
    moved = session.execute(update(VerificationChallenge)
                            .where(VerificationChallenge.id == challenge.id, VerificationChallenge.state == OPEN)
                            .values(state=state, resolved_at=now)
                            .execution_options(synchronize_session=False)).rowcount == 1
    session.refresh(challenge)
    return moved


def _left(challenge: VerificationChallenge | None) -> int:
    return MAX_WRONG_TRIES - (challenge.wrong_tries if challenge is not None else 0)


def redeem(session: Session, token: str, now: datetime) -> VerificationChallenge | None:
    """The challenge a link token belongs to, marked passed; None when unknown, used, expired or locked."""
    if not token or len(token) > 100:
        return None
    challenge = session.execute(select(VerificationChallenge)
                                .where(VerificationChallenge.link_token_hash == token_hash(token))).scalars().first()
    if challenge is None or challenge.state != OPEN or now >= challenge.expires_at:
        return None
    return challenge if _resolve(session, challenge, PASSED, now) else None


def unlock(session: Session, case: Case, level: str, now: datetime) -> bool:
    challenge = latest(session, case, level)
    if challenge is None or challenge.state != LOCKED:
        return False
    challenge.state, challenge.resolved_at = UNLOCKED, now
    return True
