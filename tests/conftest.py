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
