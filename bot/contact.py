"""Reading a person's email address and phone number as they typed them, into one canonical form."""
from __future__ import annotations

import re

import phonenumbers

from bot import settings

# Deliberately plain: one @, a dot in the domain, no spaces or control characters. Deliverability is
# proven by the verification code, not by a cleverer pattern.
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


class InvalidContact(ValueError):
    """An email address or phone number that cannot be used; the message says what was wrong."""


def normalise_email(value: str) -> str:
    candidate = (value or "").strip().strip("<>").strip()
    if len(candidate) > 254 or not _EMAIL.match(candidate) or ".." in candidate:
        raise InvalidContact("That does not look like an email address (for example jane@example.org).")
    local, domain = candidate.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def single_recipient(value: str) -> str:
    """Exactly one email address or one E.164 number: what the outbox may send to. A list, a display name or a
    line break (a second recipient or header smuggled in) is refused rather than cleaned up."""
    text = value or ""
    if "@" not in text and _E164.match(text):
        return text
    if text != text.strip() or any(c in text for c in "<>,;\r\n\t "):
        raise InvalidContact("The outbox sends to one address only.")
    return normalise_email(text)


def normalise_phone(value: str, region: str | None = None) -> str:
    """E.164 form (+441234567890); numbers without a country prefix are read in the default region."""
    text = (value or "").strip()
    if not text or len(text) > 40:
        raise InvalidContact("Please give a phone number, for example +44 7700 900123.")
    try:
        number = phonenumbers.parse(text, (region or settings.get("default_phone_region")).upper())
    except phonenumbers.NumberParseException:
        raise InvalidContact("That does not look like a phone number (for example +44 7700 900123).") from None
    if not (phonenumbers.is_valid_number(number) or _written_in_full(text, number)):
        raise InvalidContact("That phone number does not exist in the numbering plan; please check it "
                             "and include the country code, for example +33 6 12 34 56 78.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _written_in_full(text: str, number) -> bool:
    """Possible, with a + or trunk 0 and ten digits or more: reserved ranges such as the UK's 07700 900xxx
    are not 'valid' in the numbering plan, yet people (and test data) use them."""
    digits = sum(c.isdigit() for c in text)
    return (phonenumbers.is_possible_number(number) and digits >= 10
            and text.lstrip("(").startswith(("+", "0")))


def same_email(a: str | None, b: str | None) -> bool:
    return bool(a and b) and a.lower() == b.lower()
