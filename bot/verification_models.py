"""Tables of identity verification (migration 0002): code challenges, and the sealed parts of outgoing messages.

Neither holds a code or a link token in clear: a challenge keeps keyed hashes only, and the one copy the email
needs travels encrypted beside the outbox row until the message has gone.
"""
from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Text

from bot.models import Base, UTCDateTime, utcnow


class VerificationChallenge(Base):
    """One code sent to the requester's email address or phone, and what became of it.

    state: open (waiting for the code), passed, locked (too many wrong codes), replaced (a newer code was
    sent), unlocked (staff lifted a lock, so new codes may be sent again).
    """

    __tablename__ = "verification_challenges"

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("cases.id"), nullable=False, index=True)
    level = Column(String(16), nullable=False)
    code_hash = Column(String(64), nullable=False)
    link_token_hash = Column(String(64), unique=True)
    state = Column(String(16), nullable=False, default="open")
    wrong_tries = Column(Integer, nullable=False, default=0)
    issued_at = Column(UTCDateTime, nullable=False, default=utcnow)
    expires_at = Column(UTCDateTime, nullable=False)
    resolved_at = Column(UTCDateTime)


class SealedPart(Base):
    """Values an outgoing message needs but the store must not hold in clear (a verification code, a link).

    Encrypted with a key derived from the server secret; deleted once the message is sent or given up, and
    purged after `expires_at` when the message is not waiting to be sent.
    """

    __tablename__ = "outbox_sealed_parts"

    outbound_email_id = Column(Integer, ForeignKey("outbound_emails.id"), primary_key=True)
    payload = Column(Text, nullable=False)
    expires_at = Column(UTCDateTime, nullable=False, index=True)
