"""Generated secrets (the server secret, Rasa's API token) live outside the project, owner-only, one value for every
process; an old var/secret_key is moved there so codes already sent stay valid."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from bot import secret, settings

RACE = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from bot import secret
    secret.LEGACY_SECRET_FILE = Path(sys.argv[1])
    go = Path(sys.argv[2])
    while not go.exists():
        time.sleep(0.001)
    print(secret.server_secret(), secret.rasa_api_token())
""")


@pytest.fixture
def state(tmp_path, monkeypatch) -> Path:
    """Nothing configured: secrets are generated, under XDG_STATE_HOME; no old file unless a test makes one."""
    for name in ("SECRET_KEY", "RASA_API_TOKEN", "STATE_DIR"):
        monkeypatch.delenv(settings.PREFIX + name, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.setattr(secret, "LEGACY_SECRET_FILE", tmp_path / "old-project" / "var" / "secret_key")
    return tmp_path / "xdg-state" / "privacy-desk"


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_generated_secrets_are_outside_the_project_and_owner_only(state):
    server, token = secret.server_secret(), secret.rasa_api_token()

    assert (state / "secret_key").read_text() == server and (state / "rasa_api_token").read_text() == token
    assert server != token and len(server) >= 32 and len(token) >= 32
    assert settings.PROJECT_DIR not in state.parents
    assert mode(state) == 0o700 and mode(state / "secret_key") == 0o600 and mode(state / "rasa_api_token") == 0o600
    assert (secret.server_secret(), secret.rasa_api_token()) == (server, token)  # kept, not made anew


def test_without_xdg_state_home_they_go_under_the_home_folder(state, tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_STATE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    token = secret.rasa_api_token()
    assert (tmp_path / "home" / ".local" / "state" / "privacy-desk" / "rasa_api_token").read_text() == token


def test_the_state_dir_setting_chooses_the_folder_and_tightens_it(state, tmp_path, monkeypatch):
    chosen = tmp_path / "srv-state"
    chosen.mkdir(mode=0o755)
    monkeypatch.setenv("PRIVACY_DESK_STATE_DIR", str(chosen))
    secret.server_secret()
    assert mode(chosen) == 0o700 and mode(chosen / "secret_key") == 0o600
    assert not state.exists()


def test_configured_values_are_used_and_nothing_is_written(state, monkeypatch):
    monkeypatch.setenv("PRIVACY_DESK_SECRET_KEY", "configured-secret-" + "s" * 32)
    monkeypatch.setenv("PRIVACY_DESK_RASA_API_TOKEN", "configured-token-" + "t" * 32)
    assert secret.server_secret() == "configured-secret-" + "s" * 32
    assert secret.rasa_api_token() == "configured-token-" + "t" * 32
    assert not state.exists()


def test_an_old_secret_in_the_project_is_moved_so_codes_already_sent_still_check(state):
    old = secret.LEGACY_SECRET_FILE
    old.parent.mkdir(parents=True)
    old.write_text("the-secret-of-an-earlier-version-" + "x" * 32)
    code_hash = secret.keyed_hash("verification-code", "123456")

    assert not old.exists()
    assert (state / "secret_key").read_text() == "the-secret-of-an-earlier-version-" + "x" * 32
    assert mode(state / "secret_key") == 0o600
    assert secret.keyed_hash("verification-code", "123456") == code_hash


def test_an_old_secret_with_another_value_is_left_alone(state):
    current = secret.server_secret()
    old = secret.LEGACY_SECRET_FILE
    old.parent.mkdir(parents=True)
    old.write_text("the-secret-of-another-copy-" + "y" * 32)
    assert secret.server_secret() == current
    assert old.exists()


@pytest.mark.parametrize("with_old_secret", [False, True])
def test_processes_starting_at_once_all_get_the_same_secrets(state, tmp_path, with_old_secret):
    old, go = secret.LEGACY_SECRET_FILE, tmp_path / "go"
    if with_old_secret:
        old.parent.mkdir(parents=True)
        old.write_text("the-secret-of-an-earlier-version-" + "z" * 32)
    racers = [subprocess.Popen([sys.executable, "-c", RACE, str(old), str(go)], cwd=settings.PROJECT_DIR,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(6)]
    time.sleep(1.5)  # let every one of them import and wait at the line
    go.touch()
    answers = []
    for racer in racers:
        out, err = racer.communicate(timeout=60)
        assert racer.returncode == 0, err
        answers.append(out.split())

    server, token = answers[0]
    assert all(answer == [server, token] for answer in answers)
    assert (state / "secret_key").read_text() == server and (state / "rasa_api_token").read_text() == token
    if with_old_secret:
        assert server == "the-secret-of-an-earlier-version-" + "z" * 32 and not old.exists()
    assert sorted(p.name for p in state.iterdir()) == ["rasa_api_token", "secret_key"]  # no leftovers
