"""A private Dovecot IMAP server for the tests: a temporary Maildir, a free loopback port, `dovecot -F -c CONF`.

Every test gets its own mailbox user (the static passdb accepts any user name with the shared password),
so tests never see each other's mail. As root, Dovecot runs its processes as the packaged unprivileged
`dovecot`/`dovenull` users and owns the temporary folder; otherwise it runs as the current user.
"""
from __future__ import annotations

import getpass
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from imapclient import IMAPClient

from mail_ingest.mailbox import MailboxSettings
from tests.support.servers import free_port, unavailable

CONFIG = """
base_dir = {dir}/run
state_dir = {dir}/state
instance_name = pd-test-{port}
log_path = {dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
first_valid_uid = 1
{mail_owner}
mail_location = maildir:{dir}/home/%u/Maildir
mail_fsync = never
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = home={dir}/home/%u
}}
# No chroot: an unprivileged Dovecot cannot chroot, and a test server needs no jail.
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service imap {{
  process_limit = 200
}}
protocol imap {{
  mail_max_userip_connections = 200
  imap_idle_notify_interval = 10 secs
}}
"""


def dovecot_binary() -> str | None:
    return shutil.which("dovecot") or next((p for p in ("/usr/sbin/dovecot",) if os.access(p, os.X_OK)), None)


class Dovecot:
    def __init__(self, binary: str):
        self.binary = binary
        self.dir = Path(tempfile.mkdtemp(prefix="pd-dovecot-"))
        self.port = free_port()
        self.password = secrets.token_hex(8)
        self.process: subprocess.Popen | None = None
        self.config = self.dir / "dovecot.conf"

    def _write_config(self) -> None:
        for sub in ("run", "state", "home"):
            (self.dir / sub).mkdir(exist_ok=True)
        if os.geteuid() == 0:
            owner = "dovecot"
            users = dict(internal_user="dovecot", internal_group="dovecot", login_user="dovenull",
                         mail_owner="mail_uid = dovecot\nmail_gid = dovecot")
            entry = pwd.getpwnam(owner)
            for path in [self.dir, *self.dir.rglob("*")]:
                os.chown(path, entry.pw_uid, entry.pw_gid)
        else:
            me = getpass.getuser()
            users = dict(internal_user=me, internal_group=_group_name(), login_user=me, mail_owner="")
        self.config.write_text(CONFIG.format(dir=self.dir, port=self.port, password=self.password, **users))

    def start(self) -> "Dovecot":
        self._write_config()
        self.process = subprocess.Popen([self.binary, "-F", "-c", str(self.config)], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot exited: {self.process.stderr.read().decode()[-2000:]} {self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    if sock.recv(100).startswith(b"* OK"):
                        return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"dovecot did not start listening: {self.log()}")

    def log(self) -> str:
        path = self.dir / "dovecot.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def new_user(self) -> "MailUser":
        return MailUser(self, "desk-" + uuid.uuid4().hex[:10])


class MailUser:
    """One test's mailbox on the shared server."""

    def __init__(self, server: Dovecot, user: str):
        self.server, self.user = server, user

    def settings(self, folder: str = "INBOX", processed: str = "Processed", failed: str = "Failed") -> MailboxSettings:
        return MailboxSettings(host="127.0.0.1", port=self.server.port, tls="none", user=self.user,
                               password=self.server.password, folder=folder, processed_folder=processed,
                               failed_folder=failed)

    def env(self) -> dict[str, str]:
        return {"PRIVACY_DESK_IMAP_HOST": "127.0.0.1", "PRIVACY_DESK_IMAP_PORT": str(self.server.port),
                "PRIVACY_DESK_IMAP_TLS": "none", "PRIVACY_DESK_IMAP_USER": self.user,
                "PRIVACY_DESK_IMAP_PASSWORD": self.server.password}

    def client(self) -> IMAPClient:
        client = IMAPClient("127.0.0.1", port=self.server.port, ssl=False, timeout=30)
        client.login(self.user, self.server.password)
        return client

    def append(self, *messages: bytes, folder: str = "INBOX") -> None:
        with self.client() as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            for raw in messages:
                client.append(folder, raw)

    def count(self, folder: str) -> int:
        with self.client() as client:
            if not client.folder_exists(folder):
                return 0
            return client.folder_status(folder, [b"MESSAGES"])[b"MESSAGES"]

    def message_ids(self, folder: str) -> list[str]:
        with self.client() as client:
            if not client.folder_exists(folder):
                return []
            client.select_folder(folder, readonly=True)
            found = client.fetch(client.search(), ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
            return sorted(v[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"].decode().split(":", 1)[-1].strip()
                          for v in found.values())


def _group_name() -> str:
    import grp
    return grp.getgrgid(os.getegid()).gr_name


def start_dovecot() -> Dovecot:
    binary = dovecot_binary()
    if binary is None:
        unavailable("Dovecot is not installed (Debian package dovecot-imapd; `make test` installs it as root)")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("dovecot"), pwd.getpwnam("dovenull")
        except KeyError:
            unavailable("running as root but the packaged dovecot/dovenull users are missing")
    server = Dovecot(binary)
    try:
        return server.start()
    except (RuntimeError, OSError) as exc:
        server.destroy()
        unavailable(f"could not start a private Dovecot: {exc}")
