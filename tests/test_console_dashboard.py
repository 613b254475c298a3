"""The dashboard: the numbers a DPO watches, drawn as charts that carry their numbers as text."""
from __future__ import annotations

import re
from datetime import date

from bot import cases, db
from bot.console import charts, stats
from bot.requests import Channel, RequestType
from tests.test_console_support import (DPO, ago, app, client, dpo, in_review, open_case,  # noqa: F401
                                        staff_accounts)


def _tile(html: str, words: str) -> int:
    return int(re.search(r'<span class="big">([0-9]+)</span> ' + re.escape(words), html).group(1))


def test_the_dashboard_counts_open_due_overdue_and_needing_a_person(dpo, staff_accounts):
    open_case(staff_accounts, received_at=ago(40), email="a@example.org")                    # overdue
    open_case(staff_accounts, received_at=ago(27), email="b@example.org", needs_human=True)  # due within the week
    open_case(staff_accounts, received_at=ago(2), email="c@example.org")
    closed = open_case(staff_accounts, types=(RequestType.COMPLAINT,), email="d@example.org")
    with db.session_scope(staff_accounts) as session:
        cases.claim(session, closed, staff=DPO)
        cases.fulfil(session, closed, actor=DPO)
    html = dpo.get("/console/dashboard").text
    assert _tile(html, "open cases") == 3
    assert _tile(html, "overdue") == 1
    assert _tile(html, "due in the next 7 days") == 1
    assert _tile(html, "need a person") == 1


def test_median_days_to_close_counts_cases_closed_recently(session):
    for days in (10, 20, 30):
        reference = cases.open_case(session, cases.NewRequest([RequestType.COMPLAINT], Channel.EMAIL,
                                                              email=f"x{days}@example.org",
                                                              received_at=ago(days))).case.reference
        cases.claim(session, reference, staff=DPO)
        cases.fulfil(session, reference, actor=DPO)
    assert 19.5 < stats.dashboard(session)["median_days_to_close"] < 20.5


def test_charts_show_open_cases_by_status_and_type_as_text(dpo, staff_accounts):
    open_case(staff_accounts, types=(RequestType.ERASURE, RequestType.ACCESS), email="a@example.org")
    reviewed = open_case(staff_accounts, email="b@example.org")
    in_review(staff_accounts, reviewed)
    html = dpo.get("/console/dashboard").text
    assert 'role="img"' in html and "<title" in html
    assert re.search(r'class="label">In review</text>\s*<rect[^>]*></rect>\s*<text[^>]*class="value">1<', html)
    assert re.search(r'class="label">Erasure</text>\s*<rect[^>]*></rect>\s*<text[^>]*class="value">1<', html)
    assert "Open cases by request type: " not in html  # descriptions list each bar instead
    assert "Copy of personal data: 2." in html


def test_requests_per_channel_and_language_over_time(dpo, staff_accounts):
    open_case(staff_accounts, channel=Channel.CHAT, language="fr", email="a@example.org")
    open_case(staff_accounts, channel=Channel.CHAT, language="de", email="b@example.org")
    open_case(staff_accounts, channel=Channel.EMAIL, language="fr", email="c@example.org", received_at=ago(8))
    html = dpo.get("/console/dashboard").text
    assert "Requests per channel, by week" in html and "<polyline" in html
    assert re.search(r'class="series-label series-\d">Chat</text>', html)
    assert re.search(r'class="series-label series-\d">FR</text>', html)
    with db.session_scope(staff_accounts) as session:
        numbers = stats.dashboard(session)
    assert numbers["by_channel"]["chat"][-1] == 2
    assert sum(numbers["by_channel"]["email"]) == 1 and numbers["by_channel"]["email"][-1] == 0
    assert sum(numbers["by_language"]["fr"]) == 2


def test_an_empty_store_has_a_readable_dashboard(dpo):
    html = dpo.get("/console/dashboard").text
    assert _tile(html, "open cases") == 0 and _tile(html, "overdue") == 0
    assert "No requests in these weeks." in html and "Nothing open." in html
    assert "median days to close" in html


def test_bars_are_proportional_and_a_non_zero_bar_is_always_visible():
    drawn = charts.bars([("a", 100), ("b", 1), ("c", 0)])
    lengths = [row["length"] for row in drawn["rows"]]
    assert lengths[0] == 520 - 200 - 48 and lengths[1] >= 2 and lengths[2] == 0


def test_week_starts_are_mondays_ending_with_this_week():
    weeks = stats.week_starts(date(2026, 3, 5))  # a Thursday
    assert weeks[-1] == date(2026, 3, 2) and len(weeks) == stats.WEEKS
    assert all(w.weekday() == 0 for w in weeks)


def test_line_labels_of_equal_series_do_not_overlap():
    drawn = charts.lines(stats.week_starts(date(2026, 3, 5)), {"A": [1] * 12, "B": [1] * 12})
    first, second = (s["end_y"] for s in drawn["series"])
    assert abs(first - second) >= 14


def test_the_axis_top_is_even_and_above_every_value():
    for value in range(0, 500):
        top = charts._nice_ceiling(value)
        assert top >= value and top % 2 == 0 and top <= max(4, value * 2)
