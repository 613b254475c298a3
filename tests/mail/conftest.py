"""Fixtures for the mail intake tests: a real Dovecot for the run, a fresh mailbox per test, and the
stand-in assistant speaking Rasa's REST webhook protocol."""
from __future__ import annotations

import pytest

from mail_ingest.reading import Reader, one_by_one
from tests.mail.agent_standin import StandInAgent, classify
from tests.mail.dovecot import start_dovecot


@pytest.fixture(scope="session")
def dovecot():
    server = start_dovecot()
    yield server
    server.destroy()


@pytest.fixture
def mailbox(dovecot, monkeypatch):
    """A new, empty mailbox on the shared Dovecot; its PRIVACY_DESK_IMAP_* settings are set."""
    user = dovecot.new_user()
    for name, value in user.env().items():
        monkeypatch.setenv(name, value)
    return user


@pytest.fixture
def agent(monkeypatch):
    standin = StandInAgent().start()
    host, port = standin.url.split("/")[2].split(":")
    monkeypatch.setenv("PRIVACY_DESK_RASA_HOST", host)
    monkeypatch.setenv("PRIVACY_DESK_RASA_PORT", port)
    yield standin
    standin.stop()


@pytest.fixture
def reader():
    """Keyword classification standing in for the trained model: these tests are about the mail pipeline."""
    return Reader(classify=one_by_one(classify))
