"""Identity verification before anything is disclosed: email code or link, phone code or call back, document.

The levels each request type needs are policy data (bot/verification_policy.py); the rules of a code
(15 minutes, 5 wrong tries, 3 codes an hour, hash-only storage) are in bot/challenges.py. A code never
appears in the store in clear (only its keyed hash, and a sealed copy for the outgoing message) nor in a log
line: logs name the case reference only.
"""
from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import challenges, notices, settings
from bot.audit import SYSTEM, record
from bot.challenges import CodeCheck, ResendLimit, VerificationLocked  # noqa: F401  (part of this API)
from bot.handoff import hand_off
from bot.identity import next_level, open_task, record_level
from bot.lifecycle import CLOSED, Status, transition
from bot.models import Case, utcnow
from bot.phone import (PhoneSender, DevPhoneSender, confirm_call_back, phone_sender,  # noqa: F401
                       request_call_back, use_phone_sender)
from bot.sealing import mark
from bot.verification_policy import DOCUMENT, EMAIL, PHONE, is_satisfied

log = logging.getLogger("privacy_desk.verification")
MINUTES = str(int(challenges.VALID_FOR.total_seconds() // 60))


def start(session: Session, case: Case, *, now: datetime | None = None, **reply) -> list[str]:
    """Call once the request is complete: begin what the policy still needs. Returns the levels under way.

    Codes go out one level at a time (email first); a check that succeeds starts the next. When nothing is
    needed the case is verified and handed to the DPO. `reply` (in_reply_to, references) threads the email.
    """
    now = now or utcnow()
    if case.status in {s.value for s in CLOSED} or not case.request_types:
        return []
    if is_satisfied(case.verified_levels, case.request_types):
        if case.status in (Status.AWAITING_DETAILS.value, Status.AWAITING_VERIFICATION.value):
            transition(session, case, Status.VERIFIED, actor=SYSTEM, reason="No further proof of identity needed")
        if case.status == Status.VERIFIED.value:
            hand_off(session, case, reason="verified" if case.verified_levels else "no_verification_needed")
        return []
    if case.status == Status.AWAITING_DETAILS.value:
        transition(session, case, Status.AWAITING_VERIFICATION, actor=SYSTEM, reason="Request complete")
    level = next_level(case)
    if level is None:
        open_task(session, case, "email_address_needed")
        return []
    try:
        if level == EMAIL and not _code_waiting(session, case, EMAIL, now):
            issue_email_code(session, case, now=now, **reply)
        elif level == PHONE and not _code_waiting(session, case, PHONE, now):
            issue_phone_code(session, case, now=now)
        elif level == DOCUMENT and open_task(session, case, "document_check"):
            notices.notify(session, case, "document_requested", **reply)
    except (ResendLimit, VerificationLocked):
        return []
    return [level]


def _code_waiting(session: Session, case: Case, level: str, now: datetime) -> bool:
    challenge = challenges.latest(session, case, level)
    return challenge is not None and challenge.state == challenges.OPEN and now < challenge.expires_at


def issue_email_code(session: Session, case: Case, *, now: datetime | None = None,
                     in_reply_to: str | None = None, references: str | None = None) -> None:
    """Email a new code and single-use link. Raises ResendLimit or VerificationLocked."""
    now = now or utcnow()
    _check_open(case)
    if not case.requester_email:
        raise ValueError(f"Case {case.reference} has no email address to send a code to.")
    issued = challenges.issue(session, case, EMAIL, now)
    link = f"{settings.get('public_url').rstrip('/')}/verify/{issued.link_token}"
    notices.notify(session, case, "verification_code", code=mark("code"), link=mark("link"), minutes=MINUTES,
                   sealed={"code": issued.code, "link": link}, sealed_until=issued.challenge.expires_at,
                   in_reply_to=in_reply_to, references=references)
    record(session, case, actor=SYSTEM, action="verification_code_sent",
           data={"level": EMAIL, "expires_at": issued.challenge.expires_at.isoformat()})
    log.info("case %s: email verification code queued", case.reference)


def issue_phone_code(session: Session, case: Case, *, now: datetime | None = None,
                     sender: PhoneSender | None = None) -> None:
    """Text a new code to the phone number on file. Raises ResendLimit or VerificationLocked."""
    now = now or utcnow()
    _check_open(case)
    if not case.requester_phone:
        raise ValueError(f"Case {case.reference} has no phone number to send a code to.")
    issued = challenges.issue(session, case, PHONE, now)
    _, text = notices.render("phone_code", case.language, reference=case.reference, code=mark("code"),
                             minutes=MINUTES)
    (sender or phone_sender()).send(session, case, to=case.requester_phone, text=text,
                                    sealed={"code": issued.code}, valid_until=issued.challenge.expires_at)
    record(session, case, actor=SYSTEM, action="verification_code_sent",
           data={"level": PHONE, "expires_at": issued.challenge.expires_at.isoformat()})
    log.info("case %s: phone verification code sent", case.reference)


def check_email_code(session: Session, case: Case, code: str, *, now: datetime | None = None) -> CodeCheck:
    return _check(session, case, EMAIL, code, now or utcnow())


def check_phone_code(session: Session, case: Case, code: str, *, now: datetime | None = None) -> CodeCheck:
    return _check(session, case, PHONE, code, now or utcnow())


def _check(session: Session, case: Case, level: str, code: str, now: datetime) -> CodeCheck:
    if case.status in {s.value for s in CLOSED}:
        return CodeCheck(ok=False, tries_left=0, expired=True)
    result, newly_locked = challenges.check(session, case, level, code, now)
    if result.ok:
        log.info("case %s: %s code accepted", case.reference, level)
        return replace(result, next_levels=tuple(_proven(session, case, level, "code", now)))
    if newly_locked:
        log.warning("case %s: %s check locked after wrong codes", case.reference, level)
        record(session, case, actor=SYSTEM, action="verification_locked", data={"level": level})
        notices.notify_staff(session, case, "staff_verification_locked",
                             level=notices.phrase(settings.get("default_language"), "LEVELS", level))
    elif not (result.expired or result.locked or result.malformed):
        log.info("case %s: wrong %s code, %d tries left", case.reference, level, result.tries_left)
        record(session, case, actor=SYSTEM, action="verification_failed",
               data={"level": level, "tries_left": result.tries_left})
    return result


def _proven(session: Session, case: Case, level: str, how: str, now: datetime, actor: str = SYSTEM) -> list[str]:
    """Record the level; when more proof is needed and the request is complete, start the next step."""
    if record_level(session, case, level, actor=actor, data={"by": how}) or \
            case.status != Status.AWAITING_VERIFICATION.value:
        return []
    return start(session, case, now=now)


def redeem_link_token(session: Session, token: str, *, now: datetime | None = None) -> Case | None:
    """The case whose email link this is, now verified for `email`; None if unknown, used or expired.

    Serve the link as a page with a button that POSTs: mail scanners open links (GET) on their own."""
    now = now or utcnow()
    challenge = challenges.redeem(session, token, now)
    if challenge is None:
        return None
    case = session.get(Case, challenge.case_id)
    log.info("case %s: email verification link used", case.reference)
    _proven(session, case, EMAIL, "link", now)
    return case


def mark_document_verified(session: Session, case: Case, *, staff: str, seen: str) -> bool:
    """Staff checked an identity document: who (the audit actor), when, and what they saw, in words (e.g.
    "passport, last 4 digits 1234"); never the document itself. True when the policy is now satisfied."""
    seen = " ".join((seen or "").split())
    if not seen or len(seen) > 200:
        raise ValueError("Say in a few words which document you saw (at most 200 characters), "
                         "e.g. 'passport, last 4 digits 1234'; never paste the document itself.")
    if not (staff or "").strip():
        raise ValueError("Say who checked the document: it is recorded in the audit trail.")
    _check_open(case)
    satisfied = record_level(session, case, DOCUMENT, actor=staff.strip(), data={"by": "staff", "seen": seen})
    if not satisfied and case.status == Status.AWAITING_VERIFICATION.value:
        start(session, case)
    return satisfied


def unlock(session: Session, case: Case, *, level: str = EMAIL, staff: str) -> bool:
    """Lift a lock left by too many wrong codes, after staff have spoken to the requester."""
    if not challenges.unlock(session, case, level, utcnow()):
        return False
    record(session, case, actor=staff, action="verification_unlocked", data={"level": level})
    return True


def _check_open(case: Case) -> None:
    if case.status in {s.value for s in CLOSED}:
        raise ValueError(f"Case {case.reference} is {case.status}; a closed case needs no verification.")


def expire_unverified(session: Session, *, now: datetime | None = None) -> list[str]:
    """Close as withdrawn the cases still waiting on the requester after PRIVACY_DESK_UNVERIFIED_EXPIRY_DAYS.

    Cases flagged for a person are left alone: they wait on staff, not on the requester."""
    now = now or utcnow()
    days = settings.get_int("unverified_expiry_days")
    stale = session.execute(select(Case).where(
        Case.status.in_((Status.AWAITING_VERIFICATION.value, Status.AWAITING_DETAILS.value)),
        Case.received_at < now - timedelta(days=days), Case.needs_human.is_(False))).scalars().all()
    for case in stale:
        transition(session, case, Status.WITHDRAWN, actor=SYSTEM,
                   reason=f"Identity not verified within {days} days of the request")
        record(session, case, actor=SYSTEM, action="expired_unverified", data={"days": days})
        log.info("case %s withdrawn: not verified within %d days", case.reference, days)
    return [case.reference for case in stale]
