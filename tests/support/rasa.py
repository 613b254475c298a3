"""The trained Rasa server and the action server as separate processes, so a test can run the assistant
with its action server down, start it later, and read what Rasa kept in its SQL tracker store."""
from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.servers import BIN, PROJECT, free_port, latest_model, stop_group, wait_until_up  # noqa: F401

@dataclass
class Assistant:
    """A Rasa server whose action endpoint is `actions_port`, where nothing listens until start_actions()."""
    folder: Path
    env: dict
    rasa_port: int = field(default_factory=free_port)
    actions_port: int = field(default_factory=free_port)
    rasa: subprocess.Popen | None = None
    actions: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def tracker_db(self) -> Path:
        return self.folder / "tracker.db"

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        with open(self.folder / f"{name}.log", "ab") as log:
            return subprocess.Popen(command, cwd=PROJECT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)

    def start(self, model: Path) -> "Assistant":
        endpoints = self.folder / "endpoints.yml"
        endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{self.actions_port}/webhook"\n'
                             f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {self.tracker_db}\n")
        self.rasa = self._spawn("rasa", [str(BIN / "python"), "-m", "assistant.rasa_server", "--model", str(model),
                                         "--port",
                                         str(self.rasa_port), "--interface", "127.0.0.1", "--endpoints",
                                         str(endpoints), "--credentials", str(PROJECT / "credentials.yml")])
        wait_until_up(f"{self.url}/", self.rasa, 300)
        return self

    def start_actions(self) -> None:
        if self.actions is None or self.actions.poll() is not None:
            self.actions = self._spawn("actions", [str(BIN / "rasa"), "run", "actions", "--port",
                                                   str(self.actions_port)])
            wait_until_up(f"http://127.0.0.1:{self.actions_port}/health", self.actions, 120)

    def stop_actions(self) -> None:
        stop_group(self.actions)
        self.actions = None

    def stop(self) -> None:
        self.stop_actions()
        stop_group(self.rasa)

    def output(self) -> str:
        """Everything both servers printed so far."""
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.folder.glob("*.log")))
