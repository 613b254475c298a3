"""The kinds of request a person can make, in the privacy officer's words, and the channels they arrive by."""
from __future__ import annotations

from enum import Enum


class RequestType(str, Enum):
    ACCESS = "access"                      # GDPR Art. 15: a copy of their data
    RECTIFICATION = "rectification"        # Art. 16
    ERASURE = "erasure"                    # Art. 17
    RESTRICTION = "restriction"            # Art. 18
    PORTABILITY = "portability"            # Art. 20
    OBJECTION = "objection"                # Art. 21
    CALL_RECORDING = "call_recording"      # a copy of a recorded call (an access request about one recording)
    COMPLAINT = "complaint"                # Art. 77: the person is told which supervisory authority to contact
    WITHDRAW_CONSENT = "withdraw_consent"  # Art. 7(3), including every direct-marketing opt-out

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    RequestType.ACCESS: "copy of personal data",
    RequestType.RECTIFICATION: "rectification",
    RequestType.ERASURE: "erasure",
    RequestType.RESTRICTION: "restriction of processing",
    RequestType.PORTABILITY: "data portability",
    RequestType.OBJECTION: "objection to processing",
    RequestType.CALL_RECORDING: "copy of a call recording",
    RequestType.COMPLAINT: "complaint",
    RequestType.WITHDRAW_CONSENT: "withdrawal of consent",
}


class Channel(str, Enum):
    CHAT = "chat"
    EMAIL = "email"
    PHONE = "phone"
    POST = "post"


def parse_request_type(value: str) -> RequestType:
    try:
        return RequestType(value.strip().lower().replace("-", "_"))
    except ValueError:
        known = ", ".join(t.value for t in RequestType)
        raise ValueError(f"Unknown request type {value!r}; use one of: {known}.") from None


def parse_channel(value: str) -> Channel:
    try:
        return Channel(value.strip().lower())
    except ValueError:
        known = ", ".join(c.value for c in Channel)
        raise ValueError(f"Unknown channel {value!r}; use one of: {known}.") from None
