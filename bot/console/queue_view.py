"""The queue as staff filter it: status, request type, channel, language, assignee, needs a person.

Ordering and the open/closed rule come from bot.queue.list_queue; the extra filters narrow its result.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import datetime
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from bot.console.forms import FormRefused
from bot.lifecycle import Status
from bot.models import Case, utcnow
from bot.queue import QueueFilter, list_queue, summary
from bot.requests import Channel, RequestType

ALL = "all"            # status filter: open and closed cases
UNASSIGNED = "-"       # assignee filter: nobody has it yet
_LANGUAGE = re.compile(r"^[a-z]{2}$")


@dataclass(frozen=True)
class QueueView:
    status: str = ""          # "" means every open case
    request_type: str = ""
    channel: str = ""
    language: str = ""
    assignee: str = ""
    needs_human: bool = False

    @classmethod
    def from_query(cls, params) -> "QueueView":
        view = cls(status=params.get("status", ""), request_type=params.get("type", ""),
                   channel=params.get("channel", ""), language=params.get("language", "").lower(),
                   assignee=params.get("assignee", "").strip(), needs_human=params.get("needs_human") == "1")
        view.check()
        return view

    def check(self) -> None:
        problems = []
        if self.status not in ("", ALL, *(s.value for s in Status)):
            problems.append("status")
        if self.request_type not in ("", *(t.value for t in RequestType)):
            problems.append("request type")
        if self.channel not in ("", *(c.value for c in Channel)):
            problems.append("channel")
        if self.language and not _LANGUAGE.match(self.language):
            problems.append("language (two letters, such as en)")
        if len(self.assignee) > 100 or not self.assignee.isprintable():
            problems.append("assignee")
        if problems:
            raise FormRefused(400, "The queue cannot be filtered by that " + ", ".join(problems)
                              + ". Clear the filters and choose again.")

    def query_string(self) -> str:
        pairs = {"status": self.status, "type": self.request_type, "channel": self.channel,
                 "language": self.language, "assignee": self.assignee, "needs_human": "1" if self.needs_human else ""}
        return urlencode({k: v for k, v in pairs.items() if v})

    def as_dict(self) -> dict:
        return asdict(self)


def list_cases(session: Session, view: QueueView, now: datetime | None = None) -> list[Case]:
    status = Status(view.status) if view.status not in ("", ALL) else None
    found = list_queue(session, QueueFilter(status=status, include_closed=view.status == ALL), now=now)
    return [case for case in found if _matches(case, view)]


def _matches(case: Case, view: QueueView) -> bool:
    if view.request_type and view.request_type not in case.request_types:
        return False
    if view.channel and case.channel != view.channel:
        return False
    if view.language and case.language != view.language:
        return False
    if view.assignee == UNASSIGNED and case.assignee:
        return False
    if view.assignee not in ("", UNASSIGNED) and (case.assignee or "").lower() != view.assignee.lower():
        return False
    return not view.needs_human or case.needs_human


def rows(cases: list[Case], now: datetime | None = None) -> list[dict]:
    """The queue's columns: bot.queue.summary, which holds no requester details."""
    now = now or utcnow()
    return [{**summary(case, now), "due": case.due_at} for case in cases]
