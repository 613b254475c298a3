"""What a letter asks for, in which language, and the details it already gives.

The understanding itself lives elsewhere (assistant/classify.py for request types, bot/language.py and
bot/details.py for language and details); this module only applies it to a letter, piece by piece.
Each of the three is injectable: the classifier needs a trained model, and the pipeline is tested without one.
"""
from __future__ import annotations

import importlib
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable, Optional

from bot import details, language, settings
from bot.references import PATTERN
from bot.requests import RequestType
from mail_ingest.clean import pieces
from mail_ingest.parse import Letter

log = logging.getLogger("privacy_desk.mail")

Classify = Callable[[list[str]], Iterable[Iterable]]  # texts -> the request types of each
DetectLanguage = Callable[[str, Optional[str]], str]
_REPLY_PREFIX = re.compile(r"^\s*(?:re|aw|fw|fwd|tr|wg|rv|sv|vs|odp|ref|antw)\s*(?:\[\d+\])?\s*:\s*", re.IGNORECASE)


@dataclass
class Reading:
    language: str
    reply_language: str
    request_types: list[RequestType] = field(default_factory=list)
    details: dict = field(default_factory=dict)


class Reader:
    def __init__(self, classify: Classify | None = None, detect_language: DetectLanguage | None = None,
                 find_details: Callable[[str, str], dict] | None = None):
        self.classify = classify or default_classify()
        self.detect_language = detect_language or language.detect_language
        self.find_details = find_details or details_in

    def read(self, letter: Letter, previous_language: str | None = None) -> Reading:
        words = what_to_read(letter.text, letter.subject)
        written_in = self.detect_language(words, previous_language) if words else (
            previous_language or settings.get("default_language"))
        return Reading(language=written_in, reply_language=language.reply_language(written_in),
                       request_types=self.request_types(words),
                       details=self.find_details("\n\n".join(filter(None, (words, letter.signature))), written_in))

    def request_types(self, words: str) -> list[RequestType]:
        """Every request the letter holds: the whole letter and each of its paragraphs (and the sentences of
        a long one) classified. On 15 letters holding 24 requests, the union found 23, paragraphs alone 21 and
        the whole letter alone 18, none wrongly (bench/mail_classification.py)."""
        found: dict[RequestType, None] = {}
        parts = pieces(words)
        texts = [words, *parts] if len(parts) > 1 else [words] if words else []
        try:
            each = list(self.classify(list(dict.fromkeys(texts))))
        except Exception as exc:  # noqa: BLE001 - unclassified, the letter still becomes a case for staff
            log.warning("classifying a letter failed (%s); staff will classify it", type(exc).__name__)
            return []
        for values in each:
            for value in values or ():
                try:
                    found[RequestType(getattr(value, "value", value))] = None
                except ValueError:
                    log.warning("classifier returned an unknown request type; ignored")
        return list(found)


def what_to_read(body_text: str, subject: str) -> str:
    """The cleaned text; the subject when the body says nothing ("Delete my data", empty body)."""
    subject = re.sub(r"\[\s*\]", " ", PATTERN.sub("", subject or ""))
    while True:
        stripped = _REPLY_PREFIX.sub("", subject).strip()
        if stripped == subject.strip():
            break
        subject = stripped
    return body_text or " ".join(subject.split())


def default_classify() -> Classify:
    try:
        return importlib.import_module("assistant.classify").classify_each
    except (ImportError, AttributeError):
        log.info("assistant.classify is not available: new letters open cases for staff to classify")
        return lambda texts: [[] for _ in texts]


def one_by_one(classify: Callable[[str], Iterable]) -> Classify:
    """A Classify from a function that reads one text at a time (a keyword classifier in tests, say)."""
    return lambda texts: [classify(text) for text in texts]


def details_in(words: str, written_in: str) -> dict:
    """Phone number, date and time of the call as bot.details reads them; a detail not found (or not
    readable) is simply asked for again by the assistant."""
    found = {}
    try:
        found["phone"] = details.find_phone(words)
        call_date = details.parse_call_date(words, written_in, date.today())
        found["call_date"] = call_date.value.isoformat() if call_date.value and not call_date.problem else None
        found["call_time"] = details.parse_call_time(words, written_in)
    except Exception as exc:  # noqa: BLE001 - the letter matters more than its details
        log.warning("reading details from a letter failed (%s); the assistant will ask for them",
                    type(exc).__name__)
    return {key: str(value) for key, value in found.items() if value}
