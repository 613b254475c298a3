"""Raw bytes from the mailbox -> a Letter. Never raises: a message that cannot be fully read becomes a
Letter with what could be read, notes in `errors`, and its raw bytes, so that nothing a person sent is lost."""
from __future__ import annotations

import hashlib
import mimetypes
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email import policy
from email.header import decode_header
from email.message import EmailMessage
from email.parser import BytesParser, HeaderParser
from email.utils import getaddresses, parsedate_to_datetime

from bot.contact import InvalidContact, normalise_email
from mail_ingest import clean, text
from mail_ingest.html import html_to_text

_MESSAGE_ID = re.compile(r"<([^<>\s]{1,250})>")
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f-\x9f<>:"|?*\\/]')
_MAX_IDS = 50


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    size: int


@dataclass
class Letter:
    raw: bytes
    message_id: str | None = None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    from_address: str | None = None
    from_name: str | None = None
    subject: str = ""
    date: datetime | None = None
    body: str = ""        # the whole text as written (HTML turned into text)
    text: str = ""        # what the person wrote this time: quotes and signature removed
    signature: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    # Signals that a program, not a person, sent it (see filters.py).
    auto_submitted: str | None = None
    precedence: str | None = None
    list_mail: bool = False
    autoreply_header: bool = False
    empty_return_path: bool = False
    delivery_report: bool = False
    reported_ids: list[str] = field(default_factory=list)  # Message-IDs of our mail a bounce reports on
    errors: list[str] = field(default_factory=list)

    @property
    def dedupe_key(self) -> str:
        """The same letter fetched twice (a crash, a UIDVALIDITY change) has the same key."""
        if self.message_id:
            return f"mid:{self.message_id}"
        return "sha256:" + hashlib.sha256(self.raw).hexdigest()

    @property
    def thread_ids(self) -> list[str]:
        ids = [self.in_reply_to, *reversed(self.references), *self.reported_ids]
        return list(dict.fromkeys(i for i in ids if i))[:_MAX_IDS]


def parse(raw: bytes) -> Letter:
    raw = bytes(raw or b"")
    letter = Letter(raw=raw)
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception as exc:  # noqa: BLE001 - the parser is lenient; this is the last net
        letter.errors.append(f"unreadable message ({type(exc).__name__})")
        return letter
    for step in (_read_ids, _read_sender, _read_subject_and_date, _read_signals, _read_body):
        try:
            step(message, letter)
        except Exception as exc:  # noqa: BLE001 - keep what the other steps can read
            letter.errors.append(f"{step.__name__.strip('_').replace('_', ' ')} failed ({type(exc).__name__})")
    return letter


def header(message: EmailMessage, name: str) -> str:
    """A header as text, even when the email package cannot parse it into its structured form."""
    try:
        value = message.get(name)
        return "" if value is None else text.repair(str(value))
    except Exception:  # noqa: BLE001 - malformed header: fall back to its raw value
        for key, value in message.raw_items():
            if key.lower() == name.lower():
                return text.repair(str(value))
        return ""


def decoded_header(message: EmailMessage, name: str) -> str:
    """Like header(), but encoded words in charsets Python does not know are read by our own decoder
    instead of becoming replacement characters (=?x-unknown?Q?R=E9clamation?= -> Réclamation)."""
    raw = next((str(v) for k, v in message.raw_items() if k.lower() == name.lower()), None)
    if raw is None or "=?" not in raw or text.repair(raw) != raw:
        return header(message, name)
    try:
        parts = decode_header(raw)
    except Exception:  # noqa: BLE001 - malformed encoded words: the email package's reading will do
        return header(message, name)
    return "".join(text.decode(part, charset) if isinstance(part, bytes) else part for part, charset in parts)


def message_ids(value: str) -> list[str]:
    return [f"<{m}>" for m in _MESSAGE_ID.findall(value or "")]


def normalise_message_id(value: str) -> str | None:
    """<local@domain> with nothing around it; a bare id gets its brackets back."""
    found = message_ids(value)
    if found:
        return text.one_line(found[0], 252)
    bare = (value or "").strip().split()
    return text.one_line(f"<{bare[0][:250]}>", 252) if bare and bare[0] not in ("<>",) else None


def _read_ids(message: EmailMessage, letter: Letter) -> None:
    letter.message_id = normalise_message_id(header(message, "Message-ID"))
    replied_to = message_ids(header(message, "In-Reply-To"))
    letter.in_reply_to = replied_to[0] if replied_to else None
    letter.references = message_ids(header(message, "References"))[-_MAX_IDS:]


def _read_sender(message: EmailMessage, letter: Letter) -> None:
    raw = header(message, "From")
    try:
        addresses = [(a.display_name, a.addr_spec) for a in message["From"].addresses]
    except Exception:  # noqa: BLE001 - unparseable structured header: read it the old way
        addresses = getaddresses([raw])
    for name, address in addresses:
        try:
            letter.from_address = normalise_email(text.one_line(address, 320))
        except InvalidContact:
            continue
        letter.from_name = text.one_line(name, 200) or None
        return


def _read_subject_and_date(message: EmailMessage, letter: Letter) -> None:
    letter.subject = text.one_line(decoded_header(message, "Subject"))
    raw_date = header(message, "Date")
    if raw_date:
        try:
            moment = parsedate_to_datetime(raw_date)
            letter.date = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
        except (TypeError, ValueError, IndexError, OverflowError):
            letter.errors.append("unreadable Date header")


def _read_signals(message: EmailMessage, letter: Letter) -> None:
    letter.auto_submitted = header(message, "Auto-Submitted").split(";")[0].strip().lower() or None
    letter.precedence = header(message, "Precedence").strip().lower() or None
    letter.list_mail = bool(header(message, "List-Unsubscribe") or header(message, "List-Id"))
    suppress = header(message, "X-Auto-Response-Suppress").lower()
    letter.autoreply_header = bool(header(message, "X-Autoreply") or header(message, "X-Autorespond")
                                   or header(message, "X-Loop") or "oof" in suppress or "all" in suppress)
    return_paths = [header(message, "Return-Path")] if "Return-Path" in message else []
    letter.empty_return_path = any(p.strip() in ("<>", "") for p in return_paths)
    letter.delivery_report = message.get_content_type() == "multipart/report"


def _read_body(message: EmailMessage, letter: Letter) -> None:
    body_part = _body_part(message)
    if body_part is not None:
        payload = _payload(body_part)
        content = text.decode(payload, body_part.get_content_charset())
        letter.body = text.body_text(html_to_text(content) if body_part.get_content_subtype() == "html"
                                     else content)
    cleaned = clean.clean(letter.body)
    letter.text, letter.signature = cleaned.text, cleaned.signature
    for part in _leaves(message):
        if part is body_part:
            continue
        if part.get_content_type() in ("message/rfc822", "text/rfc822-headers", "message/rfc822-headers"):
            letter.reported_ids.extend(_reported_ids(part))
        if _is_attachment(part):
            letter.attachments.append(_attachment(part))


def _body_part(message: EmailMessage):
    if not message.is_multipart():
        return message if message.get_content_maintype() == "text" and not _named(message) else None
    try:
        return message.get_body(preferencelist=("plain", "html"))
    except Exception:  # noqa: BLE001 - odd structure: the first text part will do
        return next((p for p in _leaves(message) if p.get_content_maintype() == "text"), None)


def _leaves(part, depth: int = 0):
    """The parts of a message without descending into attached messages (a bounce carries our own)."""
    if part.is_multipart() and depth < 20 and part.get_content_type() != "message/rfc822":
        for child in part.get_payload() or []:
            if hasattr(child, "get_content_type"):
                yield from _leaves(child, depth + 1)
    else:
        yield part


def _payload(part) -> bytes:
    data = part.get_payload(decode=True)
    if isinstance(data, bytes):
        return data
    inner = part.get_payload()
    return text.repair(str(inner)).encode("utf-8") if inner is not None else b""


def _named(part) -> bool:
    try:
        return bool(part.get_filename()) or part.get_content_disposition() == "attachment"
    except Exception:  # noqa: BLE001
        return True


def _is_attachment(part) -> bool:
    kind = part.get_content_type()
    if kind in ("text/rfc822-headers", "message/delivery-status", "message/disposition-notification"):
        return False
    return _named(part) or part.get_content_maintype() not in ("text", "multipart")


def _attachment(part) -> Attachment:
    kind = text.one_line(part.get_content_type(), 100)
    if kind == "message/rfc822":
        inner = part.get_payload()
        size = len(bytes(inner[0])) if inner and hasattr(inner[0], "as_bytes") else 0
    else:
        size = len(_payload(part))
    try:
        name = part.get_filename() or ""
    except Exception:  # noqa: BLE001 - a broken RFC 2231 name still lists the attachment
        name = ""
    return Attachment(safe_filename(text.repair(name), kind), kind, size)


def safe_filename(name: str, content_type: str = "application/octet-stream", limit: int = 100) -> str:
    """A name staff can see and save: no folders, no control characters, bounded, extension kept."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(_UNSAFE_NAME.sub("_", name).split()).lstrip(". ")
    if not name:
        name = "attachment" + (mimetypes.guess_extension(content_type) or ".bin")
    if len(name) > limit:
        stem, dot, extension = name.rpartition(".")
        extension = extension[:10] if dot and stem else ""
        name = name[:limit - len(extension) - 1].rstrip() + ("." + extension if extension else "")
    return name[:limit]


def _reported_ids(part) -> list[str]:
    """The Message-ID of the original inside a bounce, so the bounce reaches the case it concerns."""
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        original = inner[0] if inner else None
        value = header(original, "Message-ID") if original is not None else ""
    else:
        value = HeaderParser().parsestr(text.decode(_payload(part))).get("Message-ID", "")
    found = normalise_message_id(str(value)) if value else None
    return [found] if found else []
