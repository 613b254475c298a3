"""Mail intake's tables: letters received, where each mailbox was read up to, who is reading it, and the
letters that could not be taken in (dead letters). Migration 0003 creates them; tests compare the two.
"""
from __future__ import annotations

from sqlalchemy import (JSON, BigInteger, Column, ForeignKey, Integer, LargeBinary, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import relationship

from bot.models import Base, UTCDateTime, utcnow

# What happened to a letter after it was stored.
TO_ANSWER = "to_answer"        # the assistant still has to read it and reply (retried while it is down)
ANSWERED = "answered"          # one reply sits in the outbox
NOT_ANSWERED = "not_answered"  # recorded for staff, no automatic reply (see no_reply_reason)
NEEDS_STAFF = "needs_staff"    # the assistant could not answer it; the case is flagged for a person


class InboundLetter(Base):
    """One letter received, stored once: the dedupe key (normalised Message-ID, else a hash of the raw
    bytes) is unique, and the row is written in the same transaction as the case it opens or continues."""

    __tablename__ = "inbound_letters"

    id = Column(Integer, primary_key=True)
    dedupe_key = Column(String(255), nullable=False, unique=True)
    message_id = Column(String(255), index=True)
    mailbox = Column(String(300))
    uidvalidity = Column(BigInteger)
    uid = Column(BigInteger)
    case_id = Column(Integer, ForeignKey("cases.id"), index=True)
    from_address = Column(String(320), index=True)
    subject = Column(String(998), nullable=False)
    sent_at = Column(UTCDateTime)
    received_at = Column(UTCDateTime, nullable=False)
    language = Column(String(8), nullable=False)
    request_types = Column(JSON, nullable=False, default=list)
    attachments = Column(JSON, nullable=False, default=list)
    body_text = Column(Text, nullable=False)
    in_reply_to = Column(String(255))
    references = Column(Text)
    status = Column(String(16), nullable=False, index=True)
    no_reply_reasons = Column(JSON, nullable=False, default=list)
    parse_errors = Column(JSON, nullable=False, default=list)
    raw = Column(LargeBinary)  # kept only when the letter could not be fully read
    answer_attempts = Column(Integer, nullable=False, default=0)
    next_answer_at = Column(UTCDateTime)
    last_error = Column(Text)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)

    case = relationship("Case")


class MailboxPosition(Base):
    """How far a mailbox has been read: every UID up to last_uid under this UIDVALIDITY is settled."""

    __tablename__ = "mail_positions"

    mailbox = Column(String(300), primary_key=True)
    uidvalidity = Column(BigInteger, nullable=False)
    last_uid = Column(BigInteger, nullable=False, default=0)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow)


class MailboxLease(Base):
    """Who reads a mailbox now. One holder at a time; a holder that stops renewing loses it when it expires."""

    __tablename__ = "mail_leases"

    mailbox = Column(String(300), primary_key=True)
    holder = Column(String(200), nullable=False)
    expires_at = Column(UTCDateTime, nullable=False)
    acquired_at = Column(UTCDateTime, nullable=False, default=utcnow)


class DeadLetter(Base):
    """A message that could not be taken in: too big to download, or failing every attempt.
    Staff see these with `privacy-desk mail dead-letters`; the message itself sits in the Failed folder."""

    __tablename__ = "mail_dead_letters"
    __table_args__ = (UniqueConstraint("mailbox", "uidvalidity", "uid"),)

    id = Column(Integer, primary_key=True)
    mailbox = Column(String(300), nullable=False)
    uidvalidity = Column(BigInteger, nullable=False)
    uid = Column(BigInteger, nullable=False)
    reason = Column(String(16), nullable=False)  # oversized | failing
    status = Column(String(16), nullable=False, index=True)  # retrying | quarantined | resolved
    size = Column(BigInteger)
    headers = Column(Text)  # the header block only, for an oversized message never downloaded whole
    raw = Column(LargeBinary)
    error = Column(Text)
    attempts = Column(Integer, nullable=False, default=0)
    first_failed_at = Column(UTCDateTime, nullable=False, default=utcnow)
    last_failed_at = Column(UTCDateTime, nullable=False, default=utcnow)
    resolved_at = Column(UTCDateTime)
    letter_id = Column(Integer, ForeignKey("inbound_letters.id"))
