"""Rasa's chat transcripts, as its SQL tracker store keeps them in the case store's database (table `events`).

Rasa creates and owns that table; Privacy Desk only deletes conversations from it when their retention
ends or their person's data is erased. It is described here with SQLAlchemy Core, on a metadata of its own,
so that Alembic never creates or compares it, and every function copes with it not existing yet (Rasa
creates it on its first start). The columns are those of rasa.core.tracker_store.SQLTrackerStore.SQLEvent.
"""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, delete, func, inspect, select
from sqlalchemy.orm import Session

metadata = MetaData()

# The conversation in which the assistant answers a case's letters is named after the case: "email-PD-…".
MAIL_CONVERSATION_PREFIX = "email-"


def mail_conversation(reference: str) -> str:
    return f"{MAIL_CONVERSATION_PREFIX}{reference}"

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),  # the conversation (Case.conversation_id)
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),  # seconds since the epoch
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),  # the event as JSON: what the person typed, slots such as their email address
)


def present(session: Session) -> bool:
    return inspect(session.connection()).has_table(events.name)


def conversations_idle_since(session: Session, before: datetime, keep) -> list[str]:
    """Conversations whose last event is older than `before`, leaving out those `keep` (a SQL condition on
    events.c.sender_id) protects."""
    if not present(session):
        return []
    last = func.max(events.c.timestamp)
    query = (select(events.c.sender_id).where(~keep).group_by(events.c.sender_id)
             .having(last < before.timestamp()))
    return list(session.execute(query).scalars())


def count_events(session: Session, conversations: Iterable[str]) -> int:
    conversations = list(conversations)
    if not conversations or not present(session):
        return 0
    query = select(func.count()).select_from(events).where(events.c.sender_id.in_(conversations))
    return session.execute(query).scalar_one()


def delete_conversations(session: Session, conversations: Iterable[str]) -> int:
    """Every event of these conversations; the number of events deleted."""
    conversations = sorted(set(conversations))
    if not conversations or not present(session):
        return 0
    return session.execute(delete(events).where(events.c.sender_id.in_(conversations))
                           .execution_options(synchronize_session=False)).rowcount
