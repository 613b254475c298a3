"""Which case a letter continues: the thread headers first, then the reference in the subject, and the
subject only when the sender is the case's requester (a reference is easy to copy; a Message-ID we
generated is not)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.contact import same_email
from bot.models import Case, OutboundEmail
from bot.references import normalise
from mail_ingest.models import InboundLetter
from mail_ingest.parse import Letter


def case_of(session: Session, letter: Letter) -> Case | None:
    return _by_thread(session, letter.thread_ids) or _by_subject(session, letter)


def _by_thread(session: Session, ids: list[str]) -> Case | None:
    if not ids:
        return None
    for model in (OutboundEmail, InboundLetter):  # our own mail first: its ids cannot be forged by a guess
        found = session.execute(select(model.case_id).where(model.message_id.in_(ids), model.case_id.is_not(None))
                                .order_by(model.id.desc()).limit(1)).scalar()
        if found is not None:
            return session.get(Case, found)
    return None


def _by_subject(session: Session, letter: Letter) -> Case | None:
    reference = normalise(letter.subject)
    if not reference:
        return None
    case = session.execute(select(Case).where(Case.reference == reference)).scalar_one_or_none()
    if case is not None and same_email(case.requester_email, letter.from_address):
        return case
    return None
