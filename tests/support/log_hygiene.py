"""No personal data in logs, checked on every end-to-end test that carries the `personal_data_free_logs` marker
(tests/conftest.py applies it to the mail, verification and widget suites).

Everything logged at INFO and above during the test is kept (INFO is what production runs at), together with any
server output file the test registers with `watch_file`; at the end the test fails if they hold an email address
other than Privacy Desk's own, a telephone number, or a verification code or link token issued during the test.
"""
from __future__ import annotations

import logging
import re
from email.utils import getaddresses
from pathlib import Path

from bot import challenges, settings

EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# International numbers as people and E.164 write them: +44 7700 900123, +447700900123, +33 6 12 34 56 78.
PHONE = re.compile(r"\+\d{1,3}(?:[ .-]?\d){6,14}\b")


# Logs of what tests run in place of other people's systems: aiosmtpd is the recipient's mail server, and
# Starlette's test client (httpx, to http://testserver/) the requester's browser.
NOT_OURS = ("mail.log",)


def _not_ours(record: logging.LogRecord) -> bool:
    return record.name.startswith(NOT_OURS) or (record.name.startswith("httpx")
                                                and "http://testserver/" in record.getMessage())


class _Keep(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if _not_ours(record):
            return
        text = f"{record.name}: {record.getMessage()}"
        if record.exc_info and record.exc_info[1] is not None:
            text += f" | {type(record.exc_info[1]).__name__}: {record.exc_info[1]}"
        self.lines.append(text)


class LogWatch:
    """Keeps the test's log records and the codes it issued; `problems()` lists what should not be there."""

    def __init__(self, monkeypatch):
        self._keep, self._files, self.codes = _Keep(), [], set()
        self._monkeypatch = monkeypatch
        self._root_level = None

    def __enter__(self) -> "LogWatch":
        root = logging.getLogger()
        root.addHandler(self._keep)
        self._root_level = root.level
        if root.level > logging.INFO or root.level == logging.NOTSET:
            root.setLevel(logging.INFO)
        issue = challenges.issue

        def issue_and_remember(*args, **kwargs):
            issued = issue(*args, **kwargs)
            self.codes.update((issued.code, issued.link_token))
            return issued

        self._monkeypatch.setattr(challenges, "issue", issue_and_remember)
        return self

    def __exit__(self, *_):
        root = logging.getLogger()
        root.removeHandler(self._keep)
        root.setLevel(self._root_level)

    def watch_file(self, path: Path | str) -> None:
        """Server output (a subprocess's log file) to check as well, if it still exists at the end."""
        self._files.append(Path(path))

    def text(self) -> str:
        files = [p.read_text(errors="replace") for p in self._files if p.exists()]
        return "\n".join(self._keep.lines + files)

    def problems(self) -> list[str]:
        return personal_data_in(self.text(), self.codes)


def own_addresses() -> set[str]:
    """Privacy Desk's own addresses, which logs may name."""
    values = [settings.get(name) for name in ("mail_from", "dpo_email", "imap_user")]
    return {address.lower() for _, address in getaddresses(values) if address}


def personal_data_in(text: str, codes: set[str] = frozenset()) -> list[str]:
    """Each line of `text` that names a person's email address, a phone number or one of `codes`."""
    own, found = own_addresses(), []
    for line in text.splitlines():
        if any(a.lower() not in own for a in EMAIL.findall(line)) or PHONE.search(line) \
                or any(re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", line) for code in codes if code):
            found.append(line[:300])
    return found
