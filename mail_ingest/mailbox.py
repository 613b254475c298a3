"""One IMAP connection to the data-compliance mailbox (imapclient), with the letters' folder selected."""
from __future__ import annotations

import select
import ssl
from dataclasses import dataclass
from datetime import datetime, timezone
from threading import Event
from time import monotonic
from typing import Callable

from imapclient import IMAPClient, SocketTimeout
from imapclient.exceptions import IMAPClientError

from bot import settings
from bot.settings import SettingError

TLS_MODES = ("tls", "starttls", "none")


@dataclass(frozen=True)
class MailboxSettings:
    host: str
    port: int
    tls: str
    user: str
    password: str
    folder: str = "INBOX"
    processed_folder: str = "Processed"
    failed_folder: str = "Failed"

    @property
    def key(self) -> str:
        """How the database names this mailbox (position, lease, dead letters)."""
        return f"imap://{self.user}@{self.host}:{self.port}/{self.folder}"[:300]

    @classmethod
    def from_settings(cls) -> "MailboxSettings | None":
        """The configured mailbox, or None when mail intake is off (no PRIVACY_DESK_IMAP_HOST)."""
        host = settings.get("imap_host").strip()
        if not host:
            return None
        tls = settings.get("imap_tls").strip().lower()
        if tls not in TLS_MODES:
            raise SettingError(f"PRIVACY_DESK_IMAP_TLS must be tls, starttls or none, not {tls!r}.")
        if not settings.get("imap_user").strip():
            raise SettingError("PRIVACY_DESK_IMAP_HOST is set but PRIVACY_DESK_IMAP_USER is empty: "
                               "give the mailbox's user name (and PRIVACY_DESK_IMAP_PASSWORD).")
        return cls(host=host, port=settings.get_int("imap_port"), tls=tls, user=settings.get("imap_user").strip(),
                   password=settings.get("imap_password"), folder=settings.get("imap_folder").strip() or "INBOX",
                   processed_folder=settings.get("imap_processed_folder").strip(),
                   failed_folder=settings.get("imap_failed_folder").strip())


class Mailbox:
    def __init__(self, config: MailboxSettings, *, timeout: float = 120, use_move: bool | None = None):
        self.config = config
        self.client = _connect(config, timeout)
        try:
            self.client.login(config.user, config.password)
            self.client.normalise_times = False  # INTERNALDATE with its zone: the legal clock starts there
            for folder in (config.processed_folder, config.failed_folder):
                self._ensure_folder(folder)
            selected = self.client.select_folder(config.folder)
        except BaseException:
            self.close()
            raise
        self.uidvalidity = int(selected[b"UIDVALIDITY"])
        self.can_move = self.client.has_capability("MOVE") if use_move is None else use_move
        self.can_idle = self.client.has_capability("IDLE")

    def __enter__(self) -> "Mailbox":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def _ensure_folder(self, folder: str) -> None:
        if folder and not self.client.folder_exists(folder):
            try:
                self.client.create_folder(folder)
            except IMAPClientError:
                if not self.client.folder_exists(folder):  # another instance may have just created it
                    raise

    def new_uids(self, after: int) -> list[int]:
        # "UID n:*" always includes the highest UID, even when it is lower than n (RFC 3501 6.4.8).
        return sorted(uid for uid in self.client.search(["UID", f"{after + 1}:*"]) if uid > after)

    def sizes(self, uids: list[int]) -> dict[int, int]:
        found = self.client.fetch(uids, ["RFC822.SIZE"]) if uids else {}
        return {uid: int(data[b"RFC822.SIZE"]) for uid, data in found.items() if b"RFC822.SIZE" in data}

    def header_block(self, uid: int) -> bytes:
        found = self.client.fetch([uid], ["BODY.PEEK[HEADER]"]).get(uid, {})
        return found.get(b"BODY[HEADER]") or b""

    def letters(self, uids: list[int]) -> dict[int, tuple[bytes, datetime | None]]:
        """Raw bytes and arrival time; PEEK leaves the \\Seen flag alone for people reading the mailbox."""
        found = self.client.fetch(uids, ["BODY.PEEK[]", "INTERNALDATE"]) if uids else {}
        return {uid: (data[b"BODY[]"], _aware(data.get(b"INTERNALDATE")))
                for uid, data in found.items() if data.get(b"BODY[]") is not None}

    def move(self, uids: list[int], folder: str) -> None:
        if not uids or not folder:
            return  # no folder configured: letters stay where they are; the position keeps them from coming back
        if self.can_move:
            self.client.move(uids, folder)
            return
        self.client.copy(uids, folder)
        self.client.add_flags(uids, [b"\\Deleted"], silent=True)
        if self.client.has_capability("UIDPLUS"):
            self.client.uid_expunge(uids)
        else:
            self.client.expunge()

    def wait_for_mail(self, seconds: float, stop: Event, tick: Callable[[], None], every: float = 30) -> bool:
        """Until new mail is announced (IDLE) or `seconds` pass; `tick` runs at least every `every` seconds."""
        end = monotonic() + seconds
        if not self.can_idle:
            while not stop.is_set() and monotonic() < end:
                stop.wait(max(0.0, min(every, end - monotonic())))
                tick()
            return False
        self.client.idle()
        try:
            while not stop.is_set() and monotonic() < end:
                if any(len(r) > 1 and r[1] in (b"EXISTS", b"RECENT") for r in self._idle_responses(
                        min(every, max(0.0, end - monotonic())))):
                    return True
                tick()
            return False
        finally:
            self.client.idle_done()

    def _idle_responses(self, timeout: float) -> list:
        sock = self.client.socket()
        pending = isinstance(sock, ssl.SSLSocket) and sock.pending()
        if not pending and not select.select([sock], [], [], timeout)[0]:
            return []
        responses = self.client.idle_check(timeout=0)
        if not responses:
            raise ConnectionError("the mail server closed the connection during IDLE")
        return responses

    def close(self) -> None:
        try:
            self.client.logout()
        except Exception:  # noqa: BLE001 - a dead connection needs no goodbye
            try:
                self.client.shutdown()
            except Exception:  # noqa: BLE001
                pass


def _connect(config: MailboxSettings, timeout: float) -> IMAPClient:
    context = ssl.create_default_context()
    limits = SocketTimeout(connect=15, read=timeout)
    if config.tls == "tls":
        return IMAPClient(config.host, port=config.port, ssl=True, ssl_context=context, timeout=limits)
    client = IMAPClient(config.host, port=config.port, ssl=False, timeout=limits)
    if config.tls == "starttls":
        client.starttls(context)
    return client


def _aware(moment) -> datetime | None:
    if not isinstance(moment, datetime):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
