"""How the console words and colours things: statuses, request types, days left, dates.

Template filters only; nothing here reads the case store.
"""
from __future__ import annotations

from datetime import datetime

from bot.deadlines import days_left
from bot.lifecycle import CLOSED, Status
from bot.models import utcnow
from bot.requests import RequestType

STATUS_LABELS = {
    Status.AWAITING_DETAILS.value: "Awaiting details",
    Status.AWAITING_VERIFICATION.value: "Awaiting identity check",
    Status.VERIFIED.value: "Verified, unclaimed",
    Status.IN_REVIEW.value: "In review",
    Status.AWAITING_REQUESTER.value: "Awaiting requester",
    Status.FULFILLED.value: "Fulfilled",
    Status.DENIED.value: "Denied",
    Status.WITHDRAWN.value: "Withdrawn",
}
CLOSED_VALUES = frozenset(s.value for s in CLOSED)
CHANNEL_LABELS = {"chat": "Chat", "email": "Email", "phone": "Phone", "post": "Post"}
LEVEL_LABELS = {"email": "email address", "phone": "phone number", "document": "identity document"}


def status_label(value: str) -> str:
    return STATUS_LABELS.get(value, value)


def request_label(value: str) -> str:
    try:
        label = RequestType(value).label
    except ValueError:
        return value
    return label[:1].upper() + label[1:]


def urgency(days: int, status: str = "") -> str:
    """The colour band of the days left: the law's month goes fast, so five days is already red."""
    if status in CLOSED_VALUES:
        return "closed"
    if days < 0:
        return "overdue"
    if days < 5:
        return "red"
    if days < 10:
        return "amber"
    return "green"


def days_text(days: int, status: str = "") -> str:
    if status in CLOSED_VALUES:
        return "Closed"
    if days < 0:
        return f"Overdue by {-days} day{'s' if days != -1 else ''}"
    if days == 0:
        return "Due today"
    return f"{days} day{'s' if days != 1 else ''} left"


EVENT_LABELS = {
    "opened": "opened the case", "request_attached": "attached a request", "request_split": "split a request off",
    "escalated": "handed the case to a person", "claimed": "claimed", "assigned": "assigned",
    "note": "noted", "status_changed": "changed the status", "deadline_extended": "extended the deadline",
    "notice_queued": "queued a notice to the requester", "notice_needs_post": "needs a notice sent by post",
    "authority_to_be_informed": "flagged the refusal for the supervisory authority",
    "information_requested": "asked the requester", "exported_with_personal_data": "exported with personal data",
    "handed_off": "put the case in the DPO queue", "staff_notified": "notified staff",
    "identity_verified": "recorded a proof of identity", "verification_code_sent": "sent a verification code",
    "verification_failed": "recorded a wrong verification code", "verification_locked": "locked verification",
    "verification_unlocked": "unlocked verification", "expired_unverified": "closed it: identity never proven",
    "letter_received": "received a letter", "reply_queued": "queued a reply", "task_opened": "opened a task",
    "viewed": "viewed the case", "personal_data_exported": "prepared a copy of the person's data", "own_data_erased":
        "erased what Privacy Desk held about the person elsewhere", "personal_data_reduced":
        "removed the personal data (retention or erasure)",
}


def event_label(action: str) -> str:
    return EVENT_LABELS.get(action, action.replace("_", " "))


def days_until(due: datetime) -> int:
    return days_left(due, utcnow())


def day(moment: datetime | None) -> str:
    return f"{moment:%d %b %Y}" if moment else ""


def minute(moment: datetime | None) -> str:
    return f"{moment:%d %b %Y %H:%M} UTC" if moment else ""


def levels_text(levels) -> str:
    return " + ".join(LEVEL_LABELS.get(level, level) for level in sorted(levels)) or "nothing"


FILTERS = {"status_label": status_label, "request_label": request_label, "urgency": urgency,
           "days_text": days_text, "day": day, "minute": minute, "event_label": event_label,
           "days_until": days_until, "levels_text": levels_text,
           "channel_label": lambda value: CHANNEL_LABELS.get(value, value)}
GLOBALS = {"STATUS_LABELS": STATUS_LABELS, "CLOSED_STATUSES": CLOSED_VALUES,
           "REQUEST_TYPES": [t.value for t in RequestType], "CHANNELS": list(CHANNEL_LABELS)}
