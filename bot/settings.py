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
    Setting("retain_conversations_days", "30",
            "Chats and letters that never became a case are deleted this many days after their last message."),
    Setting("retain_closed_cases_months", "12",
            "A closed case keeps its requester's personal data this many months after closing; then only its "
            "minimal record stays (reference, request types, dates, outcome, who acted and when)."),
    Setting("default_phone_region", "GB",
            "Region used to read phone numbers written without an international prefix (ISO 3166 code)."),
    Setting("default_language", "en", "Language of replies when the requester's language is unknown."),
    Setting("secret_key", "", "Server secret for hashing verification codes and signing sessions. "
            "Generated into the state folder (PRIVACY_DESK_STATE_DIR) on first use when empty.", secret=True),
    Setting("state_dir", "", "Folder outside the project for generated secrets (server secret, Rasa API token), "
            "readable by its owner only; empty: $XDG_STATE_HOME/privacy-desk, else ~/.local/state/privacy-desk."),
    Setting("staff_name", "", "Name recorded in the audit trail for CLI actions when --as is not given."),
    Setting("smtp_host", "localhost", "SMTP server that sends Privacy Desk's emails."),
    Setting("smtp_port", "25", "SMTP port."),
    Setting("smtp_tls", "starttls", "none, starttls or tls."),
    Setting("smtp_user", "", "SMTP user name (empty: no login)."),
    Setting("smtp_password", "", "SMTP password.", secret=True),
    Setting("mail_from", "Privacy Desk <privacy@example.com>", "From address of every email Privacy Desk sends."),
    Setting("dpo_email", "dpo@example.com", "Where staff notifications and the daily digest are sent."),
    Setting("smtp_timeout_seconds", "30",
            "How long one SMTP connection or command may take before the attempt counts as failed."),
    Setting("outbox_poll_seconds", "5", "How often the outbox sender looks for emails due to be sent."),
    Setting("outbox_max_attempts", "8",
            "Sending attempts before an email is marked failed and staff are told."),
    Setting("outbox_retry_base_seconds", "60",
            "Wait after the first failed attempt; it doubles with each further failure (with random jitter)."),
    Setting("outbox_retry_max_seconds", "3600", "The longest wait between two sending attempts."),
    Setting("public_url", "http://127.0.0.1:8080",
            "Address people reach Privacy Desk's website at; verification links and staff emails point there."),
    Setting("digest_time", "08:00", "Time of day (HH:MM) the daily digest of urgent cases is sent to the DPO."),
    Setting("digest_timezone", "UTC", "Time zone of PRIVACY_DESK_DIGEST_TIME, e.g. Europe/Paris."),
    Setting("console_host", "127.0.0.1", "Address the staff console (and the widget page) listens on."),
    Setting("console_port", "8080", "Port of the staff console; staff open http://HOST:PORT/console/."),
    Setting("console_session_minutes", "30",
            "Staff are signed out after this many minutes without activity (and always after 12 hours)."),
    Setting("console_secure_cookies", "false",
            "true when the console is served over HTTPS, so the session cookie is never sent in clear."),
    Setting("admin_name", "admin", "Name of the first DPO account, created on first run when there is no staff."),
    Setting("admin_password", "", "Password of that first DPO account; when empty a random one is generated "
            "and printed once.", secret=True),
    Setting("rasa_host", "127.0.0.1", "Address the Rasa server listens on; visitors' browsers connect to it "
            "from the widget, so 0.0.0.0 when the website is served to other machines."),
    Setting("rasa_port", "5005", "Port of the Rasa server (the widget's socket.io connection and the REST channel)."),
    Setting("actions_port", "5055", "Port of the Rasa action server; it listens on 127.0.0.1 only."),
    Setting("rasa_api_token", "", "Token Rasa's HTTP API (conversations, model) requires as ?token=...; the "
            "chat and mail channels need none. Generated into the state folder on first run when empty.",
            secret=True),
    Setting("widget_rasa_url", "", "Address browsers use to reach the Rasa server when it is behind a proxy, "
            "e.g. https://chat.example.com (empty: the website's own host name on PRIVACY_DESK_RASA_PORT)."),
    Setting("imap_host", "", "IMAP server of the data-compliance mailbox; empty: mail intake is off."),
    Setting("imap_port", "993", "IMAP port (993 with tls, 143 with starttls or none)."),
    Setting("imap_tls", "tls", "tls, starttls or none (none only for a server on the same machine)."),
    Setting("imap_user", "", "IMAP user name of the data-compliance mailbox."),
    Setting("imap_password", "", "IMAP password.", secret=True),
    Setting("imap_folder", "INBOX", "Folder that receives the letters."),
    Setting("imap_processed_folder", "Processed",
            "Letters are moved here once stored (created when missing; empty: they stay where they are)."),
    Setting("imap_failed_folder", "Failed",
            "Letters that cannot be taken in are moved here; `privacy-desk mail dead-letters` lists them."),
    Setting("max_message_bytes", "10485760",
            "Bigger messages are not downloaded: they go to the Failed folder and the dead-letter list."),
    Setting("mail_batch_size", "25", "Letters fetched from the mailbox at a time."),
    Setting("mail_poll_seconds", "60", "How often the mailbox is checked when the server does not offer IDLE."),
    Setting("mail_max_attempts", "3", "A letter that fails this many times becomes a dead letter."),
    Setting("mail_reply_limit_per_hour", "5",
            "Automatic replies to one sender per hour; past it, letters are kept for staff unanswered."),
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
