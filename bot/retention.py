"""Retention: personal data Privacy Desk holds is kept only as long as it serves a request.

- A chat that never became a case is deleted PRIVACY_DESK_RETAIN_CONVERSATIONS_DAYS after its last message,
  and so are letters (and dead letters) that belong to no case.
- A closed case is reduced to its minimal record (bot/redaction.py) PRIVACY_DESK_RETAIN_CLOSED_CASES_MONTHS
  calendar months after it closed.

A purge can run any number of times: what is gone is not counted again. Each run is recorded in purge_runs
with counts only, and each reduced case gets an audit event of its own.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, literal, or_, select, update
from sqlalchemy.orm import Session

from bot import chat_store, settings
from bot.audit import SYSTEM
from bot.deadlines import add_months
from bot.lifecycle import CLOSED
from bot.models import Case
from bot.redaction import left_to_reduce, reduce_case
from bot.retention_models import PurgeRun
from mail_ingest.models import DeadLetter, InboundLetter


@dataclass(frozen=True)
class Cutoffs:
    conversations: datetime   # chats and case-less letters last touched before this go
    closed_cases: datetime    # cases closed before this are reduced

    @classmethod
    def at(cls, now: datetime) -> "Cutoffs":
        days = settings.get_int("retain_conversations_days")
        months = settings.get_int("retain_closed_cases_months")
        if days < 1 or months < 1:
            raise settings.SettingError("PRIVACY_DESK_RETAIN_CONVERSATIONS_DAYS and "
                                        "PRIVACY_DESK_RETAIN_CLOSED_CASES_MONTHS must be 1 or more.")
        return cls(conversations=now - timedelta(days=days), closed_cases=add_months(now, -months))


def purge(session: Session, *, now: datetime, actor: str = SYSTEM, dry_run: bool = False) -> dict[str, int]:
    """Delete and reduce what has outlived its retention; the counts per kind. A dry run changes nothing."""
    cutoffs = Cutoffs.at(now)
    conversations = chat_store.conversations_idle_since(session, cutoffs.conversations, _belongs_to_a_case())
    letters = list(session.execute(_caseless_letters(cutoffs.conversations)).scalars())
    dead_letters = list(session.execute(_caseless_dead_letters(cutoffs.conversations, letters)).scalars())
    closed = list(session.execute(_cases_to_reduce(cutoffs.closed_cases)).scalars())
    counts = {"conversations": len(conversations), "chat_events": chat_store.count_events(session, conversations),
              "letters": len(letters), "dead_letters": len(dead_letters), "cases_reduced": len(closed)}
    if dry_run:
        return counts
    chat_store.delete_conversations(session, conversations)
    _delete_letters(session, letters, dead_letters)
    counts["cases_reduced"] = sum(any(reduce_case(session, case, actor=actor, now=now, why="retention").values())
                                  for case in closed)
    session.add(PurgeRun(at=now, actor=actor, counts=counts))
    session.flush()
    return counts


def _belongs_to_a_case():
    """A conversation some case refers to: its chat, or its mail conversation."""
    sender = chat_store.events.c.sender_id
    return select(Case.id).where(or_(Case.conversation_id == sender,
                                     (literal(chat_store.MAIL_CONVERSATION_PREFIX) + Case.reference) == sender)).exists()


def _caseless_letters(before: datetime):
    return select(InboundLetter.id).where(InboundLetter.case_id.is_(None), InboundLetter.received_at < before)


def _caseless_dead_letters(before: datetime, letters: list[int]):
    """Dead letters never stored as a letter, or stored as one that is about to go."""
    return select(DeadLetter.id).where(DeadLetter.last_failed_at < before,
                                       or_(DeadLetter.letter_id.is_(None), DeadLetter.letter_id.in_(letters)))


def _cases_to_reduce(closed_before: datetime):
    return (select(Case).where(Case.status.in_([s.value for s in CLOSED]), Case.closed_at < closed_before,
                               left_to_reduce()).order_by(Case.id))


def _delete_letters(session: Session, letters: list[int], dead_letters: list[int]) -> None:
    if dead_letters:
        session.execute(delete(DeadLetter).where(DeadLetter.id.in_(dead_letters))
                        .execution_options(synchronize_session=False))
    if letters:  # a younger dead letter may still point at an old letter: it keeps its own copy
        session.execute(update(DeadLetter).where(DeadLetter.letter_id.in_(letters)).values(letter_id=None)
                        .execution_options(synchronize_session=False))
        session.execute(delete(InboundLetter).where(InboundLetter.id.in_(letters))
                        .execution_options(synchronize_session=False))


def last_run(session: Session) -> datetime | None:
    return session.execute(select(PurgeRun.at).order_by(PurgeRun.at.desc()).limit(1)).scalar_one_or_none()
