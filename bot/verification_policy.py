"""Which proof of identity each kind of request needs before anything is disclosed or changed.

A requirement is a list of alternatives; each alternative is a set of levels that together suffice.
Levels: email (controls the email address), phone (controls the phone number),
document (an identity document checked by a member of staff).
"""
from __future__ import annotations

from typing import Iterable

from bot.requests import RequestType

EMAIL, PHONE, DOCUMENT = "email", "phone", "document"
LEVELS = (EMAIL, PHONE, DOCUMENT)

_DISCLOSING = [{EMAIL, PHONE}, {EMAIL, DOCUMENT}]   # the person receives personal data
_ACTING = [{EMAIL}, {DOCUMENT}]                        # the company acts on the person's behalf
_NONE = [set()]                                        # nothing is disclosed

POLICY: dict[RequestType, list[set[str]]] = {
    RequestType.ACCESS: _DISCLOSING,
    RequestType.PORTABILITY: _DISCLOSING,
    RequestType.CALL_RECORDING: _DISCLOSING,
    RequestType.ERASURE: _ACTING,
    RequestType.RECTIFICATION: _ACTING,
    RequestType.RESTRICTION: _ACTING,
    RequestType.OBJECTION: _ACTING,
    RequestType.WITHDRAW_CONSENT: _ACTING,
    RequestType.COMPLAINT: _NONE,
}


def is_satisfied(levels_reached: Iterable[str], request_types: Iterable[str]) -> bool:
    """True when, for every request type, at least one alternative is fully proven."""
    reached = set(levels_reached)
    return all(any(alternative <= reached for alternative in POLICY[RequestType(t)]) for t in request_types)


def missing_levels(levels_reached: Iterable[str], request_types: Iterable[str]) -> list[set[str]]:
    """The cheapest alternatives still open, to tell the requester and staff what is left to prove."""
    reached = set(levels_reached)
    missing = []
    for t in request_types:
        alternatives = POLICY[RequestType(t)]
        if not any(a <= reached for a in alternatives):
            missing.append(min((a - reached for a in alternatives), key=len))
    return missing
