"""GDPR Art. 12(3) time limits: one calendar month, month ends, leap years, extensions."""
from datetime import date, datetime, timezone

import pytest

from bot.deadlines import (ExtensionRefused, add_months, check_extension, days_left, due_at,
                           recording_still_held)


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


@pytest.mark.parametrize("received, due", [
    (utc(2026, 1, 31, 9), utc(2026, 2, 28, 9)),     # no 31 February
    (utc(2028, 1, 31, 9), utc(2028, 2, 29, 9)),     # leap year
    (utc(2026, 3, 31, 9), utc(2026, 4, 30, 9)),
    (utc(2026, 12, 15, 9), utc(2027, 1, 15, 9)),    # over the year end
    (utc(2026, 2, 28, 9), utc(2026, 3, 28, 9)),     # not the last day of March
])
def test_due_one_calendar_month_after_receipt(received, due):
    assert due_at(received) == due


def test_extension_counts_from_receipt_not_from_the_first_due_date():
    assert due_at(utc(2026, 1, 31), extension_months=2) == utc(2026, 4, 30)
    assert due_at(utc(2027, 11, 30), extension_months=2) == utc(2028, 2, 29)


def test_add_months_backwards_for_retention():
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2026, 1, 15), -12) == date(2025, 1, 15)


def test_extension_needs_a_reason():
    with pytest.raises(ExtensionRefused, match="reason"):
        check_extension(received_at=utc(2026, 1, 1), already_extended=0, months=1, reason="  ",
                        now=utc(2026, 1, 10))


def test_at_most_two_further_months_in_all():
    check_extension(received_at=utc(2026, 1, 1), already_extended=0, months=2, reason="complex",
                    now=utc(2026, 1, 10))
    with pytest.raises(ExtensionRefused, match="1 left"):
        check_extension(received_at=utc(2026, 1, 1), already_extended=1, months=2, reason="complex",
                        now=utc(2026, 1, 10))
    with pytest.raises(ExtensionRefused, match="0 left"):
        check_extension(received_at=utc(2026, 1, 1), already_extended=2, months=1, reason="complex",
                        now=utc(2026, 1, 10))


def test_extension_must_be_told_within_the_first_month():
    check_extension(received_at=utc(2026, 1, 31), already_extended=0, months=1, reason="many requests",
                    now=utc(2026, 2, 28, 0))
    with pytest.raises(ExtensionRefused, match="within the first month"):
        check_extension(received_at=utc(2026, 1, 31), already_extended=0, months=1, reason="many requests",
                        now=utc(2026, 3, 1))


def test_days_left_counts_calendar_days_and_goes_negative_when_overdue():
    assert days_left(utc(2026, 2, 28, 9), utc(2026, 2, 27, 23)) == 1
    assert days_left(utc(2026, 2, 28, 9), utc(2026, 2, 28, 23)) == 0
    assert days_left(utc(2026, 2, 28, 9), utc(2026, 3, 2, 8)) == -2


@pytest.mark.parametrize("call_date, held", [
    (date(2025, 11, 24), True),
    (date(2025, 11, 23), False),   # exactly twelve months ago: erased
    (date(2024, 6, 1), False),
    (date(2026, 11, 22), True),
])
def test_recordings_are_kept_twelve_months(call_date, held):
    assert recording_still_held(call_date, date(2026, 11, 23), 12) is held
