"""Handing a case to the DPO queue, and the daily digest of cases that need attention.

Staff emails carry the case reference, the request types and the due date, never the requester's name,
address or words: a notification sits in many mailboxes, the console is where the case is read.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot import notices, settings
from bot.audit import SYSTEM, record
from bot.lifecycle import CLOSED, Status
from bot.models import Case, OutboundEmail
from bot.queue import QueueFilter, list_queue

log = logging.getLogger("privacy_desk.handoff")

# Why a case reaches the queue; each has a text in bot/texts/<lang>.py REASONS, so no free text (which could
# carry personal data) ever reaches a staff email.
REASONS = ("verified", "no_verification_needed", "asked_for_human", "not_understood")
DUE_SOON = timedelta(days=7)
UNCLAIMED_TOO_LONG = timedelta(days=5)


def in_queue(case: Case) -> bool:
    """Waiting for staff: verified (or needing no proof), or flagged for a person."""
    return case.status not in {s.value for s in CLOSED} and (
        case.status in (Status.VERIFIED.value, Status.IN_REVIEW.value) or case.needs_human)


def hand_off(session: Session, case: Case, *, reason: str) -> OutboundEmail | None:
    """Put the case before the DPO and tell staff by email, once per case and reason."""
    if reason not in REASONS:
        raise ValueError(f"Unknown hand-off reason {reason!r}; one of {', '.join(REASONS)}.")
    if not in_queue(case):
        raise ValueError(f"Case {case.reference} is {case.status}: only verified or escalated open cases go to "
                         "the DPO queue.")
    if any(e.action == "handed_off" and (e.data or {}).get("reason") == reason for e in case.events):
        return None
    record(session, case, actor=SYSTEM, action="handed_off", data={"reason": reason})
    language = settings.get("default_language")
    email = notices.notify_staff(session, case, "staff_new_case",
                                 reason=notices.phrase(language, "REASONS", reason))
    log.info("case %s handed off to the DPO queue (%s)", case.reference, reason)
    return email


def _queued_since(case: Case) -> datetime:
    handed = [e.at for e in case.events if e.action == "handed_off"]
    return max(handed) if handed else case.received_at


def digest_sections(session: Session, now: datetime) -> dict[str, list[Case]]:
    open_cases = list_queue(session, QueueFilter(), now=now)
    return {
        "due_soon": [c for c in open_cases if now <= c.due_at <= now + DUE_SOON],
        "overdue": [c for c in open_cases if c.due_at < now],
        "unclaimed": [c for c in open_cases if c.assignee is None and in_queue(c)
                      and _queued_since(c) < now - UNCLAIMED_TOO_LONG],
    }


def daily_digest(session: Session, now: datetime) -> OutboundEmail | None:
    """Queue the digest for the DPO; None when no case is due soon, overdue or left unclaimed."""
    sections = digest_sections(session, now)
    if not any(sections.values()):
        log.info("daily digest: nothing needs attention")
        return None
    language = settings.get("default_language")
    texts = {name: _lines(cases, language) for name, cases in sections.items()}
    email = notices.notify_staff(session, None, "staff_digest", date=notices.format_date(now, language), **texts)
    log.info("daily digest queued: %s", ", ".join(f"{len(v)} {k}" for k, v in sections.items()))
    return email


def _lines(cases: list[Case], language: str) -> str:
    module = notices.texts(language)
    if not cases:
        return module.DIGEST_NONE
    return "\n".join("- " + module.DIGEST_LINE.format(
        reference=c.reference, request_labels=notices.request_labels(c.request_types, language),
        due_date=notices.format_date(c.due_at, language)) for c in cases)
