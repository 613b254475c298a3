"""The server secret, and the keys derived from it for each purpose (verification codes, link tokens, sealing).

PRIVACY_DESK_SECRET_KEY when set; otherwise var/secret_key, generated on first use with mode 0600. The file
appears atomically (written aside, then linked into place), so two processes starting at once read the same
secret. The staff console signs its sessions with derived_key("console-session").
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from bot import settings

DEFAULT_FILE = settings.PROJECT_DIR / "var" / "secret_key"


def server_secret(path: Path | None = None) -> str:
    configured = settings.get("secret_key")
    if configured:
        return configured
    path = Path(path or DEFAULT_FILE)
    if not path.exists():
        _create(path)
    return _read(path)


def derived_key(purpose: str) -> bytes:
    """A separate key per purpose, so a hash made for one use can never be replayed as another."""
    return hmac.new(server_secret().encode(), f"privacy-desk/{purpose}".encode(), hashlib.sha256).digest()


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 of `value` under the purpose's key, as hex: what the store keeps instead of a code."""
    return hmac.new(derived_key(purpose), value.encode(), hashlib.sha256).hexdigest()


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_urlsafe(48))
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass  # another process was first; its secret is the one
    finally:
        temporary.unlink()


def _read(path: Path) -> str:
    value = path.read_text().strip()
    if len(value) < 32:
        raise RuntimeError(f"{path} holds no usable secret (too short); delete it to generate a new one, "
                           "or set PRIVACY_DESK_SECRET_KEY.")
    return value
