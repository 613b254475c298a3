"""Shared fixtures: a fresh case store per test (SQLite file by default)."""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import pytest

from bot import db

# Tests never read or write the state folder of whoever runs them (generated secrets live there, and an old
# var/secret_key would be moved into it); servers started by tests inherit this too.
os.environ["PRIVACY_DESK_STATE_DIR"] = tempfile.mkdtemp(prefix="privacy-desk-test-state-")
atexit.register(shutil.rmtree, os.environ["PRIVACY_DESK_STATE_DIR"], ignore_errors=True)


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


# ---- no personal data in the logs of end-to-end tests (tests/support/log_hygiene.py) --------------------------------
PERSONAL_DATA_FREE_LOGS = "personal_data_free_logs"
# The end-to-end suites of mail, verification and the widget: every test in them is checked.
END_TO_END_SUITES = ("tests/mail/", "tests/browser/", "tests/test_widget.py", "tests/test_verification.py",
                     "tests/test_verification_cli.py", "tests/test_verify_page.py", "tests/test_outbox_smtp.py")


def pytest_configure(config):
    config.addinivalue_line("markers", f"{PERSONAL_DATA_FREE_LOGS}: fail the test when its logs name an email "
                                       "address, a phone number or a verification code")


def pytest_collection_modifyitems(config, items):
    root = config.rootpath
    for item in items:
        path = item.path.relative_to(root).as_posix() if item.path.is_relative_to(root) else ""
        if path.startswith(END_TO_END_SUITES):
            item.add_marker(PERSONAL_DATA_FREE_LOGS)


@pytest.fixture(autouse=True)
def personal_data_free_logs(request, monkeypatch):
    """For marked tests: a LogWatch (watch_file(path) adds server output); the test fails on personal data."""
    if request.node.get_closest_marker(PERSONAL_DATA_FREE_LOGS) is None:
        yield None
        return
    from tests.support.log_hygiene import LogWatch

    with LogWatch(monkeypatch) as watch:
        yield watch
    problems = watch.problems()
    if problems:
        pytest.fail("personal data in the logs of this test:\n" + "\n".join(problems), pytrace=False)
