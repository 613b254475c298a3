"""The queue page: order, colours, filters, bulk claim and assign, and the CSV export."""
from __future__ import annotations

import csv
import io
import re

import pytest

from bot import cases, db
from bot.console.csv_export import safe_cell
from bot.requests import Channel, RequestType
from tests.test_console_support import (AGENT, DPO, ago, agent, app, client, dpo, events, in_review,  # noqa: F401
                                        open_case, post, staff_accounts)
from tests.test_console_support import csrf as _token


def _references(html: str) -> list[str]:
    return re.findall(r'<a href="/console/cases/(PD-[0-9A-Z-]+)">', html)


def _row(html: str, reference: str) -> str:
    start = html.index(f'value="{reference}"')
    return html[html.rfind("<tr", 0, start):html.index("</tr>", start)]


def test_cases_are_listed_most_urgent_first_with_days_left_coloured(dpo, staff_accounts):
    overdue = open_case(staff_accounts, received_at=ago(40), email="a@example.org")
    red = open_case(staff_accounts, received_at=ago(28), email="b@example.org")
    amber = open_case(staff_accounts, received_at=ago(23), email="c@example.org")
    green = open_case(staff_accounts, received_at=ago(1), email="d@example.org")
    html = dpo.get("/console/queue").text
    assert _references(html) == [overdue, red, amber, green]
    assert 'class="days overdue">Overdue by' in _row(html, overdue)
    assert 'class="days red"' in _row(html, red)
    assert 'class="days amber"' in _row(html, amber)
    assert 'class="days green"' in _row(html, green)


def test_the_queue_shows_which_cases_need_a_person_but_not_who_the_requesters_are(dpo, staff_accounts):
    flagged = open_case(staff_accounts, needs_human=True, name="Zoe Secretname")
    html = dpo.get("/console/queue").text
    assert "Needs a person" in _row(html, flagged)
    assert "Zoe Secretname" not in html and "jane@example.org" not in html


@pytest.fixture
def mixed(staff_accounts):
    """Four cases that differ in one way each."""
    refs = {
        "access_email_en": open_case(staff_accounts, email="a@example.org"),
        "erasure_chat_fr": open_case(staff_accounts, types=(RequestType.ERASURE,), channel=Channel.CHAT,
                                     language="fr", email="b@example.org"),
        "recording_phone_de": open_case(staff_accounts, types=(RequestType.CALL_RECORDING,), channel=Channel.PHONE,
                                        language="de", email="c@example.org", needs_human=True),
        "complaint_post_en": open_case(staff_accounts, types=(RequestType.COMPLAINT,), channel=Channel.POST,
                                       email="d@example.org"),
    }
    with db.session_scope(staff_accounts) as session:
        cases.claim(session, refs["complaint_post_en"], staff=AGENT)  # a complaint is verified at once
    return refs


@pytest.mark.parametrize("query, expected", [
    ("type=erasure", ["erasure_chat_fr"]),
    ("channel=phone", ["recording_phone_de"]),
    ("language=en", ["access_email_en", "complaint_post_en"]),
    ("assignee=Alex+Agent", ["complaint_post_en"]),
    ("assignee=-", ["access_email_en", "erasure_chat_fr", "recording_phone_de"]),
    ("status=in_review", ["complaint_post_en"]),
    ("needs_human=1", ["recording_phone_de"]),
    ("type=access&language=fr", []),
])
def test_the_queue_filters(dpo, mixed, query, expected):
    html = dpo.get(f"/console/queue?{query}").text
    assert sorted(_references(html)) == sorted(mixed[name] for name in expected)


def test_closed_cases_show_only_when_asked_for(dpo, mixed, staff_accounts):
    with db.session_scope(staff_accounts) as session:
        cases.fulfil(session, mixed["complaint_post_en"], actor=DPO)
    assert mixed["complaint_post_en"] not in dpo.get("/console/queue").text
    assert mixed["complaint_post_en"] in dpo.get("/console/queue?status=all").text
    assert _references(dpo.get("/console/queue?status=fulfilled").text) == [mixed["complaint_post_en"]]


@pytest.mark.parametrize("query", ["status=open%3Bdrop", "type=teleport", "channel=fax", "language=english"])
def test_a_filter_the_queue_does_not_know_is_a_clear_400(dpo, query):
    response = dpo.get(f"/console/queue?{query}")
    assert response.status_code == 400 and "cannot be filtered by that" in response.text


def test_bulk_claim_claims_each_case_and_reports_the_ones_it_could_not(agent, mixed, staff_accounts):
    chosen = [mixed["access_email_en"], mixed["erasure_chat_fr"], mixed["complaint_post_en"]]
    response = agent.post("/console/queue/bulk", data={"csrf_token": _token(agent), "bulk": "claim",
                                                       "reference": chosen})
    assert response.status_code == 303
    message = agent.get(response.headers["location"]).text
    assert f"Claimed: {mixed['access_email_en']}, {mixed['erasure_chat_fr']}." in message
    assert "already claimed by Alex Agent" in message
    assert (AGENT, "claimed", None) in events(staff_accounts, mixed["erasure_chat_fr"])


def test_bulk_assign_gives_cases_to_an_active_colleague_only(dpo, mixed, staff_accounts):
    chosen = [mixed["access_email_en"], mixed["erasure_chat_fr"]]
    dpo.post("/console/queue/bulk", data={"csrf_token": _token(dpo), "bulk": "assign", "to": AGENT,
                                          "reference": chosen})
    html = dpo.get("/console/queue?assignee=Alex+Agent").text
    assert sorted(_references(html)) == sorted(chosen + [mixed["complaint_post_en"]])
    assert any(e[:2] == (DPO, "assigned") for e in events(staff_accounts, chosen[0]))
    response = dpo.post("/console/queue/bulk", data={"csrf_token": _token(dpo), "bulk": "assign",
                                                     "to": "Mallory", "reference": chosen[0]})
    assert "not an active staff member" in dpo.get(response.headers["location"]).text


def _csv(response) -> list[dict]:
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_export_follows_the_filters_and_holds_no_requester_details(agent, mixed):
    rows = _csv(agent.get("/console/queue.csv?language=en"))
    assert sorted(r["reference"] for r in rows) == sorted([mixed["access_email_en"], mixed["complaint_post_en"]])
    assert set(rows[0]) == {"reference", "status", "request_types", "channel", "language", "received_at",
                            "due_at", "days_left", "assignee", "needs_human"}
    assert "example.org" not in agent.get("/console/queue.csv").text


def test_only_the_dpo_exports_requesters_details_and_it_is_in_the_audit_trail(dpo, agent, mixed, staff_accounts):
    refused = post(agent, "/console/queue-with-requesters.csv")
    assert refused.status_code == 403 and "Only the DPO can export" in refused.text
    rows = _csv(post(dpo, "/console/queue-with-requesters.csv?channel=chat"))
    assert [(r["reference"], r["requester_email"]) for r in rows] == [(mixed["erasure_chat_fr"], "b@example.org")]
    assert (DPO, "exported_with_personal_data") in [e[:2] for e in events(staff_accounts, mixed["erasure_chat_fr"])]
    assert "exported_with_personal_data" not in [e[1] for e in events(staff_accounts, mixed["access_email_en"])]


def test_a_requesters_name_cannot_become_a_spreadsheet_formula(dpo, staff_accounts):
    open_case(staff_accounts, name='=HYPERLINK("http://evil.example","click")', email="f@example.org")
    open_case(staff_accounts, name="@SUM(1+1)", email="g@example.org", received_at=ago(2))
    rows = _csv(post(dpo, "/console/queue-with-requesters.csv"))
    assert sorted(r["requester_name"] for r in rows) == ["'=HYPERLINK(\"http://evil.example\",\"click\")",
                                                         "'@SUM(1+1)"]


@pytest.mark.parametrize("value, written", [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"),
                                            ("\tx", "'\tx"), ("Jane", "Jane"), (-3, "-3"), (None, ""),
                                            (True, "yes"), (["access", "erasure"], "access erasure")])
def test_cells_that_start_like_a_formula_are_quoted(value, written):
    assert safe_cell(value) == written


def test_jump_to_a_case_by_reference_as_people_type_it(dpo, staff_accounts):
    reference = open_case(staff_accounts)
    typed = reference.lower().replace("-", " ")
    assert dpo.get(f"/console/find?reference={typed}").headers["location"] == f"/console/cases/{reference}"
    response = dpo.get("/console/find?reference=<script>")
    assert "not a case reference" in dpo.get(response.headers["location"]).text


def test_reviewing_queue_after_claim_shows_the_assignee(dpo, staff_accounts):
    reference = open_case(staff_accounts)
    in_review(staff_accounts, reference)
    assert AGENT in _row(dpo.get("/console/queue").text, reference)


def test_a_ticked_case_that_is_not_a_reference_is_refused(dpo):
    response = post(dpo, "/console/queue/bulk", bulk="claim", reference="x" * 500)
    assert response.status_code == 400 and "not a case reference" in response.text
