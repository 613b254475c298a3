"""What a copy of a person's records leaves out although it passed through their conversation: verification
codes and the tokens of verification links.

A code proves identity; it is not data about the person, and a copy of it (even an expired one) has no place
in a package that is read, forwarded and archived. The store never holds one in clear, but people type their
code into the chat, reply to the verification email with it, or paste its link, so their own words may.
"""
from __future__ import annotations

import re

from bot.challenges import normalise_code

WITHHELD = "[verification code withheld]"
LINK_WITHHELD = "[link withheld]"
CODE_FIELDS = frozenset({"verification_code", "status_code"})  # the assistant's form fields that take a code

_SEALED_MARK = re.compile("\u27e6[a-z_]+\u27e7")  # where the outbox keeps a sealed value (bot/sealing.py)
_VERIFY_LINK = re.compile(r"\S*/verify/[^\s\"'<>]+")
_CODE_WORD = re.compile(r"\b(?:code|codes|código|codice|kod|verification|Bestätigungscode)\b", re.IGNORECASE)
_ANY_DIGIT = re.compile(r"\d")
_SIX_DIGITS = re.compile(r"(?<![\d\w])\d{3}[ .\-]?\d{3}(?![\d\w])")


def withhold(text: str | None, *, answering: str | None = None) -> str:
    """The text with codes and link tokens withheld. `answering`: the form field the person was answering."""
    if not text:
        return text or ""
    if normalise_code(text) is not None or (answering in CODE_FIELDS and _ANY_DIGIT.search(text)):
        return WITHHELD  # "stop" or "send me a new one" at that step are kept: they hold no code
    text = _SEALED_MARK.sub(lambda mark: LINK_WITHHELD if mark.group() == "\u27e6link\u27e7" else WITHHELD, text)
    text = _VERIFY_LINK.sub(LINK_WITHHELD, text)
    return "\n".join(_SIX_DIGITS.sub(WITHHELD, line) if _CODE_WORD.search(line) else line
                     for line in text.split("\n"))
