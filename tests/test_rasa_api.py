"""Rasa's HTTP API, as `privacy-desk run` starts it, answers only requests carrying Privacy Desk's token, while the
channels (the REST webhook the mail poller uses) stay open; the token is on no command line.

Starts the real Rasa server and action server (needs the trained model in models/)."""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from bot import secret
from tests.support.desk import needs_model, own_store, running

pytestmark = pytest.mark.rasa

CONFIGURED = "configured-api-token-" + "q" * 32


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as refused:
        return refused.code


def with_token(url: str, token: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode({'token': token})}"


@pytest.fixture(scope="module", params=["generated", "configured"])
def desk(request, tmp_path_factory):
    """One Rasa server (and action server) for the module, with a generated token or a configured one."""
    needs_model()
    folder = tmp_path_factory.mktemp(f"rasa-api-{request.param}")
    with pytest.MonkeyPatch.context() as monkeypatch:
        own_store(folder, monkeypatch, "api-test-secret-" + "k" * 32)
        if request.param == "configured":
            monkeypatch.setenv("PRIVACY_DESK_RASA_API_TOKEN", CONFIGURED)
        else:
            monkeypatch.delenv("PRIVACY_DESK_RASA_API_TOKEN", raising=False)
        with running(folder, monkeypatch, "actions", "rasa") as desk:
            yield desk


def test_the_api_needs_the_token_and_the_channels_do_not(desk):
    token = secret.rasa_api_token()
    if token != CONFIGURED:
        assert (desk.folder / "state" / "rasa_api_token").read_text() == token  # generated, kept outside the project
    for path in ("/status", "/conversations/some-visitor/tracker", "/domain"):
        url = desk.rasa_url + path
        assert status(url) == 401, path
        assert status(with_token(url, "not-" + token)) == 401, path
        assert status(with_token(url, token)) == 200, path

    # The REST channel the mail poller speaks to needs no token.
    request = urllib.request.Request(f"{desk.rasa_url}/webhooks/rest/webhook", method="POST",
                                     data=json.dumps({"sender": "api-visitor", "message": "hello"}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        assert response.status == 200 and json.loads(response.read())  # and the assistant answered


def test_the_token_is_on_no_command_line(desk):
    token = secret.rasa_api_token()
    rasa = desk.processes["rasa"]
    seen = Path(f"/proc/{rasa.pid}/cmdline").read_bytes().split(b"\0")
    assert b"--enable-api" in seen  # the Rasa server itself, with its API on
    command_lines = [p.read_bytes() for p in Path("/proc").glob("[0-9]*/cmdline") if _readable(p)]
    assert not [line for line in command_lines if token.encode() in line]
    assert token not in desk.log("rasa")


def _readable(path: Path) -> bool:
    try:
        path.read_bytes()
        return True
    except OSError:
        return False


@pytest.mark.parametrize("token", ["-starts-with-a-dash", "--looks-like-an-option", "plain-token"])
def test_rasa_reads_any_generated_token_as_the_tokens_value(monkeypatch, token):
    # token_urlsafe() starts a token with "-" one time in 64; Rasa must still start, with exactly that token.
    from rasa.__main__ import create_argument_parser

    from assistant.rasa_server import rasa_arguments

    monkeypatch.setenv("PRIVACY_DESK_RASA_API_TOKEN", token)
    parsed = create_argument_parser().parse_args(rasa_arguments(["--port", "5005"]))
    assert (parsed.auth_token, parsed.port) == (token, 5005)
