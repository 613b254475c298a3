"""Fixtures and helpers shared by the staff console tests (imported by tests/test_console_*.py; no tests here).

A console is the real Starlette app on a fresh store, driven with Starlette's TestClient; staff sign in
through the login form exactly as a browser does.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from starlette.testclient import TestClient

from bot import cases, db, staff
from bot.console.app import create_app
from bot.requests import Channel, RequestType

PASSWORD = "a long staff password"
DPO, AGENT = "Dana Officer", "Alex Agent"


@pytest.fixture
def staff_accounts(store):
    with db.session_scope(store) as session:
        staff.add_staff(session, DPO, "dpo", PASSWORD)
        staff.add_staff(session, AGENT, "agent", PASSWORD)
    return store


@pytest.fixture
def app(staff_accounts, monkeypatch):
    monkeypatch.setenv("PRIVACY_DESK_SECRET_KEY", "test-secret-" + "x" * 40)
    return create_app(staff_accounts, extra_routes=[])


@pytest.fixture
def client(app):
    return TestClient(app, follow_redirects=False)


@pytest.fixture
def dpo(app):
    return signed_in(TestClient(app, follow_redirects=False), DPO)


@pytest.fixture
def agent(app):
    return signed_in(TestClient(app, follow_redirects=False), AGENT)


def login_token(client: TestClient) -> str:
    return csrf_of(client.get("/console/login").text)


def signed_in(client: TestClient, name: str, password: str = PASSWORD) -> TestClient:
    response = client.post("/console/login", data={"csrf_token": login_token(client), "name": name,
                                                   "password": password, "next": "/console/queue"})
    assert response.status_code == 303, response.text
    return client


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def csrf(client: TestClient) -> str:
    return csrf_of(client.get("/console/queue").text)


def post(client: TestClient, path: str, **fields) -> "object":
    """A console form as the browser sends it: with this session's CSRF token."""
    return client.post(path, data={"csrf_token": csrf(client), **fields})


def open_case(store: str, *, types=(RequestType.ACCESS,), channel=Channel.EMAIL, language="en",
              name="Jane Requester", email="jane@example.org", phone=None, details=None,
              received_at: datetime | None = None, needs_human=False) -> str:
    new = cases.NewRequest(request_types=list(types), channel=channel, language=language, name=name, email=email,
                           phone=phone, details=details or {}, needs_human=needs_human,
                           received_at=received_at or datetime.now(timezone.utc))
    with db.session_scope(store) as session:
        return cases.open_case(session, new).case.reference


def ago(days: float) -> datetime:
    return datetime.now(timezone.utc) - timedelta(days=days)


def in_review(store: str, reference: str, who: str = AGENT) -> None:
    """Identity proven and claimed: the state in which staff decide a request."""
    from bot.lifecycle import Status, transition

    with db.session_scope(store) as session:
        case = cases.get_case(session, reference)
        case.verification_level = "email,phone"
        transition(session, case, Status.VERIFIED, actor="test")
        cases.claim(session, reference, staff=who)


def events(store: str, reference: str) -> list[tuple[str, str, str | None]]:
    """(actor, action, reason) of each audit event, oldest first."""
    with db.session_scope(store) as session:
        return [(e.actor, e.action, e.reason) for e in cases.get_case(session, reference).events]


def status_of(store: str, reference: str) -> str:
    with db.session_scope(store) as session:
        return cases.get_case(session, reference).status
