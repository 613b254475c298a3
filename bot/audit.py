"""The audit trail: who did what to a case, when, and why. Append-only."""
from __future__ import annotations

from sqlalchemy.orm import Session

from bot.models import Case, CaseEvent, utcnow

SYSTEM = "privacy-desk"  # the actor for what the assistant and the scheduler do on their own


def record(session: Session, case: Case, *, actor: str, action: str, reason: str | None = None,
           data: dict | None = None) -> CaseEvent:
    """Add an audit event to the session; it commits (or rolls back) with the change it describes."""
    event = CaseEvent(case=case, at=utcnow(), actor=actor, action=action, reason=reason, data=data or {})
    session.add(event)
    return event
