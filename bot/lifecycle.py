"""A case's statuses and the moves allowed between them: one table, checked in one function."""
from __future__ import annotations

from enum import Enum

from sqlalchemy.orm import Session

from bot.audit import record
from bot.models import Case, utcnow


class Status(str, Enum):
    AWAITING_DETAILS = "awaiting_details"            # the bot or staff still need something to act on
    AWAITING_VERIFICATION = "awaiting_verification"  # locked: nothing is disclosed until identity is proven
    VERIFIED = "verified"                            # in the DPO queue, waiting for a member of staff
    IN_REVIEW = "in_review"                          # claimed by a member of staff
    AWAITING_REQUESTER = "awaiting_requester"        # staff asked the requester for information
    FULFILLED = "fulfilled"
    DENIED = "denied"
    WITHDRAWN = "withdrawn"                          # by the requester, or never verified


CLOSED = frozenset({Status.FULFILLED, Status.DENIED, Status.WITHDRAWN})
OPEN = frozenset(Status) - CLOSED

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.AWAITING_DETAILS: frozenset({Status.AWAITING_VERIFICATION, Status.VERIFIED, Status.DENIED,
                                        Status.WITHDRAWN}),
    Status.AWAITING_VERIFICATION: frozenset({Status.AWAITING_DETAILS, Status.VERIFIED, Status.DENIED,
                                             Status.WITHDRAWN}),
    Status.VERIFIED: frozenset({Status.IN_REVIEW, Status.WITHDRAWN}),
    Status.IN_REVIEW: frozenset({Status.VERIFIED, Status.AWAITING_REQUESTER, Status.FULFILLED, Status.DENIED,
                                 Status.WITHDRAWN}),
    Status.AWAITING_REQUESTER: frozenset({Status.IN_REVIEW, Status.DENIED, Status.WITHDRAWN}),
    Status.FULFILLED: frozenset(),
    Status.DENIED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}


class IllegalTransition(ValueError):
    """A move the lifecycle table does not allow; nothing was changed."""


def transition(session: Session, case: Case, to: Status, *, actor: str, reason: str | None = None,
               data: dict | None = None) -> None:
    """Move a case to another status and write the audit event in the same transaction."""
    current = Status(case.status)
    if to not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[current])) or "none (the case is closed)"
        raise IllegalTransition(f"Case {case.reference} is {current.value} and cannot become {to.value}. "
                                f"Allowed next: {allowed}.")
    case.status = to.value
    if to in CLOSED:
        case.closed_at = utcnow()
    record(session, case, actor=actor, action="status_changed", reason=reason,
           data={"from": current.value, "to": to.value, **(data or {})})
