"""Starting real servers for tests, and the rule for when one is missing: skip with the reason,
except under CI=true, where a missing server fails the run (CI must exercise the real thing)."""
from __future__ import annotations

import os
import socket

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def unavailable(reason: str):
    """Skip, or fail under CI, when a real server a test needs cannot be had."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: real servers are required; `make test` installs them as root)")
    pytest.skip(reason)
