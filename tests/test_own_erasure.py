"""Fulfilling an erasure can erase what Privacy Desk itself holds about the person: their other cases, chats,
letters and emails; never their confirmation, never anyone else's data."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot import cases, db, retention
from bot.deadlines import add_months
from bot.models import OutboundEmail
from bot.own_erasure import ERASED
from bot.requests import RequestType
from tests.support.person_data import (BOB, JANE, add_caseless_letter, chat_events, closed, dump, every_row,
                                       lines_with, open_case_of, verified_and_claimed)
from tests.test_console_support import DPO, agent, app, dpo, post, staff_accounts  # noqa: F401

ERASURE = (RequestType.ERASURE,)


def jane_asks_for_erasure(store: str) -> tuple[str, str]:
    """Jane's old access case (closed), a letter of hers without a case, and her erasure case in review."""
    old = open_case_of(store, JANE)
    closed(store, old)
    add_caseless_letter(store, JANE, "caseless-jane")
    erasure = open_case_of(store, JANE, ERASURE, letter=False, chat=False)
    verified_and_claimed(store, erasure)
    return old, erasure


def fulfil_erasing(store: str, reference: str):
    with db.session_scope(store) as session:
        return cases.fulfil(session, reference, actor=DPO, note="Erased", erase_own_data=True).id


def test_erasure_reaches_her_other_cases_letters_and_chats_but_not_her_confirmation(any_store):
    old, erasure = jane_asks_for_erasure(any_store)
    bob = open_case_of(any_store, BOB)
    bob_before = lines_with(dump(any_store), BOB)

    erasure_id = fulfil_erasing(any_store, erasure)

    after = dump(any_store)
    assert lines_with(after, BOB) == bob_before
    # What still names her belongs to the erasure case itself (its row, its requests, its queued confirmation).
    naming_her = [(table, row) for table, row in every_row(any_store) if lines_with(str(row), JANE)]
    assert naming_her and all(row.get("case_id") == erasure_id or (table, row["id"]) == ("cases", erasure_id)
                              for table, row in naming_her), naming_her
    assert chat_events(any_store, JANE.conversation) == 0 and chat_events(any_store, BOB.conversation) == 2
    with db.session_scope(any_store) as session:
        assert cases.get_case(session, old).requester_email is None
        assert cases.get_case(session, bob).requester_email == BOB.email
        case = cases.get_case(session, erasure)
        assert (case.status, case.requester_email) == ("fulfilled", JANE.email)
        confirmation = session.execute(select(OutboundEmail).where(OutboundEmail.case_id == case.id,
                                                                   OutboundEmail.kind == "fulfilment")).scalar_one()
        assert (confirmation.status, confirmation.to_address) == ("queued", JANE.email)
        erased = next(e for e in case.events if e.action == ERASED)
        assert erased.actor == DPO and erased.data["references"] == [old]
        assert erased.data["counts"]["letters"] == 2 and erased.data["counts"]["requester_details"] == 3
        assert lines_with(str(erased.data), JANE) == []


def test_after_the_erasure_case_retention_leaves_nothing_of_her(any_store):
    _, erasure = jane_asks_for_erasure(any_store)
    fulfil_erasing(any_store, erasure)
    with db.session_scope(any_store) as session:
        closed_at = cases.get_case(session, erasure).closed_at
        retention.purge(session, now=add_months(closed_at, 12) + timedelta(days=1))
    assert lines_with(dump(any_store), JANE) == []


def _rows_naming(store, person) -> int:
    return len(lines_with(dump(store), person))


def test_an_open_case_of_hers_stops_the_erasure_and_is_named(store):
    old, erasure = jane_asks_for_erasure(store)
    still_open = open_case_of(store, JANE, (RequestType.OBJECTION,), letter=False, chat=False)
    before = _rows_naming(store, JANE)
    with pytest.raises(cases.CaseConflict, match=still_open):
        fulfil_erasing(store, erasure)
    assert _rows_naming(store, JANE) == before
    with db.session_scope(store) as session:
        assert cases.get_case(session, erasure).status == "in_review"


def test_only_an_erasure_case_can_erase_own_data(store):
    reference = open_case_of(store, JANE, letter=False, chat=False)
    verified_and_claimed(store, reference, levels="email,phone")
    with pytest.raises(cases.CaseConflict, match="no erasure request"):
        fulfil_erasing(store, reference)


def test_contact_details_never_proven_match_nobody(store):
    other = open_case_of(store, JANE, letter=False, chat=False)
    closed(store, other)
    erasure = open_case_of(store, JANE, ERASURE, letter=False, chat=False)
    verified_and_claimed(store, erasure, levels="")  # an erasure needs a proof; without one nothing is matched
    with pytest.raises(cases.CaseConflict, match="no proven email address or phone"):
        fulfil_erasing(store, erasure)


# ---- command line and console ----

def test_the_command_line_erases_and_says_what(store, capsys):
    from bot.cli import main

    old, erasure = jane_asks_for_erasure(store)
    assert main(["case", "fulfil", erasure, "--erase-own-data", "--as", DPO]) == 0
    out = capsys.readouterr().out
    assert f"Case {erasure} fulfilled" in out and old in out and JANE.email not in out


def test_the_command_line_refusal_is_one_line(store, capsys):
    from bot.cli import main

    _, erasure = jane_asks_for_erasure(store)
    still_open = open_case_of(store, JANE, (RequestType.OBJECTION,), letter=False, chat=False)
    assert main(["case", "fulfil", erasure, "--erase-own-data", "--as", DPO]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and still_open in err and "Traceback" not in err


def test_the_console_offers_it_on_an_erasure_case_only(dpo, staff_accounts):
    old, erasure = jane_asks_for_erasure(staff_accounts)
    assert "Also erase what Privacy Desk holds about this person" in dpo.get(f"/console/cases/{erasure}").text
    assert "Also erase what Privacy Desk holds" not in dpo.get(f"/console/cases/{old}").text
    response = post(dpo, f"/console/cases/{erasure}/fulfil", note="Erased", erase_own_data="yes")
    assert response.status_code == 303
    assert "own data about them is erased" in dpo.get(response.headers["location"]).text
    with db.session_scope(staff_accounts) as session:
        assert cases.get_case(session, old).requester_email is None
        assert any(e.action == ERASED and e.actor == DPO for e in cases.get_case(session, erasure).events)


def test_the_console_shows_why_it_cannot_erase_and_an_agent_cannot_at_all(dpo, agent, staff_accounts):
    _, erasure = jane_asks_for_erasure(staff_accounts)
    still_open = open_case_of(staff_accounts, JANE, (RequestType.OBJECTION,), letter=False, chat=False)
    assert post(agent, f"/console/cases/{erasure}/fulfil", erase_own_data="yes").status_code == 403
    response = post(dpo, f"/console/cases/{erasure}/fulfil", note="Erased", erase_own_data="yes")
    assert response.status_code == 409 and still_open in response.text
    assert 'name="erase_own_data" value="yes" aria-describedby="erase-own-hint" checked' in response.text
