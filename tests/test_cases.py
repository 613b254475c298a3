"""The case store, on SQLite and on a real PostgreSQL."""
import threading
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from bot import cases, db
from bot.cases import NewRequest, open_case
from bot.lifecycle import IllegalTransition, Status
from bot.models import Case, CaseEvent, OutboundEmail, utcnow
from bot.requests import Channel, RequestType

ACCESS, ERASURE, RECORDING = RequestType.ACCESS, RequestType.ERASURE, RequestType.CALL_RECORDING


def _open(store, types=(ACCESS,), **kw) -> cases.Opened:
    kw.setdefault("email", "jane@example.org")
    with db.session_scope(store) as session:
        return open_case(session, NewRequest(list(types), kw.pop("channel", Channel.EMAIL), **kw))


def _load(store, reference) -> Case:
    with db.session_scope(store) as session:
        case = cases.get_case(session, reference)
        case.requests, case.events  # load before the session closes
        return case


def _verified(store, **kw) -> str:
    reference = _open(store, **kw).case.reference
    with db.session_scope(store) as session:
        session.execute(text("UPDATE cases SET status = 'verified' WHERE reference = :r"), {"r": reference})
    return reference


def test_a_new_request_opens_a_case_due_in_one_month(any_store):
    received = datetime(2026, 1, 31, 10, tzinfo=timezone.utc)
    opened = _open(any_store, received_at=received, name="Jane Doe")
    case = _load(any_store, opened.case.reference)
    assert not opened.attached
    assert case.due_at == datetime(2026, 2, 28, 10, tzinfo=timezone.utc)
    assert case.status == "awaiting_verification"
    assert case.request_types == ["access"]
    assert [e.action for e in case.events] == ["opened"]


def test_a_complaint_needs_no_verification_and_goes_straight_to_the_queue(any_store):
    case = _load(any_store, _open(any_store, types=(RequestType.COMPLAINT,)).case.reference)
    assert case.status == "verified"


def test_same_requester_same_type_while_open_is_attached_not_opened_twice(any_store):
    first = _open(any_store, email="Jane@Example.org")
    second = _open(any_store, email="jane@example.org", channel=Channel.CHAT, types=(ACCESS, ERASURE))
    assert second.attached and second.case.reference == first.case.reference
    case = _load(any_store, first.case.reference)
    assert case.request_types == ["access", "erasure"]
    assert [e.action for e in case.events] == ["opened", "request_attached"]


def test_a_different_request_type_or_requester_opens_a_new_case(any_store):
    first = _open(any_store)
    assert not _open(any_store, types=(ERASURE,)).attached
    assert not _open(any_store, email="someone.else@example.org").attached
    # a wildcard in an address is just a character, not a pattern
    assert not _open(any_store, email="j%@example.org").attached
    assert _open(any_store, phone=None).case.reference == first.case.reference


def test_a_phone_number_alone_never_joins_someone_elses_case(any_store):
    # Anyone can write a stranger's number into a letter: joining their case would tell them its reference.
    theirs = _open(any_store, email="jane@example.org", phone="+447700900456")
    stranger = _open(any_store, email="mallory@example.org", phone="+447700900456")
    no_address = _open(any_store, email=None, phone="+447700900456")
    assert not stranger.attached and not no_address.attached
    assert len({theirs.case.reference, stranger.case.reference, no_address.case.reference}) == 3
    # a phone-only request does join an earlier phone-only one: nobody's address is at stake
    assert _open(any_store, email=None, phone="+447700900456").case.reference == no_address.case.reference


def test_a_closed_case_does_not_absorb_a_new_request(any_store):
    first = _open(any_store)
    with db.session_scope(any_store) as session:
        cases.withdraw(session, first.case.reference, actor="dpo", reason="asked by phone")
    assert not _open(any_store).attached


def test_staff_can_split_an_attached_request_again(any_store):
    first = _open(any_store, received_at=utcnow() - timedelta(days=10))
    _open(any_store)
    case = _load(any_store, first.case.reference)
    with db.session_scope(any_store) as session:
        new = cases.split_request(session, case.reference, case.requests[1].id, actor="dpo")
        new_reference, new_due = new.reference, new.due_at
    assert new_reference != case.reference
    assert new_due > case.due_at  # due from its own date of receipt
    assert len(_load(any_store, case.reference).requests) == 1
    assert [e.action for e in _load(any_store, case.reference).events][-1] == "request_split"


def test_a_recording_older_than_the_retention_period_is_flagged(any_store):
    old = (date.today() - timedelta(days=400)).isoformat()
    recent = (date.today() - timedelta(days=3)).isoformat()
    old_case = _load(any_store, _open(any_store, types=(RECORDING,), details={"call_date": old}).case.reference)
    new_case = _load(any_store, _open(any_store, types=(RECORDING,), email="b@example.org",
                                      details={"call_date": recent}).case.reference)
    assert old_case.requests[0].details["recording_no_longer_held"] is True
    assert "recording_no_longer_held" not in new_case.requests[0].details


def test_claim_moves_a_verified_case_into_review(any_store):
    reference = _verified(any_store)
    with db.session_scope(any_store) as session:
        cases.claim(session, reference, staff="alice")
    case = _load(any_store, reference)
    assert (case.assignee, case.status) == ("alice", "in_review")
    assert [e.action for e in case.events][-2:] == ["claimed", "status_changed"]


def test_claiming_a_claimed_case_says_who_has_it(any_store):
    reference = _verified(any_store)
    with db.session_scope(any_store) as session:
        cases.claim(session, reference, staff="alice")
    with pytest.raises(cases.CaseConflict, match="already claimed by alice"):
        with db.session_scope(any_store) as session:
            cases.claim(session, reference, staff="bob")


@pytest.mark.parametrize("contenders", [8])
def test_two_staff_claiming_at_once_exactly_one_wins(any_store, contenders):
    reference = _verified(any_store)
    barrier = threading.Barrier(contenders)
    results = []

    def attempt(name):
        barrier.wait()
        try:
            with db.session_scope(any_store) as session:
                cases.claim(session, reference, staff=name)
            results.append(("won", name))
        except cases.CaseConflict:
            results.append(("lost", name))

    threads = [threading.Thread(target=attempt, args=(f"staff{i}",)) for i in range(contenders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    winners = [name for outcome, name in results if outcome == "won"]
    assert len(results) == contenders and len(winners) == 1
    case = _load(any_store, reference)
    assert case.assignee == winners[0]
    assert [e.actor for e in case.events if e.action == "claimed"] == winners


def test_extension_is_recorded_and_the_requester_is_told(any_store):
    reference = _verified(any_store, name="Jane")
    with db.session_scope(any_store) as session:
        cases.extend(session, reference, months=2, reason="Your request covers ten years of calls.", actor="dpo")
    case = _load(any_store, reference)
    assert case.due_at == cases.deadlines.due_at(case.received_at, 2)
    with db.session_scope(any_store) as session:
        notice = session.execute(select(OutboundEmail)).scalar_one()
        assert notice.kind == "extension" and notice.to_address == "jane@example.org"
        assert "ten years of calls" in notice.body_text and reference in notice.subject
    assert "deadline_extended" in [e.action for e in case.events]


def test_refused_erasure_records_that_the_authority_is_to_be_told(any_store):
    reference = _verified(any_store, types=(ERASURE,))
    with db.session_scope(any_store) as session:
        cases.claim(session, reference, staff="dpo")
        cases.deny(session, reference, reason="Invoices must be kept 10 years (tax law).", actor="dpo")
    case = _load(any_store, reference)
    assert case.status == "denied" and case.inform_authority
    assert case.outcome_reason == "Invoices must be kept 10 years (tax law)."
    with db.session_scope(any_store) as session:
        denial = session.execute(select(OutboundEmail)).scalar_one()
        assert "tax law" in denial.body_text and "complaint" in denial.body_text


def test_denial_without_a_reason_is_refused(any_store):
    reference = _verified(any_store)
    with pytest.raises(ValueError, match="reason"):
        with db.session_scope(any_store) as session:
            cases.deny(session, reference, reason=" ", actor="dpo")


def test_a_failed_action_leaves_neither_change_nor_audit_event(any_store):
    reference = _open(any_store).case.reference  # awaiting verification: cannot be fulfilled
    with pytest.raises(IllegalTransition):
        with db.session_scope(any_store) as session:
            cases.add_note(session, reference, "about to fulfil", actor="dpo")
            cases.fulfil(session, reference, actor="dpo")
    case = _load(any_store, reference)
    assert case.status == "awaiting_verification"
    assert [e.action for e in case.events] == ["opened"]


def test_the_audit_trail_cannot_be_edited_or_deleted(any_store):
    reference = _open(any_store).case.reference
    for statement in ("UPDATE case_events SET actor = 'mallory'", "DELETE FROM case_events"):
        with pytest.raises(DatabaseError, match="append-only"):
            with db.session_scope(any_store) as session:
                session.execute(text(statement))
    assert [e.actor for e in _load(any_store, reference).events] == ["privacy-desk"]


def test_unknown_reference_is_a_clear_error(any_store):
    with pytest.raises(cases.CaseNotFound, match="PD-7K3M-Q9TX"):
        with db.session_scope(any_store) as session:
            cases.get_case(session, "PD-ZZZZ-ZZZZ")
    with pytest.raises(cases.CaseNotFound):
        with db.session_scope(any_store) as session:
            cases.get_case(session, "'; DROP TABLE cases; --")


def test_escalation_without_a_case_opens_one_flagged_for_a_person(any_store):
    transcript = [{"from": "requester", "text": "I want a human", "at": "2026-11-23T10:00:00+00:00"}]
    with db.session_scope(any_store) as session:
        case = cases.escalate(session, reason="asked for a person", transcript=transcript,
                              new=NewRequest([], Channel.CHAT, email="jane@example.org"))
        reference = case.reference
    case = _load(any_store, reference)
    assert case.needs_human and case.status == "awaiting_details"
    assert case.events[-1].data["transcript"] == transcript


def test_details_given_later_join_the_case_and_the_recording_rule_applies(any_store):
    reference = _open(any_store, types=(RECORDING,)).case.reference
    old = (date.today() - timedelta(days=500)).isoformat()
    with db.session_scope(any_store) as session:
        cases.add_details(session, reference, {"call_date": old, "call_time": "14:00"})
    case = _load(any_store, reference)
    assert case.requests[0].details == {"call_date": old, "call_time": "14:00", "recording_no_longer_held": True}
    assert case.events[-1].action == "details_added" and case.events[-1].data == {"fields": ["call_date", "call_time"]}
