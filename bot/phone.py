"""Proving control of a phone number: a code by SMS through a pluggable sender, or a call back by staff.

Privacy Desk ships no SMS gateway. The development sender writes each text message into the outbox as a
row of kind `sms_dev` addressed to the number, with status `logged` (the email sender never picks it up) and
the code sealed like any other (bot/sealing.py), so tests and developers can read it and the store still
holds no code in clear. A gateway plugs in with `use_phone_sender()`.
"""
from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from bot import outbox
from bot.identity import open_task, record_level
from bot.models import Case

SMS_DEV = "sms_dev"


class PhoneSender(Protocol):
    def send(self, session: Session, case: Case, *, to: str, text: str, sealed: dict[str, str],
             valid_until: datetime) -> None:
        """Send `text` to the number `to`, with each sealing.mark(name) replaced by sealed[name]."""


class DevPhoneSender:
    def send(self, session: Session, case: Case, *, to: str, text: str, sealed: dict[str, str],
             valid_until: datetime) -> None:
        outbox.enqueue(session, case=case, kind=SMS_DEV, to=to, subject="SMS", body_text=text,
                       language=case.language, sealed=sealed, sealed_until=valid_until, status="logged")


_sender: PhoneSender = DevPhoneSender()


def use_phone_sender(sender: PhoneSender) -> None:
    global _sender
    _sender = sender


def phone_sender() -> PhoneSender:
    return _sender


def request_call_back(session: Session, case: Case) -> bool:
    """The requester would rather be called: a task for staff, who call the number on file (never a number
    given in the conversation), which proves the number reaches the requester. False if already asked."""
    if not case.requester_phone:
        raise ValueError(f"Case {case.reference} has no phone number to call back.")
    return open_task(session, case, "call_back")


def confirm_call_back(session: Session, case: Case, *, staff: str) -> bool:
    """Staff called the number on file and reached the requester. True when the policy is now satisfied."""
    if not case.requester_phone:
        raise ValueError(f"Case {case.reference} has no phone number on file; a call back proves nothing.")
    return record_level(session, case, "phone", actor=staff, data={"by": "call_back"})
