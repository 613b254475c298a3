"""What the repository must never hold: databases (they hold requesters' data), trained models (built, and large),
secrets and credentials. Nothing of the kind is tracked, and .gitignore keeps new ones out."""
from __future__ import annotations

import shutil
import subprocess
from fnmatch import fnmatch
from pathlib import PurePosixPath

import pytest

from bot.settings import PROJECT_DIR

FORBIDDEN = {
    "a database": ["*.db", "*.db-journal", "*.db-wal", "*.db-shm", "*.sqlite", "*.sqlite3", "*.sqlite-*"],
    "a trained model": ["models/*", "*.tar.gz"],
    "a secret or credential": ["secret_key", "rasa_api_token", ".env", ".env.*", "*.pem", "*.key", "*.p12",
                               "*.pfx", "*.jks", "id_rsa*", "id_dsa*", "id_ecdsa*", "id_ed25519*", ".htpasswd",
                               ".pgpass", ".netrc"],
}
# Where such files appear when Privacy Desk runs, is trained, or is deployed.
MUST_BE_IGNORED = ["var/privacy_desk.db", "var/privacy_desk.db-wal", "var/privacy_desk.db-shm", "var/secret_key",
                   "models/privacy-desk.tar.gz", "models/20260101-120000.tar.gz", "rasa.db", "tracker.sqlite",
                   "secret_key", "rasa_api_token", ".env", ".env.production", "deploy/privacy.example.com.pem",
                   "deploy/privacy.example.com.key", "id_rsa", "id_ed25519.pub"]


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=PROJECT_DIR, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def checkout():
    if shutil.which("git") is None:
        pytest.skip("git is not installed, so there is no repository to check")
    try:
        _git("rev-parse", "--is-inside-work-tree")
    except subprocess.CalledProcessError:
        pytest.skip(f"{PROJECT_DIR} is not a git checkout (an unpacked release): there is no repository to check")
    return PROJECT_DIR


def what_it_is(path: str) -> str | None:
    name = PurePosixPath(path).name
    for kind, patterns in FORBIDDEN.items():
        if any(fnmatch(path, pattern) or fnmatch(name, pattern) for pattern in patterns):
            return kind
    return None


def test_no_tracked_file_is_a_database_a_model_or_a_secret(checkout):
    tracked = _git("ls-files", "-z").split("\0")
    assert len(tracked) > 50  # the listing really is the project's
    found = {path: what_it_is(path) for path in tracked if what_it_is(path)}
    assert found == {}, "remove these from the repository (git rm --cached) and keep them out: " + \
        ", ".join(f"{path} ({kind})" for path, kind in found.items())


def test_gitignore_keeps_them_out(checkout):
    # --no-index: what a new file at that path would be, whether or not something is tracked there now.
    check = subprocess.run(["git", "check-ignore", "--no-index", "--verbose", "--non-matching", *MUST_BE_IGNORED],
                           cwd=checkout, capture_output=True, text=True)
    not_ignored = [line.split("\t", 1)[1] for line in check.stdout.splitlines() if line.startswith("::")]
    assert not_ignored == [], f".gitignore does not cover {not_ignored}"


def test_the_rules_recognise_what_they_are_for():
    assert what_it_is("var/privacy_desk.db") == "a database"
    assert what_it_is("models/privacy-desk.tar.gz") == "a trained model"
    assert what_it_is("deploy/secret_key") == "a secret or credential"
    assert what_it_is("bot/secret.py") is None and what_it_is("credentials.yml") is None  # code and Rasa config
