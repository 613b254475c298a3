"""The Rasa server, the action server and the website with the staff console, started exactly as `privacy-desk
run` starts them (bot/run.py's plan), each in its own process group on a free loopback port, against a throw-away
case store, state folder and secrets in a temporary folder: no real case, conversation, account or secret is
touched. Used by the benchmarks that time their start-up or put load on them."""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from bot.run import answers
from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parent.parent


def use_scratch_desk(folder: Path) -> str:
    """Point this process's settings (which every server started here inherits) at a migrated SQLite store,
    a state folder and secrets of its own, and at free ports; returns the database URL."""
    from bot import db

    url = f"sqlite:///{folder / 'privacy_desk.db'}"
    os.environ.update({
        "PRIVACY_DESK_DATABASE_URL": url, "PRIVACY_DESK_STATE_DIR": str(folder / "state"),
        "PRIVACY_DESK_SECRET_KEY": secrets.token_hex(32), "PRIVACY_DESK_RASA_API_TOKEN": secrets.token_hex(16),
        "PRIVACY_DESK_ADMIN_PASSWORD": secrets.token_urlsafe(18),  # so no password is printed to the log
        "PRIVACY_DESK_RASA_HOST": "127.0.0.1", "PRIVACY_DESK_CONSOLE_HOST": "127.0.0.1",
        "PRIVACY_DESK_RASA_PORT": str(free_port()), "PRIVACY_DESK_ACTIONS_PORT": str(free_port()),
        "PRIVACY_DESK_CONSOLE_PORT": str(free_port())})
    db.upgrade(url)
    return url


def start_planned(name: str, folder: Path, extra_args: tuple[str, ...] = (), ready_path: str = "") -> "Server":
    """Start the child NAME ("rasa", "actions" or "web") of `privacy-desk run`'s plan."""
    from bot.run import plan

    child = next(c for c in plan()[0] if c.name == name)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **child.env}
    return start(name, [*child.argv, *extra_args], child.ready_url + ready_path, env, folder)


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    ready_url: str
    started: float  # time.perf_counter() at launch

    def wait_until_answers(self, timeout: float) -> float:
        """Seconds from launch until ready_url gives any HTTP answer; RuntimeError if it exits or times out."""
        while time.perf_counter() - self.started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode} before answering")
            if answers(self.ready_url):
                return time.perf_counter() - self.started
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not answer {self.ready_url} within {timeout:.0f} s")

    def rss_mib(self) -> float:
        """Resident memory of the server and every process it started, in MiB."""
        return sum(_rss_kib(pid) for pid in [self.process.pid, *_descendants(self.process.pid)]) / 1024

    def stop(self) -> None:
        for signum, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
            try:
                os.killpg(self.process.pid, signum)
                self.process.wait(wait)
                return
            except ProcessLookupError:
                return
            except subprocess.TimeoutExpired:
                continue


def start(name: str, argv: list[str], ready_url: str, env: dict[str, str], folder: Path) -> Server:
    with open(folder / f"{name}.log", "ab") as log:  # the child keeps its own handle
        started = time.perf_counter()
        process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    return Server(name, process, ready_url, started)


def _descendants(pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                # The command name in stat may hold spaces or ')': the parent id follows the last ')'.
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found += children
        todo += children
    return found


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
