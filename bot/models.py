"""The case store's tables: a case, the requests it holds, its audit trail, and the outbox.

Schema changes go through Alembic migrations in bot/migrations; these classes must match them
(tests/test_migrations.py compares the two).
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (JSON, Boolean, Column, DateTime, ForeignKey, Integer, String, Text, TypeDecorator,
                        UniqueConstraint)
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in and out, on SQLite (which keeps no zone) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the case store; use an aware UTC datetime")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class Case(Base):
    __tablename__ = "cases"

    id = Column(Integer, primary_key=True)
    reference = Column(String(16), nullable=False, unique=True)
    channel = Column(String(16), nullable=False)
    language = Column(String(8), nullable=False, default="en")
    status = Column(String(32), nullable=False, index=True)
    requester_name = Column(String(200))
    requester_email = Column(String(320), index=True)
    requester_phone = Column(String(32), index=True)
    received_at = Column(UTCDateTime, nullable=False)
    due_at = Column(UTCDateTime, nullable=False, index=True)
    extension_months = Column(Integer, nullable=False, default=0)
    extension_reason = Column(Text)
    assignee = Column(String(100), index=True)
    verification_level = Column(String(64), nullable=False, default="")
    needs_human = Column(Boolean, nullable=False, default=False)
    inform_authority = Column(Boolean, nullable=False, default=False)
    outcome_reason = Column(Text)
    conversation_id = Column(String(200), index=True)
    closed_at = Column(UTCDateTime)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    requests = relationship("CaseRequest", back_populates="case", order_by="CaseRequest.id",
                            cascade="save-update, merge")
    events = relationship("CaseEvent", back_populates="case", order_by="CaseEvent.id")

    @property
    def request_types(self) -> list[str]:
        return sorted({r.request_type for r in self.requests})

    @property
    def verified_levels(self) -> set[str]:
        return {level for level in self.verification_level.split(",") if level}


class CaseRequest(Base):
    """One request as the person made it; a case may hold several (one letter, or a repeat attached to it)."""

    __tablename__ = "case_requests"

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("cases.id"), nullable=False, index=True)
    request_type = Column(String(32), nullable=False, index=True)
    channel = Column(String(16), nullable=False)
    received_at = Column(UTCDateTime, nullable=False)
    details = Column(JSON, nullable=False, default=dict)

    case = relationship("Case", back_populates="requests")


class CaseEvent(Base):
    """The audit trail. Rows are only ever inserted: database triggers refuse DELETE, and any UPDATE but the one
    reduction bot/redaction.py makes when a case's personal data is removed (migration 0005)."""

    __tablename__ = "case_events"

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("cases.id"), nullable=False, index=True)
    at = Column(UTCDateTime, nullable=False, default=utcnow)
    actor = Column(String(100), nullable=False)
    action = Column(String(64), nullable=False)
    reason = Column(Text)
    data = Column(JSON, nullable=False, default=dict)
    redacted_at = Column(UTCDateTime)  # set once, when the personal data in reason and data was removed

    case = relationship("Case", back_populates="events")


class OutboundEmail(Base):
    """An email is a row here before it is sent, so an outage or a crash loses nothing."""

    __tablename__ = "outbound_emails"
    __table_args__ = (UniqueConstraint("message_id"),)

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("cases.id"), index=True)
    kind = Column(String(48), nullable=False)
    language = Column(String(8), nullable=False, default="en")
    message_id = Column(String(255), nullable=False)
    to_address = Column(String(320), nullable=False)
    subject = Column(String(998), nullable=False)
    body_text = Column(Text, nullable=False)
    body_html = Column(Text)
    in_reply_to = Column(String(998))
    references = Column(Text)
    status = Column(String(16), nullable=False, default="queued", index=True)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(UTCDateTime, nullable=False, default=utcnow)
    last_error = Column(Text)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    sent_at = Column(UTCDateTime)

    case = relationship("Case")
