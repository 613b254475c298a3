"""The lifecycle table: every move it allows works and is audited; every other move is refused
with a clear error and leaves the database as it was."""
import pytest
from sqlalchemy import func, select

from bot import db
from bot.cases import NewRequest, open_case
from bot.lifecycle import CLOSED, TRANSITIONS, IllegalTransition, Status, transition
from bot.models import Case, CaseEvent
from bot.requests import Channel, RequestType

ALL_MOVES = [(a, b) for a in Status for b in Status]


def _case_in(store: str, status: Status) -> str:
    with db.session_scope(store) as session:
        case = open_case(session, NewRequest([RequestType.ACCESS], Channel.POST, email="jane@example.org")).case
        case.status = status.value  # placed directly: the test is about the move that follows
        return case.reference


def _state(store: str, reference: str) -> tuple[str, int]:
    with db.session_scope(store) as session:
        case = session.execute(select(Case).where(Case.reference == reference)).scalar_one()
        events = session.execute(select(func.count()).select_from(CaseEvent)
                                 .where(CaseEvent.case_id == case.id)).scalar_one()
        return case.status, events


@pytest.mark.parametrize("source, target", [m for m in ALL_MOVES if m[1] not in TRANSITIONS[m[0]]],
                         ids=lambda s: s.value)
def test_every_illegal_move_is_refused_and_changes_nothing(store, source, target):
    reference = _case_in(store, source)
    before = _state(store, reference)
    with pytest.raises(IllegalTransition) as refused:
        with db.session_scope(store) as session:
            case = session.execute(select(Case).where(Case.reference == reference)).scalar_one()
            transition(session, case, target, actor="dpo")
    assert reference in str(refused.value) and source.value in str(refused.value)
    assert _state(store, reference) == before


@pytest.mark.parametrize("source, target", [m for m in ALL_MOVES if m[1] in TRANSITIONS[m[0]]],
                         ids=lambda s: s.value)
def test_every_allowed_move_is_audited(store, source, target):
    reference = _case_in(store, source)
    _, events_before = _state(store, reference)
    with db.session_scope(store) as session:
        case = session.execute(select(Case).where(Case.reference == reference)).scalar_one()
        transition(session, case, target, actor="dpo", reason="because")
        if target in CLOSED:
            assert case.closed_at is not None
    status, events_after = _state(store, reference)
    assert status == target.value and events_after == events_before + 1


def test_closed_cases_are_final():
    for status in CLOSED:
        assert TRANSITIONS[status] == frozenset()


def test_every_open_status_can_be_withdrawn():
    for status in set(Status) - CLOSED:
        assert Status.WITHDRAWN in TRANSITIONS[status]
