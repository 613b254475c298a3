"""The copy of a person's data from the case page: offered to the DPO on a verified access case, confirmed,
downloaded as a zip that no cache keeps, and recorded in the audit trail."""
from __future__ import annotations

import io
import json
import zipfile

from starlette.testclient import TestClient

from bot import db, export, staff
from bot.console.app import create_app
from bot.requests import RequestType
from tests.test_console_support import (DPO, PASSWORD, agent, app, client, csrf, dpo, events,  # noqa: F401
                                        in_review, open_case, post, signed_in, staff_accounts)
from tests.test_export import JANES, OTHERS, make_people

BUTTON = "Export the requester's data"


def exports_of(store: str, reference: str) -> list[tuple[str, str, str | None]]:
    return [e for e in events(store, reference) if e[1] == export.EXPORTED]


def test_the_dpo_sees_the_export_button_on_a_verified_access_case(dpo, staff_accounts):
    reference = open_case(staff_accounts)
    in_review(staff_accounts, reference)
    html = dpo.get(f"/console/cases/{reference}").text
    assert BUTTON in html and f'action="/console/cases/{reference}/export" method="get"' in html


def test_an_unverified_access_case_says_why_there_is_no_export_yet(dpo, staff_accounts):
    reference = open_case(staff_accounts)
    html = dpo.get(f"/console/cases/{reference}").text
    assert BUTTON not in html and "is not verified" in html


def test_a_case_that_asks_for_no_copy_offers_no_export(dpo, staff_accounts):
    reference = open_case(staff_accounts, types=(RequestType.ERASURE,))
    in_review(staff_accounts, reference)
    html = dpo.get(f"/console/cases/{reference}").text
    assert BUTTON not in html and "Copy of the requester" not in html


def test_an_agent_is_told_only_the_dpo_exports(agent, staff_accounts):
    reference = open_case(staff_accounts)
    in_review(staff_accounts, reference)
    html = agent.get(f"/console/cases/{reference}").text
    assert BUTTON not in html and "Only the DPO can export" in html
    assert agent.get(f"/console/cases/{reference}/export").status_code == 403
    assert post(agent, f"/console/cases/{reference}/export").status_code == 403
    assert exports_of(staff_accounts, reference) == []


def test_the_confirmation_page_says_what_the_package_holds(dpo, staff_accounts):
    people = make_people(staff_accounts)
    page = dpo.get(f"/console/cases/{people.chat_case}/export")
    assert page.status_code == 200
    assert people.email_case in page.text and people.other_case not in page.text
    assert "Download the export (zip)" in page.text and 'name="csrf_token"' in page.text
    assert exports_of(staff_accounts, people.chat_case) == []  # looking is not exporting


def test_download_is_a_private_zip_and_is_in_the_audit_trail(dpo, staff_accounts):
    people = make_people(staff_accounts)
    response = post(dpo, f"/console/cases/{people.chat_case}/export")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"].startswith(f'attachment; filename="privacy-desk-export-'
                                                              f'{people.chat_case}-')
    assert response.headers["cache-control"] == "no-store"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        doc = json.loads(archive.read("export.json"))
        html = archive.read("summary.html").decode("utf-8")
    assert {c["reference"] for c in doc["cases"]} == {people.chat_case, people.email_case}
    assert all(text in html for text in JANES) and not any(text in html for text in OTHERS)
    [(actor, _, _)] = exports_of(staff_accounts, people.chat_case)
    assert actor == DPO


def test_the_download_needs_this_sessions_csrf_token(dpo, staff_accounts):
    reference = open_case(staff_accounts)
    in_review(staff_accounts, reference)
    for token in ({"csrf_token": ""}, {"csrf_token": "forged"}):
        response = dpo.post(f"/console/cases/{reference}/export", data=token)
        assert response.status_code == 403 and "security token" in response.text
    assert exports_of(staff_accounts, reference) == []


def test_an_unverified_case_is_refused_on_the_case_page(dpo, staff_accounts):
    reference = open_case(staff_accounts)
    assert dpo.get(f"/console/cases/{reference}/export").status_code == 409
    response = post(dpo, f"/console/cases/{reference}/export")
    assert response.status_code == 409 and "is not verified" in response.text
    assert response.headers["content-type"].startswith("text/html")
    assert exports_of(staff_accounts, reference) == []


def test_the_download_works_on_either_store(any_store, monkeypatch):
    monkeypatch.setenv("PRIVACY_DESK_SECRET_KEY", "test-secret-" + "x" * 40)
    with db.session_scope(any_store) as session:
        staff.add_staff(session, DPO, "dpo", PASSWORD)
    client = signed_in(TestClient(create_app(any_store, extra_routes=[]), follow_redirects=False), DPO)
    people = make_people(any_store)
    response = client.post(f"/console/cases/{people.chat_case}/export", data={"csrf_token": csrf(client)})
    assert response.status_code == 200 and response.content.startswith(b"PK")
    assert [actor for actor, _, _ in exports_of(any_store, people.chat_case)] == [DPO]
