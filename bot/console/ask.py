"""Asking the requester for information (GDPR Art. 12(6) when it is about identity, or missing details).

Over bot/'s public functions: the email is queued in the outbox and the case moves to awaiting_requester,
with the audit events, in one transaction.
TODO(core): this belongs beside claim/extend in bot/cases.py as `ask_requester`; move it when the core
owner agrees, and add an "information_request" notice to bot/texts so the frame is in the case's language.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from bot import notices, outbox
from bot.audit import record
from bot.cases import CaseConflict, get_case
from bot.lifecycle import CLOSED, Status, transition
from bot.models import Case

# Where the requester still owes us something, the case already waits on them: asking changes no status.
_ALREADY_WAITING = {Status.AWAITING_DETAILS.value, Status.AWAITING_VERIFICATION.value,
                    Status.AWAITING_REQUESTER.value}

_FRAME = ("Hello {name},\n\n"
          "To continue with your request (case {reference}) we need some information from you:\n\n"
          "{question}\n\n"
          "Please reply to this email and keep the case reference in the subject.\n\n"
          "Kind regards,\nThe Data Protection team")


def ask_requester(session: Session, reference: str, *, question: str, actor: str) -> Case:
    question = (question or "").strip()
    if not question:
        raise ValueError("Write the question the requester should answer.")
    case = get_case(session, reference, for_update=True)
    if not case.requester_email:
        raise CaseConflict(f"Case {case.reference} has no email address; ask by phone or post and add a note.")
    if case.status in {s.value for s in CLOSED}:
        raise CaseConflict(f"Case {case.reference} is {case.status}; a closed case cannot wait for an answer.")
    if case.status not in _ALREADY_WAITING and case.status != Status.IN_REVIEW.value:
        raise CaseConflict(f"Case {case.reference} is {case.status}; claim it first, then ask the requester.")
    subject, body = _compose(case, question)
    outbox.enqueue(session, case=case, kind="information_request", to=case.requester_email, subject=subject,
                   body_text=body, language=case.language)
    record(session, case, actor=actor, action="information_requested", reason=question)
    if case.status == Status.IN_REVIEW.value:
        transition(session, case, Status.AWAITING_REQUESTER, actor=actor, reason="Information asked of the requester")
    return case


def _compose(case: Case, question: str) -> tuple[str, str]:
    fields = {"name": case.requester_name or "", "reference": case.reference, "question": question}
    try:
        return notices.render("information_request", case.language, **fields)
    except KeyError:  # no such notice in bot/texts yet
        return "We need some information to continue with your request", _FRAME.format(**fields)
