"""Reading the console's forms strictly: small url-encoded bodies, clean text, clear refusals.

Staff pages post only plain forms, so anything else (uploads, huge bodies, binary, control characters)
is refused with a page that says what was wrong, before any of it reaches the case store.
"""
from __future__ import annotations

import unicodedata
from urllib.parse import parse_qsl

from starlette.requests import Request

MAX_BODY = 64 * 1024  # the longest form (a fulfilment note) fits many times over
MAX_FIELDS = 500      # a bulk action on a long queue sends one field per ticked case


class FormRefused(Exception):
    """A form the console will not act on; `status` is the HTTP status, the message is shown to staff."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


async def read_form(request: Request) -> "Form":
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        raise FormRefused(415, "The console only accepts its own forms (application/x-www-form-urlencoded).")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise FormRefused(413, f"The form is too large ({int(declared) // 1024} KiB); the limit is "
                               f"{MAX_BODY // 1024} KiB. Shorten the text and send it again.")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_BODY:
            raise FormRefused(413, f"The form is too large; the limit is {MAX_BODY // 1024} KiB. "
                                   "Shorten the text and send it again.")
    try:
        text = body.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=False, max_num_fields=MAX_FIELDS,
                          encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise FormRefused(400, "The form was not valid UTF-8 text.") from None
    except ValueError:
        raise FormRefused(400, f"The form has too many fields (at most {MAX_FIELDS}).") from None
    return Form(pairs)


def _clean(value: str, *, multiline: bool) -> str | None:
    """The value with line endings normalised, or None when it holds control characters."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    allowed = {"\n", "\t"} if multiline else {"\t"}
    for char in value:
        if char not in allowed and unicodedata.category(char) in ("Cc", "Cs"):
            return None
    return value


class Form:
    def __init__(self, pairs: list[tuple[str, str]]):
        self._pairs = pairs

    def get(self, name: str) -> str:
        return next((value for key, value in self._pairs if key == name), "")

    def text(self, name: str, label: str, *, max_length: int, required: bool = False,
             multiline: bool = False) -> str:
        value = _clean(self.get(name), multiline=multiline)
        if value is None:
            raise FormRefused(400, f"{label} contains control characters; type it as plain text.")
        value = value.strip()
        if len(value) > max_length:
            raise FormRefused(422, f"{label} is {len(value)} characters long; at most {max_length} fit. "
                                   "Shorten it and send it again.")
        if required and not value:
            raise FormRefused(422, f"{label} is required.")
        return value

    def choice(self, name: str, label: str, options) -> str:
        value = self.get(name)
        if value not in options:
            raise FormRefused(422, f"{label}: choose one of {', '.join(map(str, options))}.")
        return value

    def references(self, name: str) -> list[str]:
        """Every value of a repeated field (the ticked cases of a bulk action), each a short plain string."""
        values = [value for key, value in self._pairs if key == name]
        if any(len(value) > 40 or _clean(value, multiline=False) is None for value in values):
            raise FormRefused(400, "A ticked case is not a case reference (one looks like PD-7K3M-Q9TX).")
        return [value.strip() for value in values if value.strip()]
