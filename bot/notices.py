"""Notices to the requester about their case, and to staff, queued in the outbox in the right language.

Requester template fields: name, reference, request_labels, due_date, months, reason, note (and per kind:
code, link, minutes for verification_code; missing for missing_details; question for information_request).
Staff notices (kinds staff_*) go to PRIVACY_DESK_DPO_EMAIL in PRIVACY_DESK_DEFAULT_LANGUAGE and carry the case
reference and request types only: staff open the console for the rest.
"""
from __future__ import annotations

from email.utils import parseaddr

import importlib
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy.orm import Session

from bot import outbox, settings
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


def texts(language: str):
    """The texts module of a language (bot/texts/<language>.py), English when there is none."""
    return _module(language)


def format_date(moment: date, language: str) -> str:
    """A date as people of that language write it in a letter (23 December 2026, 23 décembre 2026)."""
    texts = _module(language)
    return texts.DATE.format(day=moment.day, month=texts.MONTHS[moment.month - 1], year=moment.year)


def phrase(language: str, table: str, key: str) -> str:
    """One entry of a text table (LABELS, DETAILS, LEVELS, TASKS, REASONS) in the language, else in English."""
    found = getattr(_module(language), table, {}).get(key)
    return found if found is not None else getattr(_module("en"), table)[key]


def request_labels(request_types: list[str], language: str) -> str:
    return ", ".join(phrase(language, "LABELS", RequestType(t).value) for t in request_types)


def render(kind: str, language: str, /, **fields) -> tuple[str, str]:
    """(subject, body) in the language when written, else in English."""
    subject, body = getattr(_module(language), "NOTICES", {}).get(kind) or _module("en").NOTICES[kind]
    if not fields.get("name"):  # "Hello," rather than "Hello ,"
        body = body.replace(", {name}", "").replace(" {name}", "")
    return subject.format(**fields), body.format(**fields)


def notify(session: Session, case: Case, kind: str, /, *, sealed: dict[str, str] | None = None,
           sealed_until: datetime | None = None, in_reply_to: str | None = None, references: str | None = None,
           **fields) -> OutboundEmail | None:
    """Queue a notice to the requester; without an email address, staff are told to send it by post."""
    values = {"name": case.requester_name or "", "reference": case.reference,
              "request_labels": request_labels(case.request_types, case.language),
              "due_date": format_date(case.due_at, case.language), "months": "", "reason": "", "note": ""}
    values.update(fields)
    subject, body = render(kind, case.language, **values)
    if not case.requester_email:
        record(session, case, actor=SYSTEM, action="notice_needs_post", data={"kind": kind})
        return None
    email = outbox.enqueue(session, case=case, kind=kind, to=case.requester_email, subject=subject,
                           body_text=body, language=case.language, in_reply_to=in_reply_to,
                           references=references, sealed=sealed, sealed_until=sealed_until)
    record(session, case, actor=SYSTEM, action="notice_queued", data={"kind": kind})
    return email


def ask_missing_details(session: Session, case: Case, missing: list[str], **reply) -> OutboundEmail | None:
    """Ask the requester, by email, for the details still missing (keys of DETAILS in bot/texts/en.py)."""
    lines = "\n".join(f"- {phrase(case.language, 'DETAILS', key)}" for key in missing)
    return notify(session, case, "missing_details", missing=lines, **reply)


def console_link(reference: str | None = None) -> str:
    base = settings.get("public_url").rstrip("/")
    return f"{base}/console/cases/{reference}" if reference else f"{base}/console/queue"


def notify_staff(session: Session, case: Case | None, kind: str, /, **fields) -> OutboundEmail:
    """Queue a notice to the DPO address. Only the reference and request types: never the requester's data."""
    language = settings.get("default_language")
    values = {"reference": case.reference if case else "–", "link": console_link(case.reference if case else None)}
    if case is not None:
        values.update(request_labels=request_labels(case.request_types, language),
                      due_date=format_date(case.due_at, language))
    values.update(fields)
    subject, body = render(kind, language, **values)
    email = outbox.enqueue(session, case=case, kind=kind, to=settings.get("dpo_email"), subject=subject,
                           body_text=body, language=language)
    if case is not None:
        record(session, case, actor=SYSTEM, action="staff_notified", data={"kind": kind})
    return email


def compliance_address() -> str:
    """Where people can write to us: the address Privacy Desk's emails come from (replies to it reach the
    data-compliance mailbox), else the DPO's; empty when neither is set."""
    return parseaddr(settings.get("mail_from"))[1] or parseaddr(settings.get("dpo_email"))[1]
