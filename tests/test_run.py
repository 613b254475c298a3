"""`privacy-desk run`: the process supervisor, with small stand-in children in place of Rasa and the servers."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from bot import cli, run

PROJECT = Path(__file__).resolve().parent.parent

SUPERVISE = textwrap.dedent("""
    import asyncio, json, sys
    from bot.run import Child, Supervisor
    children = [Child(**c) for c in json.loads(sys.argv[1])]
    sys.exit(asyncio.run(Supervisor(children, stop_timeout=float(sys.argv[2])).run()))
""")


def standin(name: str, pids: Path, body: str = "", grandchild: bool = False) -> dict:
    """A child that records its pid (and its own child's), says hello, then does `body` or waits forever."""
    code = textwrap.dedent(f"""
        import os, subprocess, sys, time
        pids = [os.getpid()]
        if {grandchild!r}:
            pids.append(subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"]).pid)
        open({str(pids / name)!r}, "w").write(" ".join(map(str, pids)))
        print("hello from {name}", flush=True)
    """) + textwrap.dedent(body or "time.sleep(600)")
    return {"name": name, "argv": [sys.executable, "-c", code]}


class Supervised:
    def __init__(self, children: list[dict], pids: Path, stop_timeout: float = 10):
        self.pids = pids
        self.proc = subprocess.Popen([sys.executable, "-c", SUPERVISE, json.dumps(children), str(stop_timeout)],
                                     cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []

    def wait_for(self, text: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            assert time.monotonic() < deadline, f"no {text!r} in {self.lines}"
            line = self.proc.stdout.readline()
            assert line, f"supervisor ended before {text!r}: {self.lines}"
            self.lines.append(line.rstrip("\n"))

    def finish(self, timeout: float = 30) -> int:
        out, _ = self.proc.communicate(timeout=timeout)
        self.lines += out.splitlines()
        return self.proc.returncode

    def all_pids(self) -> list[int]:
        return [int(p) for f in self.pids.iterdir() for p in f.read_text().split()]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")  # a zombie has stopped; it only waits for its parent to collect it


def gone(pids: list[int], timeout: float = 5) -> bool:
    deadline = time.monotonic() + timeout
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not any(alive(p) for p in pids)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_every_child_and_what_they_started(tmp_path, signum):
    supervised = Supervised([standin("alpha", tmp_path, grandchild=True), standin("beta", tmp_path)], tmp_path)
    supervised.wait_for("hello from alpha")
    supervised.wait_for("hello from beta")
    pids = supervised.all_pids()
    assert len(pids) == 3 and all(alive(p) for p in pids)

    supervised.proc.send_signal(signum)

    assert supervised.finish() == 0
    assert gone(pids), "a child or grandchild outlived the supervisor"
    assert f"run   | {signal.Signals(signum).name} received: stopping everything (again to force)." in supervised.lines
    assert supervised.lines[-1] == "run   | all stopped"


def test_each_line_is_prefixed_with_the_name_of_the_child_that_wrote_it(tmp_path):
    chatty = standin("chatty", tmp_path, body="print('one'); print('two', file=sys.stderr, flush=True); time.sleep(600)")
    supervised = Supervised([chatty, standin("db", tmp_path)], tmp_path)
    supervised.wait_for("two")
    supervised.wait_for("hello from db")
    supervised.proc.send_signal(signal.SIGINT)
    supervised.finish()
    assert {"chatty | hello from chatty", "chatty | one", "chatty | two", "db     | hello from db",
            "run    | starting chatty", "run    | stopping db"} <= set(supervised.lines)


def test_a_child_that_dies_is_named_and_the_others_are_stopped(tmp_path):
    dying = standin("flaky", tmp_path, body="time.sleep(0.5); print('cannot open the model', flush=True); sys.exit(3)")
    supervised = Supervised([standin("steady", tmp_path, grandchild=True), dying], tmp_path)

    assert supervised.finish() == 1
    assert "flaky  | cannot open the model" in supervised.lines
    assert ("run    | flaky stopped unexpectedly (exit code 3); stopping the others. Its last lines above say why."
            in supervised.lines)
    assert "run    | stopping steady" in supervised.lines
    assert gone(supervised.all_pids())


def test_a_child_that_ignores_sigterm_is_killed_after_the_timeout(tmp_path):
    stubborn = standin("stubborn", tmp_path, body="""
        import signal
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print('ignoring SIGTERM', flush=True)
        time.sleep(600)
    """)
    supervised = Supervised([stubborn], tmp_path, stop_timeout=1)
    supervised.wait_for("ignoring SIGTERM")
    started = time.monotonic()
    supervised.proc.send_signal(signal.SIGINT)

    assert supervised.finish() == 0
    assert time.monotonic() - started < 10
    assert "run      | stubborn did not stop within 1 s; killing it" in supervised.lines
    assert gone(supervised.all_pids())


def test_a_background_loop_cleans_up_on_sigterm(tmp_path):
    (tmp_path / "standin_loop.py").write_text(textwrap.dedent("""
        import asyncio

        async def run_forever():
            try:
                print("looping", flush=True)
                await asyncio.sleep(600)
            finally:
                print("outbox closed cleanly", flush=True)
    """))
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{PROJECT}"}
    loop = subprocess.Popen([sys.executable, "-m", "bot.run", "--loop", "standin_loop"], cwd=PROJECT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert loop.stdout.readline() == "looping\n"
    loop.send_signal(signal.SIGTERM)
    out, _ = loop.communicate(timeout=10)
    assert loop.returncode == 0
    assert "outbox closed cleanly" in out


def test_without_a_trained_model_run_says_how_to_get_one(store, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(run, "PROJECT", tmp_path)
    started = []
    monkeypatch.setattr(run.Supervisor, "run", lambda self: started.append(self))

    assert cli.main(["run"]) == 1

    assert started == []
    assert ("There is no trained assistant model in " f"{tmp_path / 'models'}. Run `make run`: it trains the assistant "
            "first") in capsys.readouterr().err


def test_the_newest_model_is_used(tmp_path):
    (tmp_path / "20260101-old.tar.gz").write_text("")
    newer = tmp_path / "20260301-new.tar.gz"
    newer.write_text("")
    os.utime(tmp_path / "20260101-old.tar.gz", (1, 1))
    assert run.newest_model(tmp_path) == newer


def test_a_busy_port_is_named_with_its_setting(monkeypatch):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        monkeypatch.setenv("PRIVACY_DESK_CONSOLE_HOST", "127.0.0.1")
        monkeypatch.setenv("PRIVACY_DESK_CONSOLE_PORT", str(busy.getsockname()[1]))
        monkeypatch.setenv("PRIVACY_DESK_RASA_PORT", "0")
        monkeypatch.setenv("PRIVACY_DESK_ACTIONS_PORT", "0")
        with pytest.raises(run.RunError, match="PRIVACY_DESK_CONSOLE_PORT"):
            run.check_ports_free()


def test_ports_and_hosts_come_from_the_settings(monkeypatch):
    for name, value in {"RASA_HOST": "0.0.0.0", "RASA_PORT": "6005", "ACTIONS_PORT": "6055",
                        "CONSOLE_HOST": "127.0.0.1", "CONSOLE_PORT": "9090"}.items():
        monkeypatch.setenv(f"PRIVACY_DESK_{name}", value)
    children = {c.name: c for c in run.plan()[0]}

    rasa = children["rasa"].argv
    assert rasa[rasa.index("--port") + 1] == "6005" and rasa[rasa.index("--interface") + 1] == "0.0.0.0"
    assert rasa[rasa.index("--cors") + 1:] == ["http://127.0.0.1:9090", "http://localhost:9090"]
    assert children["rasa"].ready_url == "http://127.0.0.1:6005/"
    assert children["rasa"].env["PRIVACY_DESK_ACTIONS_PORT"] == "6055"
    assert children["rasa"].env["RASA_TELEMETRY_ENABLED"] == "false"
    assert children["actions"].argv[-2:] == ["--port", "6055"]
    assert children["actions"].env["SANIC_HOST"] == "127.0.0.1"
    web = children["web"].argv
    assert web[web.index("--port") + 1] == "9090" and "--no-access-log" in web


def test_parts_that_are_off_say_so(monkeypatch):
    monkeypatch.delenv("PRIVACY_DESK_IMAP_HOST", raising=False)
    monkeypatch.setattr(run, "LOOPS", (("sender", "bot.no_such_sender", "the outbox sender"),))
    children, notes = run.plan()
    assert "sender" not in {c.name for c in children}
    assert notes == ["sender: not available yet (bot.no_such_sender is missing), so the outbox sender is not running",
                     "mail: off because PRIVACY_DESK_IMAP_HOST is not set; emails to the data-compliance address "
                     "are not read"]


def test_the_banner_gives_the_addresses_to_open_and_repeats_the_first_sign_in(monkeypatch):
    for name, value in {"CONSOLE_HOST": "0.0.0.0", "CONSOLE_PORT": "9090", "RASA_HOST": "0.0.0.0",
                        "RASA_PORT": "6005", "ACTIONS_PORT": "6055"}.items():
        monkeypatch.setenv(f"PRIVACY_DESK_{name}", value)
    said = []
    run.banner(said.append, ["Created the DPO account 'admin' with password s3cret-shown-once"])
    assert said == ["Privacy Desk is running. Press Ctrl-C to stop everything.",
                    "  Website with the chat widget  http://localhost:9090/",
                    "  Staff console                 http://localhost:9090/console/",
                    "  Rasa server                   http://localhost:6005/",
                    "  Action server (local only)    http://127.0.0.1:6055/",
                    "Created the DPO account 'admin' with password s3cret-shown-once"]


def test_a_widget_channel_that_would_lose_every_reply_is_named(tmp_path):
    credentials = tmp_path / "credentials.yml"
    credentials.write_text("rest:\n\nsocketio:\n  session_persistence: true\n")
    assert "name `web.rasa_channel.WidgetSocketIOInput:` there instead" in run.widget_channel_problem(credentials)
    credentials.write_text("rest:\n\nweb.rasa_channel.WidgetSocketIOInput:\n  session_persistence: true\n")
    assert run.widget_channel_problem(credentials) is None
