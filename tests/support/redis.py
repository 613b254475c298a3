"""A private Redis server for the tests: redis-server on a free loopback port, nothing written to disk.

Set PRIVACY_DESK_TEST_REDIS_URL (redis://host:port) to use an existing server instead.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from urllib.parse import urlsplit

from tests.support.servers import free_port, unavailable


class Redis:
    def __init__(self, host: str, port: int, process: subprocess.Popen | None = None, folder: str | None = None):
        self.host, self.port, self._process, self._folder = host, port, process, folder

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(host=self.host, port=self.port, socket_timeout=1).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGTERM)
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self._process.pid, signal.SIGKILL)
                self._process.wait(10)
        if self._folder:
            shutil.rmtree(self._folder, ignore_errors=True)


def start_redis() -> Redis:
    """A running Redis (host, port, stop()); skips (or fails under CI) when none can be had."""
    if os.environ.get("PRIVACY_DESK_TEST_REDIS_URL"):
        parts = urlsplit(os.environ["PRIVACY_DESK_TEST_REDIS_URL"])
        return Redis(parts.hostname or "127.0.0.1", parts.port or 6379)
    binary = shutil.which("redis-server") or ("/usr/bin/redis-server" if os.path.exists("/usr/bin/redis-server")
                                              else None)
    if binary is None:
        unavailable("redis-server not installed (Debian package 'redis-server')")
    folder = tempfile.mkdtemp(prefix="pd-redis-")
    port = free_port()
    log = open(os.path.join(folder, "redis.log"), "wb")
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                                "no", "--dir", folder], stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    log.close()
    server = Redis("127.0.0.1", port, process, folder)
    deadline = time.monotonic() + 10
    while not server.ping():
        if process.poll() is not None or time.monotonic() > deadline:
            server.stop()
            unavailable(f"could not start a private redis-server on port {port}")
        time.sleep(0.1)
    return server
