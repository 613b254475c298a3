"""A private PostgreSQL cluster for the tests: initdb in a temporary folder, on a free loopback port.

Set PRIVACY_DESK_TEST_POSTGRES_URL to use an existing server instead (a user allowed to create databases).
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
import uuid

from sqlalchemy import create_engine, text

from tests.support.servers import free_port, unavailable


def _bindir() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


def _create_database(url_base: str) -> str:
    """A new empty database, so every test starts from a clean store."""
    name = "pd_" + uuid.uuid4().hex[:12]
    engine = create_engine(f"{url_base}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return f"{url_base}/{name}"


class Cluster:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="pd-pg-")
        self.port = free_port()
        self.url_base = f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}"
        self._as_user: list[str] = []

    def start(self, bindir: str) -> None:
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root: run it as the packaged 'postgres' user
            owner = pwd.getpwnam("postgres")
            os.chown(self.dir, owner.pw_uid, owner.pw_gid)
            self._as_user = ["runuser", "-u", "postgres", "--"]
        data = os.path.join(self.dir, "data")
        self._run([f"{bindir}/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"])
        self.pg_ctl = [*self._as_user, f"{bindir}/pg_ctl", "-D", data]
        self.start_server()

    def start_server(self) -> None:
        subprocess.run([*self.pg_ctl, "-l", os.path.join(self.dir, "log"), "-w", "-o",
                        f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
                       check=True, capture_output=True, timeout=120)

    def stop_server(self) -> None:
        """Stop the server as a crash or a restart would: every open connection is cut."""
        subprocess.run([*self.pg_ctl, "-m", "fast", "-w", "stop"], check=True, capture_output=True, timeout=60)

    def _run(self, command: list[str]) -> None:
        subprocess.run([*self._as_user, *command], check=True, capture_output=True, timeout=120)

    def create_database(self) -> str:
        return _create_database(self.url_base)

    def stop(self) -> None:
        subprocess.run([*self.pg_ctl, "-m", "immediate", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(self.dir, ignore_errors=True)


class External:
    def __init__(self, url: str):
        self.url_base = url.rsplit("/", 1)[0]

    def create_database(self) -> str:
        return _create_database(self.url_base)

    def stop(self) -> None:
        pass


def start_postgres():
    """A running server with create_database(); skips (or fails under CI) when none can be had."""
    if os.environ.get("PRIVACY_DESK_TEST_POSTGRES_URL"):
        return External(os.environ["PRIVACY_DESK_TEST_POSTGRES_URL"])
    bindir = _bindir()
    if bindir is None:
        unavailable("PostgreSQL server binaries not installed (Debian package 'postgresql')")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        unavailable("running as root without runuser: cannot start PostgreSQL as an unprivileged user")
    cluster = Cluster()
    try:
        cluster.start(bindir)
    except (subprocess.CalledProcessError, KeyError) as exc:
        shutil.rmtree(cluster.dir, ignore_errors=True)
        unavailable(f"could not start a private PostgreSQL cluster: {exc}")
    deadline = time.monotonic() + 10
    while True:
        try:
            cluster.create_database()
            return cluster
        except Exception:  # noqa: BLE001 - still starting
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
