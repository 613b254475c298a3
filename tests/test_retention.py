"""Retention: chats and letters without a case go after N days, closed cases keep only their minimal record
after M months, the audit trail stays append-only but for that one reduction, and every purge is recorded."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from bot import cases, db, retention
from bot.deadlines import add_months
from bot.models import CaseEvent
from bot.redaction import REDUCED
from bot.retention_models import PurgeRun
from bot.scheduler import Scheduler
from mail_ingest.models import DeadLetter, InboundLetter
from tests.support.person_data import (BOB, JANE, add_caseless_letter, add_chat, chat_events, closed,
                                       create_chat_table, dump, lines_with, open_case_of)

NOW = datetime.now(timezone.utc)


def purge(store: str, now: datetime, **kwargs) -> dict:
    with db.session_scope(store) as session:
        return retention.purge(session, now=now, **kwargs)


def letters(store: str) -> tuple[int, int]:
    with db.session_scope(store) as session:
        return (len(session.execute(select(InboundLetter.id)).all()),
                len(session.execute(select(DeadLetter.id)).all()))


# ---- the audit trail: one reduction per event, nothing else ----

def _try(store: str, sql: str) -> str | None:
    """The database's refusal, or None when the statement was accepted."""
    try:
        with db.engine_for(store).begin() as connection:
            connection.execute(text(sql))
    except DBAPIError as exc:
        return str(exc.orig)
    return None


def test_an_audit_event_can_be_reduced_once_and_in_no_other_way(any_store):
    reference = open_case_of(any_store, JANE, letter=False)
    with db.session_scope(any_store) as session:
        note = next(e for e in cases.get_case(session, reference).events if e.action == "note")
        event_id = note.id
    data = "CAST('{}' AS JSON)" if any_store.startswith("postgresql") else "'{}'"
    reduce = f"UPDATE case_events SET reason = NULL, data = {data}, redacted_at = '2030-01-01 00:00:00+00:00'"
    where = f" WHERE id = {event_id}"
    assert "append-only" in _try(any_store, "UPDATE case_events SET reason = 'rewritten'" + where)
    assert "append-only" in _try(any_store, reduce.replace("reason = NULL", "reason = 'kept'") + where)
    assert "append-only" in _try(any_store, reduce + ", actor = 'someone else'" + where)
    assert "append-only" in _try(any_store, f"DELETE FROM case_events{where}")
    assert _try(any_store, reduce + where) is None
    assert "append-only" in _try(any_store, reduce.replace("2030", "2031") + where)
    assert "append-only" in _try(any_store, "UPDATE case_events SET reason = 'again'" + where)


def test_a_reduction_cannot_add_to_what_an_event_said(any_store):
    reference = open_case_of(any_store, JANE, letter=False)
    with db.session_scope(any_store) as session:
        event_id = cases.get_case(session, reference).events[0].id  # "opened", with its request types
    new_data = """'{"request_types": ["erasure"]}'"""
    if any_store.startswith("postgresql"):
        new_data = f"CAST({new_data} AS JSON)"
    sql = (f"UPDATE case_events SET reason = NULL, data = {new_data}, redacted_at = '2030-01-01 00:00:00+00:00' "
           f"WHERE id = {event_id}")
    assert "append-only" in _try(any_store, sql)


# ---- the purge ----

def test_nothing_is_purged_before_its_time_and_exactly_what_is_due_after(any_store):
    create_chat_table(any_store)
    add_chat(any_store, "chat-nobody", NOW - timedelta(days=1), "just browsing")
    add_caseless_letter(any_store, BOB, "caseless-bob")
    jane = open_case_of(any_store, JANE)
    bob = open_case_of(any_store, BOB)
    closed_at = closed(any_store, jane)
    before = dump(any_store)

    assert set(purge(any_store, NOW).values()) == {0}
    assert set(purge(any_store, NOW + timedelta(days=28)).values()) == {0}
    assert dump(any_store).count(JANE.email) == before.count(JANE.email)

    # 31 days on: the chat without a case and the case-less letter go; the cases' chats and letters stay.
    counts = purge(any_store, NOW + timedelta(days=31))
    assert counts == {"conversations": 1, "chat_events": 2, "letters": 1, "dead_letters": 1, "cases_reduced": 0}
    assert chat_events(any_store, "chat-nobody") == 0
    assert chat_events(any_store, JANE.conversation) == 2 and chat_events(any_store, BOB.conversation) == 2
    assert letters(any_store) == (2, 2)

    # Twelve calendar months after closing, to the minute: Jane's closed case is reduced, Bob's open one is not.
    assert purge(any_store, add_months(closed_at, 12) - timedelta(minutes=1))["cases_reduced"] == 0
    counts = purge(any_store, add_months(closed_at, 12) + timedelta(minutes=1))
    assert counts["cases_reduced"] == 1 and counts["conversations"] == 0
    assert chat_events(any_store, JANE.conversation) == 0 and chat_events(any_store, BOB.conversation) == 2

    later = add_months(closed_at, 13)
    assert set(purge(any_store, later).values()) == {0}  # idempotent: nothing left to do
    with db.session_scope(any_store) as session:
        assert len([e for e in cases.get_case(session, jane).events if e.action == REDUCED]) == 1
        assert len(session.execute(select(PurgeRun.id)).all()) == 6
        assert cases.get_case(session, bob).requester_email == BOB.email


def test_after_retention_the_person_is_nowhere_in_the_database_and_the_minimal_record_stays(any_store):
    create_chat_table(any_store)
    jane, bob = open_case_of(any_store, JANE), open_case_of(any_store, BOB)
    closed_at = closed(any_store, jane)
    assert lines_with(dump(any_store), JANE)  # the search finds her before
    bob_before = len(lines_with(dump(any_store), BOB))

    purge(any_store, add_months(closed_at, 12) + timedelta(days=1))

    after = dump(any_store)
    assert lines_with(after, JANE) == []
    assert len(lines_with(after, BOB)) == bob_before
    with db.session_scope(any_store) as session:
        case = cases.get_case(session, jane)
        assert (case.status, case.request_types, case.closed_at, case.outcome_reason) == (
            "fulfilled", ["access"], closed_at, "Copy sent")
        trail = [(e.actor, e.action) for e in case.events]
        assert ("Dana Officer", "note") in trail and ("Dana Officer", "claimed") in trail
        assert [e.data for e in case.events if e.action == "status_changed"][-1] == {"from": "in_review",
                                                                                     "to": "fulfilled"}
        reduced = next(e for e in case.events if e.action == REDUCED)
        assert reduced.actor == "privacy-desk" and reduced.reason is None
        assert reduced.data["counts"]["requester_details"] == 3 and reduced.data["counts"]["letters"] == 1
        runs = session.execute(select(PurgeRun.counts)).scalars().all()
        assert runs == [{"conversations": 0, "chat_events": 0, "letters": 0, "dead_letters": 0, "cases_reduced": 1}]


def test_the_purge_works_before_the_assistant_ever_created_its_chat_table(store):
    reference = open_case_of(store, JANE, chat=False)
    closed_at = closed(store, reference)
    assert purge(store, add_months(closed_at, 12) + timedelta(days=1))["cases_reduced"] == 1


def test_a_dry_run_counts_and_changes_nothing(store):
    create_chat_table(store)
    add_chat(store, "chat-nobody", NOW - timedelta(days=40), "hello")
    counts = purge(store, NOW, dry_run=True)
    assert counts["conversations"] == 1 and chat_events(store, "chat-nobody") == 2
    with db.session_scope(store) as session:
        assert session.execute(select(PurgeRun.id)).all() == []


def test_the_scheduler_purges_once_a_day_even_across_restarts(store):
    create_chat_table(store)
    add_chat(store, "chat-nobody", NOW - timedelta(days=40), "hello")
    Scheduler(store).tick(NOW)
    assert chat_events(store, "chat-nobody") == 0
    add_chat(store, "chat-other", NOW - timedelta(days=40), "hello")
    Scheduler(store).tick(NOW + timedelta(hours=2))  # a restart the same day: not again
    assert chat_events(store, "chat-other") == 2
    Scheduler(store).tick(NOW + timedelta(days=1, minutes=1))
    assert chat_events(store, "chat-other") == 0
    with db.session_scope(store) as session:
        assert len(session.execute(select(PurgeRun.id)).all()) == 2


def test_the_chat_table_description_matches_what_rasa_creates(tmp_path):
    from rasa.core.tracker_store import SQLTrackerStore
    from sqlalchemy import create_engine, inspect

    from bot import chat_store

    SQLTrackerStore(dialect="sqlite", db=str(tmp_path / "rasa.db"))
    chat_store.metadata.create_all(create_engine(f"sqlite:///{tmp_path / 'ours.db'}"))

    def shape(name: str):
        found = inspect(create_engine(f"sqlite:///{tmp_path / name}"))
        columns = [(c["name"], str(c["type"]), c["nullable"]) for c in found.get_columns("events")]
        indexed = sorted(tuple(i["column_names"]) for i in found.get_indexes("events"))
        return columns, found.get_pk_constraint("events")["constrained_columns"], indexed

    assert shape("ours.db") == shape("rasa.db")


# ---- the command line ----

def test_purge_from_the_command_line(store, capsys):
    from bot.cli import main

    create_chat_table(store)
    add_chat(store, "chat-nobody", NOW - timedelta(days=40), "hello")
    assert main(["purge", "--dry-run", "--as", "Dana Officer"]) == 0
    assert "1 chat(s) without a case (2 event(s))" in capsys.readouterr().out
    assert chat_events(store, "chat-nobody") == 2
    assert main(["purge", "--as", "Dana Officer"]) == 0
    assert "deleted" in capsys.readouterr().out and chat_events(store, "chat-nobody") == 0
    with db.session_scope(store) as session:
        assert session.execute(select(PurgeRun.actor)).scalars().all() == ["Dana Officer"]


def test_a_bad_retention_setting_is_one_line(store, capsys, monkeypatch):
    from bot.cli import main

    monkeypatch.setenv("PRIVACY_DESK_RETAIN_CLOSED_CASES_MONTHS", "a year")
    assert main(["purge", "--as", "Dana Officer"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "PRIVACY_DESK_RETAIN_CLOSED_CASES_MONTHS" in err and "Traceback" not in err


def test_no_event_of_a_reduced_case_keeps_free_text(store):
    reference = open_case_of(store, JANE)
    closed_at = closed(store, reference)
    purge(store, add_months(closed_at, 12) + timedelta(days=1))
    with db.session_scope(store) as session:
        events = session.execute(select(CaseEvent).where(CaseEvent.action != REDUCED)).scalars().all()
        assert events and all(e.reason is None and e.redacted_at is not None for e in events)
