"""The server secret, the keys derived from it for each purpose (verification codes, link tokens, sealing), and
the token of Rasa's HTTP API.

Each is its setting when set (PRIVACY_DESK_SECRET_KEY, PRIVACY_DESK_RASA_API_TOKEN); otherwise a file generated on
first use in the state folder (PRIVACY_DESK_STATE_DIR), which lies outside the project so that no copy, archive
or commit of the project ever carries a secret. The folder is owner-only (0700), the files 0600. A file appears
atomically (written aside, then linked into place), so two processes starting at once read the same value. The
staff console signs its sessions with derived_key("console-session").
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from bot import settings

SERVER_SECRET_FILE = "secret_key"
RASA_API_TOKEN_FILE = "rasa_api_token"
# Where earlier versions generated the server secret, inside the project.
LEGACY_SECRET_FILE = settings.PROJECT_DIR / "var" / "secret_key"


def state_dir() -> Path:
    configured = settings.get("state_dir")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(base) / "privacy-desk"


def server_secret(path: Path | None = None) -> str:
    configured = settings.get("secret_key")
    if configured:
        return configured
    if path is not None:
        return stored_secret(Path(path))
    # Codes already sent and sealed outbox parts were made with the old file's secret: moving it (rather than
    # generating a new one) keeps them valid.
    return stored_secret(state_dir() / SERVER_SECRET_FILE, migrate_from=LEGACY_SECRET_FILE)


def rasa_api_token() -> str:
    """What Rasa's HTTP API requires (`--auth-token`), and what Privacy Desk's own calls to it send."""
    return settings.get("rasa_api_token") or stored_secret(state_dir() / RASA_API_TOKEN_FILE)


def derived_key(purpose: str) -> bytes:
    """A separate key per purpose, so a hash made for one use can never be replayed as another."""
    return hmac.new(server_secret().encode(), f"privacy-desk/{purpose}".encode(), hashlib.sha256).digest()


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 of `value` under the purpose's key, as hex: what the store keeps instead of a code."""
    return hmac.new(derived_key(purpose), value.encode(), hashlib.sha256).hexdigest()


def stored_secret(path: Path, migrate_from: Path | None = None) -> str:
    """The secret kept in `path`, created on first use: `migrate_from`'s value when that file exists (it is then
    removed), else a new random one."""
    if not path.exists():
        _private_folder(path.parent)
        _create(path, _legacy_value(migrate_from) or secrets.token_urlsafe(48))
    value = _read(path)
    if migrate_from is not None and _legacy_value(migrate_from) == value:
        # Removed only once `path` holds its value, so a process starting meanwhile finds one of the two. An old
        # file with another value (a second copy of the project) is left alone: it is not this one's to delete.
        migrate_from.unlink(missing_ok=True)
    return value


def _legacy_value(path: Path | None) -> str | None:
    try:
        return _read(path) if path is not None else None
    except FileNotFoundError:
        return None  # never existed, or another process has just moved it


def _private_folder(folder: Path) -> None:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.chmod(folder, 0o700)  # mkdir leaves a folder that already exists as it was
    except PermissionError:
        pass  # a folder provided by the administrator, who decides who reads it


def _create(path: Path, value: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(value)
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
                           "or set the setting it stands for (PRIVACY_DESK_SECRET_KEY, PRIVACY_DESK_RASA_API_TOKEN).")
    return value
