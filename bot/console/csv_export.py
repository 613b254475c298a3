"""The queue as a CSV file for spreadsheets.

By default it holds what the queue page shows and no requester details (data minimisation: a spreadsheet
travels). The DPO may ask for the requesters' names and contact details too; that export is recorded
in each exported case's audit trail.

Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return) as a formula, so such a
cell is written with a leading apostrophe: requesters choose their own names.
"""
from __future__ import annotations

import csv
import io

from bot.models import Case
from bot.queue import summary

COLUMNS = ["reference", "status", "request_types", "channel", "language", "received_at", "due_at", "days_left",
           "assignee", "needs_human"]
PERSONAL_COLUMNS = ["requester_name", "requester_email", "requester_phone"]
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        value = " ".join(str(v) for v in value)
    if isinstance(value, int):
        return str(value)  # a number is not a formula, and -3 days left must stay a number
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def queue_csv(cases: list[Case], *, personal: bool = False) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS + (PERSONAL_COLUMNS if personal else []))
    for case in cases:
        row = summary(case)
        values = [row[column] for column in COLUMNS]
        if personal:
            values += [case.requester_name, case.requester_email, case.requester_phone]
        writer.writerow([safe_cell(v) for v in values])
    return out.getvalue()
