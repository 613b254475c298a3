"""Turning whatever bytes a mailer sent into text a database and a person can read.

Mailers lie about charsets: Windows-1252 labelled ISO-8859-1, UTF-8 labelled US-ASCII, labels no codec knows.
Decoding never fails here; the worst case is a replacement character.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

# Labels that, in practice, mean a superset (as browsers read them, WHATWG Encoding Standard).
_SUPERSET = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252",
             "ascii": "cp1252", "iso-8859-9": "cp1254", "gb2312": "gb18030", "gbk": "gb18030",
             "ks_c_5601-1987": "cp949", "euc-kr": "cp949", "tis-620": "cp874", "iso-8859-11": "cp874"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    name = _SUPERSET.get(label.strip().strip('"').lower(), label.strip().strip('"').lower())
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):
        return None


def decode(data: bytes, declared: str | None = None) -> str:
    """Text of `data`: UTF-8 when it is valid UTF-8 (legacy text almost never is), else the declared
    charset (read as its common superset), else Windows-1252, else Latin-1, which accepts every byte."""
    declared_codec = _codec(declared)
    candidates = ["utf-8", declared_codec, "cp1252"]
    if declared_codec and declared_codec.startswith(("utf-16", "utf-32")):
        candidates.insert(0, declared_codec)
    for name in candidates:
        if not name:
            continue
        try:
            return data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1")


def repair(value: str) -> str:
    """A str the email package produced, made storable: bytes it could not decode come back as
    surrogates (surrogateescape), which neither UTF-8 nor PostgreSQL accept."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        pass
    try:
        return decode(value.encode("utf-8", "surrogateescape"))
    except UnicodeEncodeError:
        return value.encode("utf-8", "replace").decode("utf-8")


def body_text(value: str) -> str:
    """Body text with one kind of line break and no control characters (NUL breaks PostgreSQL)."""
    value = repair(value).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", unicodedata.normalize("NFC", value))


def one_line(value: str, limit: int = 998) -> str:
    """A header value on one line, bounded: what a subject or a name may be."""
    return " ".join(body_text(value).split())[:limit]
