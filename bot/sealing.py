"""Sealing the few values an outgoing message carries that the store must never hold in clear.

A verification code is kept only as a keyed hash, yet the email that carries it waits in the outbox until
the SMTP server takes it. So the text is stored with a marker (⟦code⟧) and the value itself sealed with
AES-GCM under a key derived from the server secret, bound to the message's Message-ID; the sender fills
the marker in at the last moment. A copy of the database alone reveals no code.
"""
from __future__ import annotations

import base64
import json
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bot.secret import derived_key

_PURPOSE = "outbox-seal"
_MARK = re.compile("\u27e6[a-z_]+\u27e7")


def mark(name: str) -> str:
    """The marker a template field is given when its value is sealed."""
    return f"\u27e6{name}\u27e7"


def fill(text: str | None, values: dict[str, str]) -> str | None:
    if text is None:
        return None
    for name, value in values.items():
        text = text.replace(mark(name), value)
    return text


def unfilled(text: str | None) -> bool:
    """True when a marker is left: sending the text would show the requester ⟦code⟧ instead of a code."""
    return bool(text) and _MARK.search(text) is not None


def seal(values: dict[str, str], *, bound_to: str) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(derived_key(_PURPOSE)).encrypt(nonce, json.dumps(values).encode(), bound_to.encode())
    return base64.b64encode(nonce + sealed).decode()


class SealBroken(ValueError):
    """The sealed values cannot be opened: the server secret changed, or the row was tampered with."""


def unseal(payload: str, *, bound_to: str) -> dict[str, str]:
    raw = base64.b64decode(payload)
    try:
        opened = AESGCM(derived_key(_PURPOSE)).decrypt(raw[:12], raw[12:], bound_to.encode())
    except InvalidTag:
        raise SealBroken("A sealed verification code cannot be opened: PRIVACY_DESK_SECRET_KEY (or the secret_key "
                         "file in the state folder) changed since it was queued. Send the requester a new code.") from None
    return json.loads(opened)
