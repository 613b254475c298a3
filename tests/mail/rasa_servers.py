"""The trained Rasa server and the action server, started on free loopback ports against a given case store
(for the end-to-end mail test and the mail benchmark). None of this runs without a model in models/."""
from __future__ import annotations

import os
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from tests.support.servers import BIN, PROJECT, free_port, latest_model, wait_until_up  # noqa: F401

@contextmanager
def rasa_servers(database_url: str, folder: Path, model: Path) -> Iterator[tuple[str, str]]:
    """(host, port) of a Rasa server whose actions use `database_url`; logs go to `folder`."""
    rasa_port, actions_port = free_port(), free_port()
    endpoints = folder / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n')
    env = {**os.environ, "PRIVACY_DESK_DATABASE_URL": database_url, "RASA_TELEMETRY_ENABLED": "false",
           "PRIVACY_DESK_ACTIONS_PORT": str(actions_port)}
    logs = [open(folder / name, "wb") for name in ("actions.log", "rasa.log")]
    actions = subprocess.Popen([str(BIN / "rasa"), "run", "actions", "--port", str(actions_port)], cwd=PROJECT,
                               env=env, stdout=logs[0], stderr=subprocess.STDOUT)
    # As privacy-desk run starts it (assistant.rasa_server: `rasa run` plus the token and the compiled check).
    rasa = subprocess.Popen([str(BIN / "python"), "-m", "assistant.rasa_server", "--model", str(model), "--port",
                             str(rasa_port),
                             "--interface", "127.0.0.1", "--endpoints", str(endpoints),
                             "--credentials", str(PROJECT / "credentials.yml")], cwd=PROJECT, env=env,
                            stdout=logs[1], stderr=subprocess.STDOUT)
    try:
        wait_until_up(f"http://127.0.0.1:{actions_port}/health", actions, 120)
        wait_until_up(f"http://127.0.0.1:{rasa_port}/", rasa, 300)
        yield "127.0.0.1", str(rasa_port)
    finally:
        for process in (rasa, actions):
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()
