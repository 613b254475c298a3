"""The dashboard's numbers: what is open, what is due, how long closing takes, where requests come from."""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.lifecycle import CLOSED, OPEN, Status
from bot.models import Case, CaseRequest, utcnow

WEEKS = 12            # the "over time" charts: the last twelve weeks, Monday to Sunday
CLOSED_WINDOW = 90    # median time to close: cases closed in the last ninety days
_OPEN = [s.value for s in Status if s in OPEN]
_CLOSED = [s.value for s in CLOSED]


def dashboard(session: Session, now: datetime | None = None) -> dict:
    now = now or utcnow()
    weeks = week_starts(now.date())
    return {
        "open_by_status": _open_by_status(session),
        "open_by_type": _open_by_type(session),
        "open_total": _count(session, Case.status.in_(_OPEN)),
        "due_this_week": _count(session, Case.status.in_(_OPEN), Case.due_at >= now,
                                Case.due_at < now + timedelta(days=7)),
        "overdue": _count(session, Case.status.in_(_OPEN), Case.due_at < now),
        "needs_human": _count(session, Case.status.in_(_OPEN), Case.needs_human.is_(True)),
        "median_days_to_close": _median_days_to_close(session, now),
        "weeks": weeks,
        "by_channel": _per_week(session, CaseRequest.channel, weeks),
        "by_language": _per_week(session, Case.language, weeks),
    }


def _count(session: Session, *conditions) -> int:
    return session.execute(select(func.count()).select_from(Case).where(*conditions)).scalar_one()


def _open_by_status(session: Session) -> list[tuple[str, int]]:
    counts = dict(session.execute(select(Case.status, func.count()).where(Case.status.in_(_OPEN))
                                  .group_by(Case.status)).all())
    return [(status, counts.get(status, 0)) for status in _OPEN]  # lifecycle order, zeros included


def _open_by_type(session: Session) -> list[tuple[str, int]]:
    """Open cases holding each request type; a case with two types counts under both."""
    query = (select(CaseRequest.request_type, func.count(func.distinct(CaseRequest.case_id)))
             .join(Case, Case.id == CaseRequest.case_id).where(Case.status.in_(_OPEN))
             .group_by(CaseRequest.request_type))
    return sorted(session.execute(query).all(), key=lambda row: (-row[1], row[0]))


def _median_days_to_close(session: Session, now: datetime) -> float | None:
    query = select(Case.received_at, Case.closed_at).where(
        Case.status.in_(_CLOSED), Case.closed_at.is_not(None), Case.closed_at >= now - timedelta(days=CLOSED_WINDOW))
    days = [(closed - received).total_seconds() / 86400 for received, closed in session.execute(query).all()]
    return round(statistics.median(days), 1) if days else None


def week_starts(today: date, weeks: int = WEEKS) -> list[date]:
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def _per_week(session: Session, column, weeks: list[date]) -> dict[str, list[int]]:
    """{value: [requests received in each week]}, counted in Python so SQLite and PostgreSQL agree."""
    start = datetime.combine(weeks[0], datetime.min.time()).replace(tzinfo=utcnow().tzinfo)
    query = (select(column, CaseRequest.received_at).join(Case, Case.id == CaseRequest.case_id)
             .where(CaseRequest.received_at >= start))
    counts: dict[str, Counter] = defaultdict(Counter)
    for value, received in session.execute(query).all():
        monday = received.date() - timedelta(days=received.weekday())
        counts[value][monday] += 1
    return {value: [counter[week] for week in weeks] for value, counter in sorted(counts.items())}
