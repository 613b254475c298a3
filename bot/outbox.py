"""The outbox: every email Privacy Desk sends is first a row, written in the same transaction as the
change it reports, so a crash or an SMTP outage never loses one."""
from __future__ import annotations

import uuid
from email.utils import parseaddr

from sqlalchemy.orm import Session

from bot import settings
from bot.models import Case, OutboundEmail, utcnow


def _message_domain() -> str:
    address = parseaddr(settings.get("mail_from"))[1]
    return address.rsplit("@", 1)[-1] if "@" in address else "privacy-desk.invalid"


def new_message_id() -> str:
    return f"<{uuid.uuid4().hex}@{_message_domain()}>"


def _one_line(value: str) -> str:
    """Header values never carry line breaks, so nothing a requester typed can inject a header."""
    return " ".join((value or "").split())


def enqueue(session: Session, *, case: Case | None, kind: str, to: str, subject: str, body_text: str,
            body_html: str | None = None, language: str = "en", in_reply_to: str | None = None,
            references: str | None = None) -> OutboundEmail:
    if case is not None and case.reference not in subject:
        subject = f"[{case.reference}] {subject}"
    email = OutboundEmail(case=case, kind=kind, language=language, message_id=new_message_id(),
                          to_address=_one_line(to), subject=_one_line(subject)[:998], body_text=body_text,
                          body_html=body_html, in_reply_to=_one_line(in_reply_to) or None,
                          references=_one_line(references) or None, status="queued", attempts=0,
                          next_attempt_at=utcnow(), created_at=utcnow())
    session.add(email)
    return email
