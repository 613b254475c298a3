"""The record of retention purges (migration 0005).

A purge also deletes what belongs to no case (chats that never became one, letters nobody answered), so its
audit record cannot live in the case audit trail, which needs a case. One row per run, counts only: what
was deleted is gone, and the record of it must not bring it back. Rows are append-only (database triggers).
"""
from __future__ import annotations

from sqlalchemy import JSON, Column, Integer, String

from bot.models import Base, UTCDateTime


class PurgeRun(Base):
    __tablename__ = "purge_runs"

    id = Column(Integer, primary_key=True)
    at = Column(UTCDateTime, nullable=False, index=True)
    actor = Column(String(100), nullable=False)
    counts = Column(JSON, nullable=False, default=dict)  # kind -> number of rows deleted or reduced
