"""Letters that could not be taken in. Nothing is thrown away: an oversized message keeps its headers
here and itself in the Failed folder; one that keeps failing keeps its raw bytes and the error here."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import utcnow
from mail_ingest.intake import Source
from mail_ingest.models import DeadLetter

RETRYING, QUARANTINED, RESOLVED = "retrying", "quarantined", "resolved"
OVERSIZED, FAILING = "oversized", "failing"
_HEADERS_KEPT = 64 * 1024


def _row(session: Session, source: Source, reason: str) -> DeadLetter:
    row = session.execute(select(DeadLetter).where(DeadLetter.mailbox == source.mailbox,
                                                   DeadLetter.uidvalidity == source.uidvalidity,
                                                   DeadLetter.uid == source.uid)).scalar_one_or_none()
    if row is None:
        row = DeadLetter(mailbox=source.mailbox, uidvalidity=source.uidvalidity, uid=source.uid, reason=reason,
                         status=RETRYING, attempts=0, first_failed_at=utcnow(), last_failed_at=utcnow())
        session.add(row)
    return row


def failed(session: Session, source: Source, raw: bytes, error: str, *, max_attempts: int) -> DeadLetter:
    """Count one more failure; past max_attempts the letter is quarantined (moved to Failed)."""
    row = _row(session, source, FAILING)
    row.attempts += 1
    row.raw, row.size, row.error, row.last_failed_at = raw, len(raw), error[:4000], utcnow()
    if row.attempts >= max_attempts:
        row.status = QUARANTINED
    return row


def oversized(session: Session, source: Source, size: int, headers: bytes, limit: int) -> DeadLetter:
    row = _row(session, source, OVERSIZED)
    row.reason, row.status, row.size, row.attempts = OVERSIZED, QUARANTINED, size, max(row.attempts, 1)
    row.headers = headers[:_HEADERS_KEPT].decode("utf-8", "replace").replace("\x00", "")
    row.error = (f"{size} bytes, over the limit of {limit} (PRIVACY_DESK_MAX_MESSAGE_BYTES); "
                 "not downloaded. Read it in the Failed folder of the mailbox.")
    return row


def succeeded(session: Session, source: Source, letter_id: int) -> None:
    """A letter that failed before and went through now: its failure count is closed."""
    row = session.execute(select(DeadLetter).where(DeadLetter.mailbox == source.mailbox,
                                                   DeadLetter.uidvalidity == source.uidvalidity,
                                                   DeadLetter.uid == source.uid,
                                                   DeadLetter.status == RETRYING)).scalar_one_or_none()
    if row is not None:
        row.status, row.resolved_at, row.letter_id = RESOLVED, utcnow(), letter_id


def listing(session: Session, *, include_resolved: bool = False) -> list[DeadLetter]:
    query = select(DeadLetter).order_by(DeadLetter.id)
    if not include_resolved:
        query = query.where(DeadLetter.status != RESOLVED)
    return list(session.execute(query).scalars())
