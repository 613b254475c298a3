"""Shared fixtures: a fresh case store per test (SQLite file by default)."""
from __future__ import annotations

import pytest

from bot import db


@pytest.fixture
def store(tmp_path, monkeypatch) -> str:
    """URL of a new, migrated case store; also set as PRIVACY_DESK_DATABASE_URL for code under test."""
    url = f"sqlite:///{tmp_path / 'privacy_desk.db'}"
    monkeypatch.setenv("PRIVACY_DESK_DATABASE_URL", url)
    db.upgrade(url)
    return url


@pytest.fixture
def session(store):
    """A session on the fresh store, committed at the end of the test."""
    with db.session_scope(store) as session:
        yield session


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server for the whole run (see tests/support/postgres.py)."""
    from tests.support.postgres import start_postgres

    server = start_postgres()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_store(request, tmp_path, monkeypatch) -> str:
    """The store suite runs on both databases Privacy Desk supports."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'privacy_desk.db'}"
    else:
        url = request.getfixturevalue("postgres").create_database()
    monkeypatch.setenv("PRIVACY_DESK_DATABASE_URL", url)
    db.upgrade(url)
    return url
