"""Starting real servers for tests, and the rule for when one is missing: skip with the reason,
except under CI=true, where a missing server fails the run (CI must exercise the real thing)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # rasa, privacy-desk, ... of the environment running the tests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def unavailable(reason: str):
    """Skip, or fail under CI, when a real server a test needs cannot be had."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: real servers are required; `make test` installs them as root)")
    pytest.skip(reason)


def latest_model() -> Path | None:
    """The newest trained assistant in models/ (as the assistant itself chooses), or None before `make model`."""
    from assistant import classify

    try:
        return classify.newest_model(PROJECT / "models")
    except classify.ModelMissing:
        return None


def wait_until_up(url: str, process: subprocess.Popen, seconds: float) -> None:
    """Until `url` answers; fails at once if the process died, or after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{' '.join(map(str, process.args[:3]))} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


def stop_group(process: subprocess.Popen | None) -> None:
    """SIGTERM the process's whole group (Rasa and the action server start children), then SIGKILL."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
    except ProcessLookupError:
        pass
