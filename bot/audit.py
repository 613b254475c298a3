"""The audit trail: who did what to a case, when, and why. Append-only."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import Case, CaseEvent, utcnow

SYSTEM = "privacy-desk"  # the actor for what the assistant and the scheduler do on their own
VIEWED = "viewed"
# Reading a person's data is an action too. One record per member of staff per case per hour keeps the trail
# readable when a page is reloaded while still showing who looked, and when.
VIEW_WINDOW = timedelta(hours=1)


def record(session: Session, case: Case, *, actor: str, action: str, reason: str | None = None,
           data: dict | None = None) -> CaseEvent:
    """Add an audit event to the session; it commits (or rolls back) with the change it describes."""
    event = CaseEvent(case=case, at=utcnow(), actor=actor, action=action, reason=reason, data=data or {})
    session.add(event)
    return event


def record_view(session: Session, case: Case, *, actor: str, via: str) -> None:
    """Note that `actor` read the case's personal data (console page, CLI), unless they did within the hour."""
    since = utcnow() - VIEW_WINDOW
    recent = session.execute(select(CaseEvent.id).where(
        CaseEvent.case_id == case.id, CaseEvent.actor == actor, CaseEvent.action == VIEWED,
        CaseEvent.at >= since).limit(1)).first()
    if recent is None:
        record(session, case, actor=actor, action=VIEWED, data={"via": via})
