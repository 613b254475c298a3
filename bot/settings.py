"""Every setting is a PRIVACY_DESK_* environment variable, declared once here with its default and meaning.

`privacy-desk settings` prints this table, and the README lists it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PREFIX = "PRIVACY_DESK_"
PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str
    secret: bool = False

    @property
    def env(self) -> str:
        return PREFIX + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("database_url", f"sqlite:///{PROJECT_DIR / 'var' / 'privacy_desk.db'}",
            "SQLAlchemy URL of the case store; a postgresql:// URL when one machine is not enough."),
    Setting("recording_retention_months", "12",
            "How long call recordings are kept; requests about older calls are told the recording is no longer held."),
    Setting("unverified_expiry_days", "30",
            "Cases still awaiting identity verification after this many days are closed as withdrawn."),
    Setting("default_phone_region", "GB",
            "Region used to read phone numbers written without an international prefix (ISO 3166 code)."),
    Setting("default_language", "en", "Language of replies when the requester's language is unknown."),
    Setting("secret_key", "", "Server secret for hashing verification codes and signing sessions. "
            "Generated into var/secret_key on first use when empty.", secret=True),
    Setting("staff_name", "", "Name recorded in the audit trail for CLI actions when --as is not given."),
    Setting("smtp_host", "localhost", "SMTP server that sends Privacy Desk's emails."),
    Setting("smtp_port", "25", "SMTP port."),
    Setting("smtp_tls", "starttls", "none, starttls or tls."),
    Setting("smtp_user", "", "SMTP user name (empty: no login)."),
    Setting("smtp_password", "", "SMTP password.", secret=True),
    Setting("mail_from", "Privacy Desk <privacy@example.com>", "From address of every email Privacy Desk sends."),
    Setting("dpo_email", "dpo@example.com", "Where staff notifications and the daily digest are sent."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    """The value of a setting: its environment variable, else its default."""
    setting = _BY_NAME[name]
    return os.environ.get(setting.env, setting.default)


def get_int(name: str) -> int:
    value = get(name)
    try:
        return int(value)
    except ValueError:
        raise SettingError(f"{_BY_NAME[name].env} must be a whole number, not {value!r}.") from None


class SettingError(ValueError):
    """A setting has a value Privacy Desk cannot use; the message names the variable."""
