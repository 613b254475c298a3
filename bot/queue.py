"""The DPO queue: open cases, most urgent first, with the days left before the legal deadline."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.deadlines import days_left
from bot.lifecycle import OPEN, Status
from bot.models import Case, utcnow


@dataclass(frozen=True)
class QueueFilter:
    status: Status | None = None
    overdue: bool = False
    due_within_days: int | None = None
    include_closed: bool = False


def list_queue(session: Session, wanted: QueueFilter = QueueFilter(), *, now: datetime | None = None) -> list[Case]:
    now = now or utcnow()
    query = select(Case).options(selectinload(Case.requests)).order_by(Case.due_at, Case.received_at)
    if wanted.status is not None:
        query = query.where(Case.status == wanted.status.value)
    elif not wanted.include_closed:
        query = query.where(Case.status.in_([s.value for s in OPEN]))
    if wanted.overdue:
        query = query.where(Case.due_at < now)
    if wanted.due_within_days is not None:
        query = query.where(Case.due_at <= now + timedelta(days=wanted.due_within_days))
    return list(session.execute(query).scalars())


def summary(case: Case, now: datetime | None = None) -> dict:
    """What the queue shows of a case: no requester details, so it can be exported and logged safely."""
    return {
        "reference": case.reference,
        "request_types": case.request_types,
        "status": case.status,
        "channel": case.channel,
        "language": case.language,
        "received_at": case.received_at.isoformat(),
        "due_at": case.due_at.isoformat(),
        "days_left": days_left(case.due_at, now or utcnow()),
        "assignee": case.assignee,
        "needs_human": case.needs_human,
    }
