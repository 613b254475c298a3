"""The Rasa server and the action server exactly as `privacy-desk run` starts them (their command lines and
environment from bot.run.plan()), on free loopback ports, against the case store and state folder the test sets
in the environment. Each can be stopped and started again; their output goes to log files the test can read."""
from __future__ import annotations

import os
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from bot import db, run
from tests.support.servers import free_port, latest_model, stop_group, wait_until_up


def needs_model() -> None:
    if latest_model() is None:
        pytest.skip("no trained Rasa model in models/ yet (`make model`): this test needs the assistant")


class Desk:
    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch):
        for name in ("RASA_PORT", "ACTIONS_PORT", "CONSOLE_PORT"):
            monkeypatch.setenv(f"PRIVACY_DESK_{name}", str(free_port()))
        for name in ("RASA_HOST", "CONSOLE_HOST"):
            monkeypatch.setenv(f"PRIVACY_DESK_{name}", "127.0.0.1")
        self.folder = folder
        self.children = {child.name: child for child in run.plan()[0]}
        self.processes: dict[str, subprocess.Popen] = {}
        self.rasa_url = self.children["rasa"].ready_url.rstrip("/")

    def start(self, name: str, seconds: float = 300) -> subprocess.Popen:
        child = self.children[name]
        with open(self.folder / f"{name}.log", "ab") as log:
            process = subprocess.Popen(child.argv, cwd=run.PROJECT, env={**os.environ, **child.env},
                                       stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        self.processes[name] = process
        wait_until_up(child.ready_url, process, seconds)
        return process

    def stop(self, name: str) -> None:
        stop_group(self.processes.pop(name))

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def logs(self) -> str:
        return "".join(f"---- {name}.log ----\n{self.log(name)[-4000:]}\n" for name in self.children)


def own_store(folder: Path, monkeypatch: pytest.MonkeyPatch, secret: str) -> str:
    """A migrated SQLite case store, state folder and server secret of the test's own, set in the environment."""
    store = f"sqlite:///{folder / 'privacy_desk.db'}"
    monkeypatch.setenv("PRIVACY_DESK_DATABASE_URL", store)
    db.upgrade(store)
    monkeypatch.setenv("PRIVACY_DESK_STATE_DIR", str(folder / "state"))
    monkeypatch.setenv("PRIVACY_DESK_SECRET_KEY", secret)
    return store


@contextmanager
def running(folder: Path, monkeypatch: pytest.MonkeyPatch, *names: str) -> Iterator[Desk]:
    """A Desk with `names` started in that order; on failure its logs are printed, and everything is stopped."""
    desk = Desk(folder, monkeypatch)
    try:
        for name in names:
            desk.start(name, 120 if name == "actions" else 300)
        yield desk
    except Exception:
        print(desk.logs())
        raise
    finally:
        desk.stop_all()
