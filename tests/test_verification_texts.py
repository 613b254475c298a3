"""Every language writes every notice, with the same fields as English, so no requester ever gets an
English fallback or a KeyError instead of their letter."""
from __future__ import annotations

import importlib
import string
from datetime import date

import pytest

from bot import notices
from bot.requests import RequestType

LANGUAGES = ("fr", "de", "es", "it", "nl")
EN = importlib.import_module("bot.texts.en")
TABLES = ("LABELS", "DETAILS", "LEVELS", "TASKS", "REASONS")
REQUIRED_KINDS = {"acknowledgement", "verification_code", "missing_details", "extension", "denial", "fulfilment",
                  "staff_new_case", "staff_digest"}


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_english_has_every_kind_the_issue_asks_for():
    assert REQUIRED_KINDS <= set(EN.NOTICES)
    assert set(EN.LABELS) == {t.value for t in RequestType}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_every_kind_with_the_same_fields(language):
    texts = importlib.import_module(f"bot.texts.{language}")
    assert set(texts.NOTICES) == set(EN.NOTICES)
    for kind, (subject, body) in EN.NOTICES.items():
        their_subject, their_body = texts.NOTICES[kind]
        assert fields(their_subject) == fields(subject), (language, kind)
        assert fields(their_body) == fields(body), (language, kind)
        assert their_body != body, (language, kind)  # translated, not copied
    for table in TABLES:
        assert set(getattr(texts, table)) == set(getattr(EN, table)), (language, table)
    assert fields(texts.DIGEST_LINE) == fields(EN.DIGEST_LINE) and texts.DIGEST_NONE
    assert len(texts.MONTHS) == 12 and fields(texts.DATE) == {"day", "month", "year"}


@pytest.mark.parametrize("language", ("en", *LANGUAGES))
def test_every_notice_renders(language):
    values = {name: f"<{name}>" for kind in EN.NOTICES.values() for part in kind for name in fields(part)}
    for kind in EN.NOTICES:
        subject, body = notices.render(kind, language, **values)
        assert "{" not in subject + body and "}" not in subject + body
        assert "\n" not in subject


def test_an_unknown_name_leaves_a_clean_greeting():
    _, english = notices.render("fulfilment", "en", name="", reference="PD-1", request_labels="x", note="")
    _, spanish = notices.render("fulfilment", "es", name="", reference="PD-1", request_labels="x", note="")
    assert english.startswith("Hello,\n") and spanish.startswith("Hola:\n")


@pytest.mark.parametrize("language, written", [("en", "3 March 2026"), ("fr", "3 mars 2026"),
                                               ("de", "3. März 2026"), ("es", "3 de marzo de 2026"),
                                               ("it", "3 marzo 2026"), ("nl", "3 maart 2026")])
def test_dates_are_written_as_in_a_letter(language, written):
    assert notices.format_date(date(2026, 3, 3), language) == written


def test_request_types_are_named_in_the_requester_language():
    assert notices.request_labels(["erasure", "access"], "de") == "Löschung, Kopie der personenbezogenen Daten"
