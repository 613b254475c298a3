"""Should the assistant answer this letter? A pipeline of small checks, each testable with one .eml.

A letter a check stops is still recorded for staff (never dropped); it only gets no automatic reply.
Mail sent by programs (out-of-office notices, bounces, lists, our own mail coming back) opens no case:
answering it would start a mail loop, and staff find it on the case it refers to.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Callable, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import settings
from bot.contact import InvalidContact, single_recipient
from bot.models import OutboundEmail
from mail_ingest.parse import Letter

REPLY_KIND = "mail_reply"  # the outbox kind of the assistant's answers to letters
_ROBOT_LOCAL_PARTS = ("mailer-daemon", "postmaster", "noreply", "no-reply", "no_reply", "donotreply",
                      "do-not-reply", "bounce", "bounces", "auto-reply", "autoreply")


@dataclass(frozen=True)
class Finding:
    reason: str    # shown to staff on the letter and in the case's audit trail
    machine: bool  # sent by a program: opens no case


def auto_submitted(letter: Letter) -> Optional[Finding]:
    if letter.auto_submitted and letter.auto_submitted != "no":  # RFC 3834
        return Finding(f"auto_submitted:{letter.auto_submitted[:30]}", True)
    return None


def bulk_precedence(letter: Letter) -> Optional[Finding]:
    if letter.precedence in ("bulk", "junk", "list"):
        return Finding(f"precedence:{letter.precedence}", True)
    return None


def mailing_list(letter: Letter) -> Optional[Finding]:
    return Finding("mailing_list", True) if letter.list_mail else None


def autoreply_header(letter: Letter) -> Optional[Finding]:
    return Finding("autoreply_header", True) if letter.autoreply_header else None


def empty_return_path(letter: Letter) -> Optional[Finding]:
    # Return-Path <> is how a mail server marks a notification that must never be answered (RFC 5321 4.5.5).
    return Finding("empty_return_path", True) if letter.empty_return_path else None


def delivery_report(letter: Letter) -> Optional[Finding]:
    return Finding("delivery_report", True) if letter.delivery_report else None


def robot_sender(letter: Letter) -> Optional[Finding]:
    address = (letter.from_address or "").lower()
    local = address.split("@", 1)[0]
    if local in _ROBOT_LOCAL_PARTS or local.startswith(("noreply", "no-reply", "mailer-daemon")):
        return Finding("robot_sender", True)
    if address and address == parseaddr(settings.get("mail_from"))[1].lower():
        return Finding("from_ourselves", True)
    return None


def no_sender(letter: Letter) -> Optional[Finding]:
    # A person may have written it, but there is no single address to answer: staff read it.
    try:
        single_recipient(letter.from_address or "")
    except InvalidContact:
        return Finding("no_sender_address", False)
    return None


HEADER_CHECKS: tuple[Callable[[Letter], Optional[Finding]], ...] = (
    auto_submitted, bulk_precedence, mailing_list, autoreply_header, empty_return_path, delivery_report,
    robot_sender, no_sender)


def our_own_message(letter: Letter, session: Session) -> Optional[Finding]:
    """Our own email coming back, including a forged "Auto-Submitted: no" copy carrying our Message-ID."""
    if letter.message_id and session.execute(
            select(OutboundEmail.id).where(OutboundEmail.message_id == letter.message_id)).first():
        return Finding("our_own_message", True)
    return None


def screen(letter: Letter, session: Session) -> list[Finding]:
    """Every reason not to answer this letter automatically (empty: the assistant may answer it)."""
    findings = [check(letter) for check in HEADER_CHECKS]
    findings.append(our_own_message(letter, session))
    return [f for f in findings if f is not None]


def reply_limit_reached(session: Session, address: str, *, now: datetime, limit: int) -> bool:
    """Per sender, at most `limit` automatic replies an hour: a person (or a program posing as one)
    cannot make the desk send mail without end."""
    sent = session.execute(
        select(func.count(OutboundEmail.id)).where(func.lower(OutboundEmail.to_address) == address.lower(),
                                                   OutboundEmail.kind == REPLY_KIND,
                                                   OutboundEmail.created_at > now - timedelta(hours=1))).scalar()
    return sent >= limit
