"""The staff console's tables: staff accounts, their signed-in sessions, and failed sign-in counts.

They share bot.models' metadata so one Alembic history covers them (migration 0004, its own branch from 0001).
"""
from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String
from sqlalchemy.orm import relationship

from bot.models import Base, UTCDateTime, utcnow


class StaffMember(Base):
    """A person who works cases. `name` is what the audit trail records, so it is never reused or renamed."""

    __tablename__ = "staff_members"

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False, unique=True)
    role = Column(String(16), nullable=False)
    password_hash = Column(String(255), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    disabled_at = Column(UTCDateTime)


class StaffSession(Base):
    """A signed-in browser. Kept server-side so that signing out, or disabling the account, ends it at once.

    The cookie carries a random token; only its SHA-256 is stored, so a copy of the database signs nobody in.
    """

    __tablename__ = "staff_sessions"

    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    staff_id = Column(Integer, ForeignKey("staff_members.id"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    last_seen_at = Column(UTCDateTime, nullable=False, default=utcnow)
    ended_at = Column(UTCDateTime)

    staff = relationship("StaffMember")


class LoginThrottle(Base):
    """Failed sign-ins per account name and per client address; past the limit, sign-in waits."""

    __tablename__ = "login_throttle"

    key = Column(String(200), primary_key=True)
    failures = Column(Integer, nullable=False, default=0)
    first_failure_at = Column(UTCDateTime, nullable=False, default=utcnow)
    locked_until = Column(UTCDateTime)
