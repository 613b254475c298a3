"""Notices to the requester about their case, queued in the outbox in the case's language.

Template fields: name, reference, request_labels, due_date, months, reason, note.
"""
from __future__ import annotations

import importlib
from datetime import date
from functools import lru_cache

from sqlalchemy.orm import Session

from bot import outbox
from bot.audit import SYSTEM, record
from bot.models import Case, OutboundEmail
from bot.requests import RequestType


@lru_cache(maxsize=None)
def _module(language: str):
    if not (len(language) == 2 and language.isascii() and language.isalpha() and language.islower()):
        language = "en"
    try:
        return importlib.import_module(f"bot.texts.{language}")
    except ModuleNotFoundError:
        return importlib.import_module("bot.texts.en")


def format_date(moment: date, language: str) -> str:
    """A date as people of that language write it in a letter (23 December 2026, 23 décembre 2026)."""
    texts = _module(language)
    return texts.DATE.format(day=moment.day, month=texts.MONTHS[moment.month - 1], year=moment.year)


def render(kind: str, language: str, **fields) -> tuple[str, str]:
    """(subject, body) in the language when written, else in English."""
    subject, body = getattr(_module(language), "NOTICES", {}).get(kind) or _module("en").NOTICES[kind]
    return subject, body.format(**fields)


def notify(session: Session, case: Case, kind: str, **fields) -> OutboundEmail | None:
    """Queue a notice to the requester; without an email address, staff are told to send it by post."""
    values = {"name": case.requester_name or "", "reference": case.reference,
              "request_labels": ", ".join(RequestType(t).label for t in case.request_types),
              "due_date": format_date(case.due_at, case.language), "months": "", "reason": "", "note": ""}
    values.update(fields)
    subject, body = render(kind, case.language, **values)
    if not case.requester_email:
        record(session, case, actor=SYSTEM, action="notice_needs_post", data={"kind": kind})
        return None
    email = outbox.enqueue(session, case=case, kind=kind, to=case.requester_email, subject=subject,
                           body_text=body, language=case.language)
    record(session, case, actor=SYSTEM, action="notice_queued", data={"kind": kind})
    return email
