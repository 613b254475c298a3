"""The console on both databases Privacy Desk supports: sign in, the queue, claim, note, the dashboard."""
from __future__ import annotations

from starlette.testclient import TestClient

from bot import db, staff
from bot.console.app import create_app
from tests.test_console_support import DPO, PASSWORD, csrf, events, open_case, signed_in


def test_a_dpo_works_a_case_on_either_store(any_store, monkeypatch):
    monkeypatch.setenv("PRIVACY_DESK_SECRET_KEY", "test-secret-" + "x" * 40)
    with db.session_scope(any_store) as session:
        staff.add_staff(session, DPO, "dpo", PASSWORD)
    client = signed_in(TestClient(create_app(any_store, extra_routes=[]), follow_redirects=False), DPO)
    reference = open_case(any_store, name="Émile Zoé")
    assert reference in client.get("/console/queue?language=en&type=access").text
    client.post(f"/console/cases/{reference}/claim", data={"csrf_token": csrf(client)})
    client.post(f"/console/cases/{reference}/note", data={"csrf_token": csrf(client), "text": "Checked."})
    assert [e[:2] for e in events(any_store, reference)][-2:] == [(DPO, "claimed"), (DPO, "note")]
    assert "Émile Zoé" in client.get(f"/console/cases/{reference}").text
    assert client.get("/console/dashboard").status_code == 200
