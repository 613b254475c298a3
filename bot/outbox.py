"""The outbox: every email Privacy Desk sends is first a row, written in the same transaction as the
change it reports, so a crash or an SMTP outage never loses one."""
from __future__ import annotations

import uuid
from datetime import datetime
from email.utils import parseaddr

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot import sealing, settings
from bot.contact import single_recipient
from bot.models import Case, OutboundEmail, utcnow
from bot.verification_models import SealedPart


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
            references: str | None = None, sealed: dict[str, str] | None = None,
            sealed_until: datetime | None = None, status: str = "queued") -> OutboundEmail:
    """Queue a message. `sealed` values (a verification code) are stored encrypted, never in clear: the texts
    carry sealing.mark(name) where they go, and the sender fills them in (see bot/sealing.py).

    Raises contact.InvalidContact unless `to` is exactly one address (or one number for a text message)."""
    to = single_recipient(to)
    if case is not None and case.reference not in subject:
        subject = f"[{case.reference}] {subject}"
    email = OutboundEmail(case=case, kind=kind, language=language, message_id=new_message_id(),
                          to_address=to, subject=_one_line(subject)[:998], body_text=body_text,
                          body_html=body_html, in_reply_to=_one_line(in_reply_to) or None,
                          references=_one_line(references) or None, status=status, attempts=0,
                          next_attempt_at=utcnow(), created_at=utcnow())
    session.add(email)
    if sealed:
        session.flush()  # the sealed part is keyed by the row's id
        session.add(SealedPart(outbound_email_id=email.id, payload=sealing.seal(sealed, bound_to=email.message_id),
                               expires_at=sealed_until or utcnow()))
    return email


def opened_texts(session: Session, email: OutboundEmail) -> tuple[str, str, str | None]:
    """(subject, body_text, body_html) as the recipient reads them, sealed values filled in.

    Raises sealing.SealBroken when the values can no longer be opened."""
    part = session.get(SealedPart, email.id)
    values = sealing.unseal(part.payload, bound_to=email.message_id) if part else {}
    texts = (sealing.fill(email.subject, values), sealing.fill(email.body_text, values),
             sealing.fill(email.body_html, values))
    if any(sealing.unfilled(text) for text in texts):
        raise sealing.SealBroken(f"Email {email.id} needs a verification code that is no longer kept (it was "
                                 "sent, given up or expired); send the requester a new code instead.")
    return texts


def forget_sealed(session: Session, email: OutboundEmail) -> None:
    """Once a message has gone (or been given up) its sealed values are of no more use: drop them."""
    session.execute(delete(SealedPart).where(SealedPart.outbound_email_id == email.id))


def purge_sealed(session: Session, now: datetime | None = None) -> int:
    """Drop expired sealed values of messages not waiting to be sent (a development SMS, a cancelled email)."""
    waiting = select(OutboundEmail.id).where(OutboundEmail.status.in_(("queued", "sending")))
    return session.execute(delete(SealedPart).where(SealedPart.expires_at < (now or utcnow()),
                                                    SealedPart.outbound_email_id.not_in(waiting))
                           .execution_options(synchronize_session=False)).rowcount
