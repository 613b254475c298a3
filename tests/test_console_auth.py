"""Signing in and out of the console, session expiry, sign-in throttling, CSRF, and the security headers."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update
from starlette.routing import Route

from bot import db, staff
from bot.console import auth
from bot.models import utcnow
from bot.staff_models import LoginThrottle, StaffSession
from tests.test_console_support import (AGENT, DPO, PASSWORD, agent, app, client, csrf, dpo, login_token,  # noqa: F401
                                        open_case, post, signed_in, staff_accounts)


def test_pages_send_strangers_to_the_sign_in_page(client):
    response = client.get("/console/queue")
    assert response.status_code == 303
    assert response.headers["location"] == "/console/login?next=/console/queue"
    assert client.get("/console/cases/PD-0000-0000").status_code == 303
    assert client.get("/console/queue.csv").status_code == 303


def test_staff_sign_in_and_land_where_they_were_going(client):
    token = login_token(client)
    response = client.post("/console/login", data={"csrf_token": token, "name": DPO, "password": PASSWORD,
                                                   "next": "/console/dashboard"})
    assert response.status_code == 303 and response.headers["location"] == "/console/dashboard"
    page = client.get("/console/dashboard")
    assert page.status_code == 200 and DPO in page.text and "Sign out" in page.text


@pytest.mark.parametrize("next_path", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_sign_in_never_redirects_to_another_site(client, next_path):
    response = client.post("/console/login", data={"csrf_token": login_token(client), "name": DPO,
                                                   "password": PASSWORD, "next": next_path})
    assert response.headers["location"] == "/console/queue"


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client):
    for name in (DPO, "Nobody At All"):
        response = client.post("/console/login", data={"csrf_token": login_token(client), "name": name,
                                                       "password": "not the password"})
        assert response.status_code == 401
        assert "do not match an active staff account" in response.text
    assert client.get("/console/queue").status_code == 303


def test_sign_in_is_throttled_after_repeated_failures_even_with_the_right_password(client, staff_accounts):
    for _ in range(auth.FAILURES_PER_NAME):
        client.post("/console/login", data={"csrf_token": login_token(client), "name": AGENT, "password": "wrong"})
    response = client.post("/console/login", data={"csrf_token": login_token(client), "name": AGENT,
                                                   "password": PASSWORD})
    assert response.status_code == 429 and "Too many failed sign-ins" in response.text
    with db.session_scope(staff_accounts) as session:  # after the lockout the account works again
        session.execute(update(LoginThrottle).values(locked_until=utcnow() - timedelta(seconds=1)))
    signed_in(client, AGENT)


def test_a_successful_sign_in_clears_the_count_of_failures(client, staff_accounts):
    for _ in range(auth.FAILURES_PER_NAME - 1):
        client.post("/console/login", data={"csrf_token": login_token(client), "name": AGENT, "password": "wrong"})
    signed_in(client, AGENT)
    with db.session_scope(staff_accounts) as session:
        assert session.get(LoginThrottle, "name:" + AGENT.lower()) is None


def test_sign_in_without_the_forms_token_is_refused(client):
    client.get("/console/login")
    response = client.post("/console/login", data={"name": DPO, "password": PASSWORD})
    assert response.status_code == 403 and "This form was refused" in response.text


def test_signing_out_ends_the_session_on_the_server(dpo):
    cookie = dpo.cookies.get("privacy_desk_console")
    response = post(dpo, "/console/logout")
    assert response.status_code == 303 and response.headers["location"] == "/console/login"
    assert "You are signed out" in dpo.get("/console/login").text
    dpo.cookies.set("privacy_desk_console", cookie, path="/console")  # a copy of the old cookie is worthless
    assert dpo.get("/console/queue").status_code == 303


def _age_sessions(store, **changes):
    with db.session_scope(store) as session:
        session.execute(update(StaffSession).values(**changes))


def test_a_session_expires_after_the_idle_time(dpo, staff_accounts, monkeypatch):
    monkeypatch.setenv("PRIVACY_DESK_CONSOLE_SESSION_MINUTES", "30")
    _age_sessions(staff_accounts, last_seen_at=utcnow() - timedelta(minutes=29))
    assert dpo.get("/console/queue").status_code == 200  # activity keeps it alive...
    _age_sessions(staff_accounts, last_seen_at=utcnow() - timedelta(minutes=31))
    assert dpo.get("/console/queue").status_code == 303  # ...idleness ends it


def test_a_session_ends_after_a_working_day_even_when_active(dpo, staff_accounts):
    _age_sessions(staff_accounts, created_at=utcnow() - auth.MAX_SESSION - timedelta(minutes=1))
    assert dpo.get("/console/queue").status_code == 303


def test_a_form_sent_after_the_session_ended_changes_nothing_and_says_so(dpo, staff_accounts):
    reference = open_case(staff_accounts)
    token = csrf(dpo)
    _age_sessions(staff_accounts, ended_at=utcnow())
    response = dpo.post(f"/console/cases/{reference}/note", data={"csrf_token": token, "text": "late"})
    assert response.status_code == 401 and "nothing was changed" in response.text


def test_disabling_an_account_ends_its_sessions_at_once(agent, staff_accounts):
    with db.session_scope(staff_accounts) as session:
        staff.disable_staff(session, AGENT)
    assert agent.get("/console/queue").status_code == 303
    response = agent.post("/console/login", data={"csrf_token": login_token(agent), "name": AGENT,
                                                  "password": PASSWORD})
    assert response.status_code == 401


def _post_routes(app) -> list[str]:
    return [route.path.replace("{reference}", "PD-0000-0000") for route in app.routes
            if isinstance(route, Route) and "POST" in (route.methods or ()) and route.path != "/console/login"]


def test_every_form_is_refused_without_the_sessions_csrf_token(app, dpo):
    paths = _post_routes(app)
    assert len(paths) >= 12  # logout, bulk, personal export and the nine case actions
    for path in paths:
        for data in ({}, {"csrf_token": "forged"}):
            response = dpo.post(path, data={**data, "text": "x", "reason": "x"})
            assert response.status_code == 403, path
            assert "This form was refused" in response.text and "Nothing was changed" in response.text


def test_a_form_posted_from_another_site_is_refused(dpo, staff_accounts):
    reference = open_case(staff_accounts)
    response = dpo.post(f"/console/cases/{reference}/note", data={"csrf_token": csrf(dpo), "text": "x"},
                        headers={"Origin": "https://evil.example"})
    assert response.status_code == 403


def test_staff_pages_are_never_cached_framed_or_given_inline_scripts(dpo, staff_accounts):
    reference = open_case(staff_accounts)
    for path in ("/console/queue", f"/console/cases/{reference}", "/console/dashboard", "/console/login"):
        headers = dpo.get(path).headers
        assert headers["cache-control"] == "no-store"
        assert headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "script-src 'self';" in headers["content-security-policy"]
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert headers["referrer-policy"] == "same-origin"


def test_the_session_cookie_is_http_only_and_scoped_to_the_console(client):
    cookie = client.get("/console/login").headers["set-cookie"]
    assert "httponly" in cookie.lower() and "path=/console" in cookie and "samesite=lax" in cookie.lower()


def test_secure_cookies_when_served_over_https(staff_accounts, monkeypatch):
    from starlette.testclient import TestClient

    from bot.console.app import create_app

    monkeypatch.setenv("PRIVACY_DESK_CONSOLE_SECURE_COOKIES", "true")
    client = TestClient(create_app(staff_accounts, extra_routes=[], secret="s" * 40), base_url="https://testserver")
    assert "secure" in client.get("/console/login").headers["set-cookie"].lower()


def test_unknown_pages_and_methods_get_a_plain_page(dpo):
    response = dpo.get("/console/nothing-here")
    assert response.status_code == 404 and "Page not found" in response.text
    assert dpo.get("/console/cases/PD-0000-0000/fulfil").status_code == 405


def test_after_sign_in_the_queue_opens_with_the_filters_that_were_asked_for(client):
    response = client.get("/console/queue?channel=chat&language=fr")
    assert response.headers["location"] == "/console/login?next=/console/queue%3Fchannel%3Dchat%26language%3Dfr"
    page = client.get(response.headers["location"]).text
    assert 'name="next" value="/console/queue?channel=chat&amp;language=fr"' in page
