"""Opening cases and everything staff do to them. Every change writes its audit event in the same transaction."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from bot import deadlines, notices, settings
from bot.audit import SYSTEM, record
from bot.lifecycle import CLOSED, OPEN, Status, transition
from bot.models import Case, CaseRequest, utcnow
from bot.references import new_reference, normalise
from bot.requests import Channel, RequestType
from bot.verification_policy import is_satisfied

# Refusing these is reported to the supervisory authority with the reasons (the call-recording policy).
AUTHORITY_TOLD_WHEN_DENIED = frozenset({RequestType.ERASURE.value})


class CaseNotFound(LookupError):
    pass


class CaseConflict(ValueError):
    """The action does not fit the case as it is now (already claimed, closed, ...)."""


@dataclass
class NewRequest:
    """A request as it reached us, before it becomes (or joins) a case."""

    request_types: list[RequestType]
    channel: Channel
    language: str = "en"
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    details: dict = field(default_factory=dict)
    received_at: datetime = field(default_factory=utcnow)
    conversation_id: str | None = None
    complete: bool = True  # False when details are still missing and must be asked for
    needs_human: bool = False  # the person asked for a human, or the assistant could not tell what they want


@dataclass
class Opened:
    case: Case
    attached: bool  # True when the request joined an open case of the same requester


def get_case(session: Session, reference: str, *, for_update: bool = False) -> Case:
    canonical = normalise(reference)
    query = select(Case).where(Case.reference == canonical)
    if for_update:
        query = query.with_for_update()
    case = session.execute(query).scalar_one_or_none() if canonical else None
    if case is None:
        raise CaseNotFound(f"No case {reference.strip()[:40]!r}. A reference looks like PD-7K3M-Q9TX.")
    return case


def open_case(session: Session, new: NewRequest, *, actor: str = SYSTEM) -> Opened:
    """Register a request: attached to the requester's open case of the same type, else a new case."""
    if not new.request_types and not new.needs_human:
        raise ValueError("A case needs at least one request type, or to be escalated to staff.")
    existing = _open_case_of_same_requester(session, new)
    if existing is not None:
        _attach(session, existing, new, actor)
        return Opened(existing, attached=True)
    case = Case(reference=_unused_reference(session), channel=new.channel.value, language=new.language,
                requester_name=new.name, requester_email=new.email, requester_phone=new.phone,
                received_at=new.received_at, due_at=deadlines.due_at(new.received_at), extension_months=0,
                verification_level="", needs_human=new.needs_human, inform_authority=False,
                conversation_id=new.conversation_id, created_at=utcnow(), updated_at=utcnow())
    case.status = _initial_status(new).value
    session.add(case)
    _add_requests(session, case, new)
    record(session, case, actor=actor, action="opened",
           data={"request_types": case.request_types, "channel": case.channel, "status": case.status})
    session.flush()
    return Opened(case, attached=False)


def _initial_status(new: NewRequest) -> Status:
    if not new.complete or not new.request_types:
        return Status.AWAITING_DETAILS
    if is_satisfied((), [t.value for t in new.request_types]):
        return Status.VERIFIED  # nothing to disclose (a complaint): straight to the DPO queue
    return Status.AWAITING_VERIFICATION


def _unused_reference(session: Session) -> str:
    while True:
        reference = new_reference()
        if session.execute(select(Case.id).where(Case.reference == reference)).first() is None:
            return reference


def _open_case_of_same_requester(session: Session, new: NewRequest) -> Case | None:
    """The requester's open case of the same type. A phone number alone never joins a case that has an email
    address, nor does a request that gives another address: anyone can write a stranger's number into a letter,
    and joining would tell them the stranger's case reference."""
    if new.email:
        who = func.lower(Case.requester_email) == new.email.lower()
    elif new.phone:
        who = and_(Case.requester_phone == new.phone, or_(Case.requester_email.is_(None), Case.requester_email == ""))
    else:
        return None
    types = [t.value for t in new.request_types]
    query = (select(Case).join(CaseRequest).where(who, Case.status.in_([s.value for s in OPEN]),
                                                  CaseRequest.request_type.in_(types))
             .order_by(Case.received_at).limit(1))
    return session.execute(query).scalars().first()


def _attach(session: Session, case: Case, new: NewRequest, actor: str) -> None:
    _add_requests(session, case, new)
    for attribute, value in (("requester_name", new.name), ("requester_email", new.email),
                             ("requester_phone", new.phone)):
        if value and not getattr(case, attribute):
            setattr(case, attribute, value)
    record(session, case, actor=actor, action="request_attached",
           reason="Same requester and request type as this open case",
           data={"request_types": [t.value for t in new.request_types], "channel": new.channel.value})


def _add_requests(session: Session, case: Case, new: NewRequest) -> None:
    for request_type in new.request_types:
        details = dict(new.details)
        if request_type is RequestType.CALL_RECORDING:
            details.update(_recording_held(details))
        session.add(CaseRequest(case=case, request_type=request_type.value, channel=new.channel.value,
                                received_at=new.received_at, details=details))


def _recording_held(details: dict) -> dict:
    """Recordings are kept for a limited time; a request about an older call is answered honestly."""
    call_date = details.get("call_date")
    if not call_date:
        return {}
    held = deadlines.recording_still_held(date.fromisoformat(call_date), utcnow().date(),
                                          settings.get_int("recording_retention_months"))
    return {} if held else {"recording_no_longer_held": True}


def add_details(session: Session, reference: str, details: dict, *, actor: str = SYSTEM) -> Case:
    """Details the requester gave after the case was opened (a reply to a letter, a later chat message)."""
    case = get_case(session, reference)
    for request in case.requests:
        merged = {**request.details, **details}
        if request.request_type == RequestType.CALL_RECORDING.value:
            merged.update(_recording_held(merged))
        request.details = merged  # a new dict, so the JSON column is seen as changed
    record(session, case, actor=actor, action="details_added", data={"fields": sorted(details)})
    return case


def escalate(session: Session, *, reason: str, transcript: list[dict], reference: str | None = None,
             new: NewRequest | None = None, actor: str = SYSTEM) -> Case:
    """Flag a case for a person (opening one when there is none yet), with the conversation so far.

    `transcript` is a list of {"from": "requester"|"assistant", "text": ..., "at": iso time}.
    """
    if reference:
        case = get_case(session, reference)
    else:
        if new is None:
            raise ValueError("Escalating without a case needs the request as far as it is known.")
        new.needs_human = True
        case = open_case(session, new, actor=actor).case
    case.needs_human = True
    record(session, case, actor=actor, action="escalated", reason=reason, data={"transcript": transcript})
    return case


def split_request(session: Session, reference: str, request_id: int, *, actor: str) -> Case:
    """Undo an attachment: the request becomes a case of its own, due from its own date of receipt."""
    case = get_case(session, reference)
    request = next((r for r in case.requests if r.id == request_id), None)
    if request is None:
        raise CaseConflict(f"Case {case.reference} has no request number {request_id}.")
    if len(case.requests) == 1:
        raise CaseConflict(f"Case {case.reference} holds only this request; there is nothing to split.")
    new = Case(reference=_unused_reference(session), channel=request.channel, language=case.language,
               status=case.status if case.status in (Status.AWAITING_DETAILS.value,
                                                     Status.AWAITING_VERIFICATION.value) else Status.VERIFIED.value,
               requester_name=case.requester_name, requester_email=case.requester_email,
               requester_phone=case.requester_phone, received_at=request.received_at,
               due_at=deadlines.due_at(request.received_at), extension_months=0,
               verification_level=case.verification_level, needs_human=case.needs_human, inform_authority=False,
               conversation_id=case.conversation_id, created_at=utcnow(), updated_at=utcnow())
    session.add(new)
    request.case = new
    record(session, new, actor=actor, action="opened", reason=f"Split from {case.reference}",
           data={"request_types": [request.request_type], "split_from": case.reference, "status": new.status})
    record(session, case, actor=actor, action="request_split",
           data={"request_type": request.request_type, "new_case": new.reference})
    session.flush()
    return new


def claim(session: Session, reference: str, *, staff: str) -> Case:
    """Take an unassigned case. Atomic: when two people claim at once, exactly one wins."""
    case = get_case(session, reference)
    if case.status in {s.value for s in CLOSED}:
        raise CaseConflict(f"Case {case.reference} is {case.status}; closed cases cannot be claimed.")
    won = session.execute(update(Case).where(Case.id == case.id, Case.assignee.is_(None))
                          .values(assignee=staff, updated_at=utcnow())
                          .execution_options(synchronize_session=False)).rowcount == 1
    if not won:
        session.refresh(case)
        raise CaseConflict(f"Case {case.reference} is already claimed by {case.assignee}.")
    session.refresh(case)
    record(session, case, actor=staff, action="claimed")
    if case.status == Status.VERIFIED.value:
        transition(session, case, Status.IN_REVIEW, actor=staff)
    return case


def assign(session: Session, reference: str, *, to: str, by: str) -> Case:
    case = get_case(session, reference, for_update=True)
    if case.status in {s.value for s in CLOSED}:
        raise CaseConflict(f"Case {case.reference} is {case.status}; closed cases cannot be assigned.")
    previous, case.assignee = case.assignee, to
    record(session, case, actor=by, action="assigned", data={"from": previous, "to": to})
    if case.status == Status.VERIFIED.value:
        transition(session, case, Status.IN_REVIEW, actor=by)
    return case


def add_note(session: Session, reference: str, text: str, *, actor: str) -> Case:
    if not text or not text.strip():
        raise ValueError("A note cannot be empty.")
    case = get_case(session, reference)
    record(session, case, actor=actor, action="note", reason=text.strip())
    return case


def extend(session: Session, reference: str, *, months: int, reason: str, actor: str,
           now: datetime | None = None) -> Case:
    """Art. 12(3) extension: recorded, and the requester is told the reason and the new date."""
    case = get_case(session, reference, for_update=True)
    if case.status in {s.value for s in CLOSED}:
        raise CaseConflict(f"Case {case.reference} is {case.status}; there is no deadline left to extend.")
    deadlines.check_extension(received_at=case.received_at, already_extended=case.extension_months,
                              months=months, reason=reason, now=now or utcnow())
    previous = case.due_at
    case.extension_months += months
    case.extension_reason = reason.strip()
    case.due_at = deadlines.due_at(case.received_at, case.extension_months)
    record(session, case, actor=actor, action="deadline_extended", reason=case.extension_reason,
           data={"months": months, "from": previous.isoformat(), "to": case.due_at.isoformat()})
    notices.notify(session, case, "extension", months=str(months), reason=case.extension_reason)
    return case


def fulfil(session: Session, reference: str, *, actor: str, note: str = "", erase_own_data: bool = False) -> Case:
    """With erase_own_data (an erasure case only), what Privacy Desk itself holds about the person goes too,
    in the same transaction: when it cannot (another case of theirs is open), nothing is fulfilled either."""
    case = get_case(session, reference, for_update=True)
    transition(session, case, Status.FULFILLED, actor=actor, reason=note.strip() or None)
    case.outcome_reason = note.strip() or None
    notices.notify(session, case, "fulfilment", note=note.strip())
    if erase_own_data:
        from bot.own_erasure import erase_own_data as erase  # it builds on this module

        erase(session, case, actor=actor, now=utcnow())
    return case


def deny(session: Session, reference: str, *, reason: str, actor: str) -> Case:
    """A refusal always carries a reason the requester is told, with their right to complain."""
    if not reason or not reason.strip():
        raise ValueError("A denial needs a reason: the requester is told it.")
    case = get_case(session, reference, for_update=True)
    transition(session, case, Status.DENIED, actor=actor, reason=reason.strip())
    case.outcome_reason = reason.strip()
    if AUTHORITY_TOLD_WHEN_DENIED & set(case.request_types):
        case.inform_authority = True
        record(session, case, actor=actor, action="authority_to_be_informed",
               reason="Erasure refused: the supervisory authority is told of the decision and the reasons.")
    notices.notify(session, case, "denial", reason=case.outcome_reason)
    return case


def withdraw(session: Session, reference: str, *, actor: str, reason: str = "") -> Case:
    case = get_case(session, reference, for_update=True)
    transition(session, case, Status.WITHDRAWN, actor=actor, reason=reason.strip() or None)
    return case
