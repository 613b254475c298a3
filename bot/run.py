"""`privacy-desk run` (what `make run` calls): get ready, then start and watch every process Privacy Desk needs.

Each child runs in its own process group, so stopping it also stops whatever it started. Output is passed
through line by line, prefixed with the child's name. If one child dies the others are stopped and the run
fails: a half-running desk (a widget whose action server is gone) would lose requests quietly, and restarting
in a loop would hide a crash. In production, let systemd or a container runtime restart the whole run.
"""
from __future__ import annotations

import asyncio
import importlib
import importlib.util
import inspect
import os
import signal
import socket
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TextIO

from bot import settings

PROJECT = settings.PROJECT_DIR
LOOPS = (("sender", "bot.sender", "the outbox sender (emails to requesters and staff)"),
         ("scheduler", "bot.scheduler", "the scheduler (deadline reminders, expiry of unverified cases)"))
POLLER = ("mail", "mail_ingest.poller")


class RunError(RuntimeError):
    """Privacy Desk cannot start; the message says what to do."""


@dataclass
class Child:
    name: str
    argv: list[str]  # never printed: what a command line holds is not for the output
    ready_url: str | None = None  # answers HTTP once the child is serving
    env: dict[str, str] = field(default_factory=dict)


class Supervisor:
    def __init__(self, children: list[Child], out: TextIO | None = None, stop_timeout: float = 15.0,
                 on_ready: Callable[[], None] | None = None, cwd: Path | None = None):
        self.children, self.out, self.stop_timeout = children, out or sys.stdout, stop_timeout
        self.on_ready, self.cwd = on_ready, cwd
        self.width = max([len(c.name) for c in children] + [3])
        self.procs: dict[str, asyncio.subprocess.Process] = {}
        self.stopping = asyncio.Event()
        self.signals = 0

    def say(self, line: str, name: str = "run") -> None:
        self.out.write(f"{name:<{self.width}} | {line}\n")
        self.out.flush()

    async def run(self) -> int:
        """Start every child, wait for Ctrl-C / SIGTERM or for a child to die, then stop them all."""
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, self._on_signal, signum)
        pumps: list[asyncio.Task] = []
        try:
            for child in self.children:
                pumps.append(asyncio.create_task(self._pump(child, await self._start(child))))
            readiness = asyncio.create_task(self._announce_when_ready())
            exits = {asyncio.create_task(p.wait()): name for name, p in self.procs.items()}
            stop = asyncio.create_task(self.stopping.wait())
            done, _ = await asyncio.wait([stop, *exits], return_when=asyncio.FIRST_COMPLETED)
            readiness.cancel()
            code = 0 if stop in done else self._report_death(exits, done)
            for task in [stop, *exits]:
                task.cancel()
            return code
        finally:
            await self._stop_all()
            if pumps:  # the last lines a child wrote before it stopped
                await asyncio.wait(pumps, timeout=5)
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(signum)

    def _on_signal(self, signum: int) -> None:
        self.signals += 1
        if self.signals == 1:
            self.say(f"{signal.Signals(signum).name} received: stopping everything (again to force).")
            self.stopping.set()
        else:
            self._kill_all(signal.SIGKILL)

    async def _start(self, child: Child) -> asyncio.subprocess.Process:
        self.say(f"starting {child.name}")
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **child.env}
        proc = await asyncio.create_subprocess_exec(
            *child.argv, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT, env=env, cwd=self.cwd, start_new_session=True)
        self.procs[child.name] = proc
        return proc

    async def _pump(self, child: Child, proc: asyncio.subprocess.Process) -> None:
        assert proc.stdout is not None
        while line := await proc.stdout.readline():
            self.say(line.decode("utf-8", "replace").rstrip("\r\n"), child.name)

    def _report_death(self, exits: dict[asyncio.Task, str], done: set[asyncio.Task]) -> int:
        for task in done:
            if task in exits:
                self.say(f"{exits[task]} stopped unexpectedly (exit code {task.result()}); "
                         "stopping the others. Its last lines above say why.")
        return 1

    async def _announce_when_ready(self) -> None:
        for child in self.children:
            if child.ready_url:
                await _wait_until_answers(child.ready_url)
                self.say(f"{child.name} is up")
        if self.on_ready:
            self.on_ready()

    async def _stop_all(self) -> None:
        """SIGTERM every group (last started first), wait, then SIGKILL whatever is left in any group."""
        for name in reversed(list(self.procs)):
            if self.procs[name].returncode is None:
                self.say(f"stopping {name}")
            _signal_group(self.procs[name].pid, signal.SIGTERM)
        waits = [asyncio.create_task(p.wait()) for p in self.procs.values()]
        if waits:
            _, pending = await asyncio.wait(waits, timeout=self.stop_timeout)
            for name, proc in self.procs.items():
                if proc.returncode is None:
                    self.say(f"{name} did not stop within {self.stop_timeout:g} s; killing it")
            self._kill_all(signal.SIGKILL)  # also any grandchild left behind by a child that did exit
            await asyncio.wait(waits, timeout=5)
        self.say("all stopped")

    def _kill_all(self, signum: int) -> None:
        for proc in self.procs.values():
            _signal_group(proc.pid, signum)


def _signal_group(pgid: int, signum: int) -> None:
    try:
        os.killpg(pgid, signum)
    except (ProcessLookupError, PermissionError):
        pass  # the whole group is already gone


def answers(url: str) -> bool:
    """Whether a server answers HTTP at `url` (any status means it is serving)."""
    try:
        urllib.request.urlopen(url, timeout=2).close()
        return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


async def _wait_until_answers(url: str) -> None:
    while not await asyncio.to_thread(answers, url):
        await asyncio.sleep(0.5)


# ---- what `privacy-desk run` starts ----

def plan() -> tuple[list[Child], list[str]]:
    """The children to start, and a sentence for each part that is off and why."""
    py, env = sys.executable, _child_env()
    rasa_host, rasa_port = settings.get("rasa_host"), settings.get_int("rasa_port")
    web_host, web_port = settings.get("console_host"), settings.get_int("console_port")
    actions_port = settings.get_int("actions_port")
    children = [
        # `rasa run` with its HTTP API behind PRIVACY_DESK_RASA_API_TOKEN, added inside the process so that it is
        # not on the command line; the chat and mail channels stay open, as they must.
        Child("rasa", [py, "-m", "assistant.rasa_server", "--enable-api", "--interface", rasa_host,
                       "--port", str(rasa_port), "--cors", *_origins(web_host, web_port)],
              ready_url=f"http://{_reachable(rasa_host)}:{rasa_port}/", env=env),
        # The action server is only called by the Rasa server: keep it off the network (no --cors either).
        Child("actions", [py, "-m", "rasa_sdk", "--actions", "actions", "--port", str(actions_port)],
              ready_url=f"http://127.0.0.1:{actions_port}/health", env={**env, "SANIC_HOST": "127.0.0.1"}),
        # No access log: it would record visitors' addresses. No WebSockets: no page needs them, and uvicorn's
        # automatic choice fails against the websockets version Rasa pins.
        Child("web", [py, "-m", "uvicorn", "--factory", "bot.run:web_app", "--host", web_host,
                      "--port", str(web_port), "--no-access-log", "--log-level", "info", "--ws", "none"],
              ready_url=f"http://{_reachable(web_host)}:{web_port}/", env=env),
    ]
    notes = []
    for name, module, what in LOOPS:
        if _exists(module):
            children.append(Child(name, [py, "-m", "bot.run", "--loop", module], env=env))
        else:
            notes.append(f"{name}: not available yet ({module} is missing), so {what} is not running")
    name, module = POLLER
    if not settings.get("imap_host"):
        notes.append("mail: off because PRIVACY_DESK_IMAP_HOST is not set; emails to the data-compliance "
                     "address are not read")
    elif _exists(module):
        children.append(Child(name, [py, "-m", "bot.run", "--loop", module], env=env))
    else:
        notes.append(f"mail: not available yet ({module} is missing), so emails are not read")
    return children, notes


def _child_env() -> dict[str, str]:
    env = {"RASA_TELEMETRY_ENABLED": "false",  # a privacy tool does not phone home
           "LOG_LEVEL": "INFO",  # DEBUG would log what requesters write
           # Rasa's and the action server's libraries (Sanic, socket.io, TensorFlow) at Rasa's own default, whatever
           # the shell says: at INFO Sanic's access log would write every address asked for, API token included.
           "LOG_LEVEL_LIBRARIES": "ERROR",
           # Rasa's SQLAlchemy 2.0 notice and TensorFlow's start-up chatter say nothing the operator can act on.
           "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
    # The effective ports, so endpoints.yml can say ${PRIVACY_DESK_ACTIONS_PORT} even when left at the default.
    env.update({settings.PREFIX + name.upper(): settings.get(name)
                for name in ("rasa_host", "rasa_port", "actions_port", "console_host", "console_port")})
    return env


def _origins(host: str, port: int) -> list[str]:
    """Pages allowed to talk to the Rasa server from a browser: the website's own addresses."""
    if host in ("0.0.0.0", "::", ""):
        return ["*"]  # served under any name this machine has
    names = {host, "localhost", "127.0.0.1"} if host in ("localhost", "127.0.0.1") else {host}
    return sorted(f"http://{name}:{port}" for name in names)


def _reachable(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host


def _exists(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def web_app():
    """uvicorn's factory: the staff console (which includes the website page), or the page alone until then."""
    if _exists("bot.console.app"):
        from bot.console.app import create_app
        return create_app()
    from bot import widget
    return widget.create_app()


# ---- getting ready ----

def prepare(say: Callable[[str], None]) -> list[str]:
    """Migrate, check what is needed, create the first DPO account; returns what to repeat once all is up
    (how to sign in, what will not work)."""
    from bot import db, staff, widget

    db.upgrade()
    say(f"case store ready ({db.database_url().split('@')[-1]})")
    say(f"assistant model: {newest_model(PROJECT / 'models').name}")
    say(secrets_ready())
    problems = [] if widget.SOCKET_IO_CLIENT.exists() else [f"the chat widget will not work: {widget.BUILD_HINT}"]
    problems += filter(None, [widget_channel_problem(PROJECT / "credentials.yml")])
    with db.session_scope() as session:
        created = staff.ensure_admin(session)
    check_ports_free()
    repeat = [created] if created else []
    repeat += [f"warning: {problem}" for problem in problems]
    for line in repeat:
        say(line)
    return repeat


def secrets_ready() -> str:
    """Make the generated secrets now, once, rather than in whichever child starts first; say where they are
    (never what they are)."""
    from bot import secret

    secret.server_secret()
    secret.rasa_api_token()
    where = ("PRIVACY_DESK_RASA_API_TOKEN" if settings.get("rasa_api_token")
             else str(secret.state_dir() / secret.RASA_API_TOKEN_FILE))
    return f"Rasa's HTTP API answers only requests carrying ?token= with the token in {where}"


def widget_channel_problem(credentials: Path) -> str | None:
    """Why the widget would get no replies from the Rasa server this credentials file configures, if it would."""
    import yaml

    try:
        channels = yaml.safe_load(credentials.read_text()) or {}
    except (OSError, yaml.YAMLError):
        return None  # Rasa reports a missing or broken file itself
    stock = channels.get("socketio") if isinstance(channels, dict) else None
    if isinstance(stock, dict) and stock.get("session_persistence"):
        return (f"{credentials.name} names Rasa's own `socketio:` channel with session_persistence, which in "
                "Rasa 3.6.21 sends every reply to nobody (RasaHQ/rasa#13027), so the chat widget gets no "
                "answers; name `web.rasa_channel.WidgetSocketIOInput:` there instead.")
    return None


def newest_model(models: Path) -> Path:
    from assistant import classify  # the one rule for which model is current (Rasa loads the newest too)

    try:
        return classify.newest_model(models)
    except classify.ModelMissing:
        raise RunError(f"There is no trained assistant model in {models}. Run `make run`: it trains the "
                       "assistant first (a few minutes) and then starts everything.") from None


def check_ports_free() -> None:
    for name, host in (("rasa_port", settings.get("rasa_host")), ("actions_port", "127.0.0.1"),
                       ("console_port", settings.get("console_host"))):
        port = settings.get_int(name)
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers do: ignore TIME_WAIT
            try:
                probe.bind((host, port))
            except OSError as exc:
                raise RunError(f"Port {port} on {host} is not free ({exc.strerror}): is Privacy Desk already "
                               f"running? Stop it, or choose another port with PRIVACY_DESK_{name.upper()}.") from None


def banner(say: Callable[[str], None], repeat: list[str] = ()) -> None:
    web = f"http://{_shown(settings.get('console_host'))}:{settings.get_int('console_port')}"
    rasa = f"http://{_shown(settings.get('rasa_host'))}:{settings.get_int('rasa_port')}"
    console = f"{web}/console/" if _exists("bot.console.app") else "not available yet"
    say("Privacy Desk is running. Press Ctrl-C to stop everything.")
    for label, url in (("Website with the chat widget", f"{web}/"), ("Staff console", console),
                       ("Rasa server", f"{rasa}/"),
                       ("Action server (local only)", f"http://127.0.0.1:{settings.get_int('actions_port')}/")):
        say(f"  {label:<29} {url}")
    for line in repeat:  # again, now that the servers' start-up lines have scrolled it away
        say(line)


def _shown(host: str) -> str:
    return "localhost" if host in ("0.0.0.0", "::", "") else host


def main() -> int:
    children, notes = plan()
    supervisor = Supervisor(children, cwd=PROJECT)
    try:
        repeat = prepare(supervisor.say)
    except RunError as exc:
        print(f"privacy-desk run: {exc}", file=sys.stderr)
        return 1
    supervisor.on_ready = lambda: banner(supervisor.say, repeat)
    for note in notes:
        supervisor.say(note)
    return asyncio.run(supervisor.run())


# ---- one background loop in its own process (`python -m bot.run --loop bot.sender`) ----

def run_loop(module: str) -> None:
    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # SIGTERM as an exception, so the loop's own clean-up (finally, context managers) runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        result = importlib.import_module(module).run_forever()
        if inspect.isawaitable(result):
            asyncio.run(result)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    if sys.argv[1:2] == ["--loop"] and len(sys.argv) == 3:
        run_loop(sys.argv[2])
    else:
        sys.exit("usage: python -m bot.run --loop MODULE   (to start everything: privacy-desk run)")
