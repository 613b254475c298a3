"""Case references such as PD-7K3M-Q9TX: random, not guessable, easy to read out on the phone.

Crockford's base-32 alphabet leaves out I, L, O and U, so a reference read aloud or typed by hand
is not mistaken; when a person types one, O is read as 0 and I or L as 1.
"""
from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TYPO = str.maketrans({"O": "0", "I": "1", "L": "1"})
PATTERN = re.compile(r"\bPD[-\s]?([0-9A-Z]{4})[-\s]?([0-9A-Z]{4})\b", re.IGNORECASE)


def new_reference() -> str:
    """40 random bits: guessing an existing reference is hopeless even with millions of cases."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"PD-{chars[:4]}-{chars[4:]}"


def normalise(text: str) -> str | None:
    """The reference written in `text` in canonical form, or None when there is none."""
    match = PATTERN.search(text or "")
    if not match:
        return None
    chars = (match.group(1) + match.group(2)).upper().translate(_TYPO)
    if any(c not in ALPHABET for c in chars):
        return None
    return f"PD-{chars[:4]}-{chars[4:]}"
