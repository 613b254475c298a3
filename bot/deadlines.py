"""Legal time limits, GDPR Art. 12(3): one month from receipt, extendable by up to two further months.

Months are calendar months; a day that does not exist in the target month falls on its last day
(31 January + 1 month = 28 or 29 February).
"""
from __future__ import annotations

import calendar
from datetime import date, datetime

RESPONSE_MONTHS = 1
MAX_EXTENSION_MONTHS = 2


def add_months(moment: datetime | date, months: int):
    """The same day and time `months` calendar months later (or earlier), clamped to the month's last day."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def due_at(received_at: datetime, extension_months: int = 0) -> datetime:
    return add_months(received_at, RESPONSE_MONTHS + extension_months)


class ExtensionRefused(ValueError):
    """An extension the law does not allow; the message says why."""


def check_extension(*, received_at: datetime, already_extended: int, months: int, reason: str,
                    now: datetime) -> None:
    """Art. 12(3): at most two further months in all, with reasons, told to the person within the first month."""
    if not reason or not reason.strip():
        raise ExtensionRefused("An extension needs a reason: the requester is told it.")
    if months < 1:
        raise ExtensionRefused(f"Extend by 1 or 2 months, not {months}.")
    if already_extended + months > MAX_EXTENSION_MONTHS:
        left = MAX_EXTENSION_MONTHS - already_extended
        raise ExtensionRefused(f"The law allows at most {MAX_EXTENSION_MONTHS} further months in all; "
                               f"this case has {left} left.")
    if now > due_at(received_at):
        raise ExtensionRefused("An extension must be decided and told to the requester within the first month "
                               f"after receipt, which ended on {due_at(received_at):%d %B %Y}.")


def days_left(due: datetime, now: datetime) -> int:
    """Whole calendar days until the due date; negative when overdue."""
    return (due.date() - now.date()).days


def recording_still_held(call_date: date, today: date, retention_months: int) -> bool:
    """Recordings are erased after the retention period; an older call's recording no longer exists."""
    return call_date > add_months(today, -retention_months)
