"""Email, phone, date and time of a call, as people write them in the eight languages we understand."""
from datetime import date

import pytest
from hypothesis import given, settings, strategies as st

from bot.details import CallDate, find_email, find_phone, parse_call_date, parse_call_time
from bot.language import SUPPORTED

TODAY = date(2026, 3, 11)  # a Wednesday
YESTERDAY, LAST_TUESDAY, THIRD_OF_MARCH = date(2026, 3, 10), date(2026, 3, 10), date(2026, 3, 3)

HOSTILE = [
    "x" * 100_000, "1" * 100_000, "1 " * 50_000, "@" * 100_000, "a@" * 50_000, "3.3." * 25_000,
    "12:30 " * 16_000, "'; DROP TABLE cases; --" * 4000, "<script>alert('x')</script>" * 4000,
    "\u202e" * 100_000 + "yesterday", "\x00\x01\x02" * 30_000, "😀" * 100_000, "\ud800" * 1000,
    "at 3 " * 20_000, "morgen " * 15_000, "PD-1234-5678 " * 8000, "a" * 64 + "@" + "b" * 100_000,
]


# --- email -----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("jane@example.org", "jane@example.org"),
    ("my email is <Jane.Doe@Example.ORG>.", "Jane.Doe@example.org"),
    ("mailto:x@y.co", "x@y.co"),
    ("'jane@example.org'", "jane@example.org"),
    ("first a@b then bob@example.com", "bob@example.com"),
    ("écrivez à marie.dupont@exemple.fr svp", "marie.dupont@exemple.fr"),
])
def test_find_email(text, expected):
    assert find_email(text) == expected


@pytest.mark.parametrize("text", ["no address here", "foo @ bar.com", "jane@@example.org", "a@b", "", "@"])
def test_no_email(text):
    assert find_email(text) is None


# --- phone -----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, region, expected", [
    ("0612345678", "FR", "+33612345678"),
    ("06 12 34 56 78", "FR", "+33612345678"),
    ("mon numéro est le 06.12.34.56.78", "FR", "+33612345678"),
    ("+44 7700 900123", None, "+447700900123"),               # a reserved drama number, but written in full
    ("call me on 07700 900123 please", "GB", "+447700900123"),
    ("+33 6 12 34 56 78", "GB", "+33612345678"),
    ("meine Nummer: 030 12345678", "DE", "+493012345678"),
    ("am 3.3.2026 von 0151 23456789 aus", "DE", "+4915123456789"),
    ("mi número es 612 345 678", "ES", "+34612345678"),
    ("il mio numero è +39 333 123 4567", "IT", "+393331234567"),
    ("0031 6 12345678", "NL", "+31612345678"),
    ("+351 912 345 678", "PT", "+351912345678"),
    ("numărul meu e 0722123456", "RO", "+40722123456"),
])
def test_find_phone(text, region, expected):
    assert find_phone(text, region) == expected


def test_numbers_without_a_prefix_are_read_in_the_default_region(monkeypatch):
    monkeypatch.setenv("PRIVACY_DESK_DEFAULT_PHONE_REGION", "FR")
    assert find_phone("0612345678") == "+33612345678"


@pytest.mark.parametrize("text", ["03/03/2026", "on 03/03/2026 at 14:30", "2026-03-03", "am 1.5.2026 um 10:30",
                                  "14h30", "ref PD-7K3M-Q9TX", "PD-1234-5678", "12345678", "2pm", "jane@example.org",
                                  "I called 3 times"])
def test_dates_times_and_case_references_are_not_phone_numbers(text):
    assert find_phone(text, "DE") is None
    assert find_phone(text, "GB") is None


# --- date of the call ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("language, text, expected", [
    ("en", "yesterday", YESTERDAY), ("en", "today", TODAY), ("en", "last Tuesday", LAST_TUESDAY),
    ("en", "3 March", THIRD_OF_MARCH), ("en", "March 3rd, 2026", THIRD_OF_MARCH), ("en", "03/03", THIRD_OF_MARCH),
    ("en", "3.3.", THIRD_OF_MARCH), ("en", "2026-03-03", THIRD_OF_MARCH),
    ("en", "the call was yesterday around 2pm", YESTERDAY), ("en", "3 days ago", date(2026, 3, 8)),
    ("en", "two days ago", date(2026, 3, 9)), ("en", "the day before yesterday", date(2026, 3, 9)),
    ("fr", "hier", YESTERDAY), ("fr", "aujourd'hui", TODAY), ("fr", "mardi dernier", LAST_TUESDAY),
    ("fr", "le 3 mars", THIRD_OF_MARCH), ("fr", "03/03", THIRD_OF_MARCH), ("fr", "avant-hier", date(2026, 3, 9)),
    ("fr", "l'appel était hier vers 14h", YESTERDAY), ("fr", "le 1er mars", date(2026, 3, 1)),
    ("de", "gestern", YESTERDAY), ("de", "heute Morgen", TODAY), ("de", "letzten Dienstag", LAST_TUESDAY),
    ("de", "am 3. März", THIRD_OF_MARCH), ("de", "3.3.", THIRD_OF_MARCH), ("de", "vor 3 Tagen", date(2026, 3, 8)),
    ("de", "Guten Morgen, ich habe gestern angerufen", YESTERDAY), ("de", "am 03.03.2026 um 10.30 Uhr", THIRD_OF_MARCH),
    ("es", "ayer", YESTERDAY), ("es", "hoy", TODAY), ("es", "el martes pasado", LAST_TUESDAY),
    ("es", "3 de marzo", THIRD_OF_MARCH), ("es", "el 3 de marzo de 2026", THIRD_OF_MARCH),
    ("es", "ayer por la mañana", YESTERDAY), ("es", "esta mañana", TODAY), ("es", "hace 3 días", date(2026, 3, 8)),
    ("it", "ieri", YESTERDAY), ("it", "oggi", TODAY), ("it", "martedì scorso", LAST_TUESDAY),
    ("it", "il 3 marzo", THIRD_OF_MARCH), ("it", "l'altro ieri", date(2026, 3, 9)),
    ("nl", "gisteren", YESTERDAY), ("nl", "vandaag", TODAY), ("nl", "afgelopen dinsdag", LAST_TUESDAY),
    ("nl", "vorige dinsdag", LAST_TUESDAY), ("nl", "3 maart", THIRD_OF_MARCH), ("nl", "eergisteren", date(2026, 3, 9)),
    ("pt", "ontem", YESTERDAY), ("pt", "hoje", TODAY), ("pt", "terça-feira passada", LAST_TUESDAY),
    ("pt", "na terça passada", LAST_TUESDAY), ("pt", "3 de março", THIRD_OF_MARCH), ("pt", "1º de março", date(2026, 3, 1)),
    ("ro", "ieri", YESTERDAY), ("ro", "astăzi", TODAY), ("ro", "marțea trecută", LAST_TUESDAY),
    ("ro", "3 martie", THIRD_OF_MARCH), ("ro", "acum 3 zile", date(2026, 3, 8)),
])
def test_call_date_in_each_language(language, text, expected):
    assert parse_call_date(text, language, TODAY) == CallDate(expected, None)


@pytest.mark.parametrize("text, expected", [
    ("20 March", date(2025, 3, 20)),     # not yet this year: last year's
    ("29 Feb", date(2024, 2, 29)),       # the last one that existed
    ("03/25", date(2025, 3, 25)),        # only readable month first; 25 March 2026 is still to come
    ("on the 3rd of March 2025", date(2025, 3, 3)),
])
def test_a_day_and_month_without_a_year_is_the_most_recent_one(text, expected):
    assert parse_call_date(text, "en", TODAY).value == expected


def test_numeric_dates_are_month_first_only_for_a_us_desk(monkeypatch):
    assert parse_call_date("03/04", "en", TODAY).value == date(2025, 4, 3)
    monkeypatch.setenv("PRIVACY_DESK_DEFAULT_PHONE_REGION", "US")
    assert parse_call_date("03/04", "en", TODAY).value == date(2026, 3, 4)


@pytest.mark.parametrize("language, text", [
    ("en", "tomorrow"), ("fr", "demain"), ("de", "morgen"), ("es", "mañana"), ("it", "domani"), ("nl", "morgen"),
    ("pt", "amanhã"), ("ro", "mâine"), ("en", "next Tuesday"), ("fr", "mardi prochain"), ("en", "3 March 2027"),
    ("de", "03.03.2027"),
])
def test_a_date_after_today_is_future(language, text):
    result = parse_call_date(text, language, TODAY)
    assert result.problem == "future"
    assert result.value > TODAY


@pytest.mark.parametrize("text", ["blah blah", "", "no idea", "31/02", "asdfgh", "ok", "+44 7700 900123",
                                  "jane@example.org", "acum 3 luni", "PD-1234-5678"])
def test_garbage_is_unreadable(text):
    assert parse_call_date(text, "en", TODAY) == CallDate(None, "unreadable")


# --- time of the call ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("language, text, expected", [
    ("en", "around 2pm", "14:00"), ("en", "2 pm", "14:00"), ("en", "14:30", "14:30"), ("en", "at 3", "15:00"),
    ("en", "2.30pm", "14:30"), ("en", "at 10:15 am", "10:15"), ("en", "12 noon", "12:00"), ("en", "noon", "12:00"),
    ("en", "the call was yesterday around 2pm", "14:00"), ("en", "3 March at 11", "11:00"),
    ("en", "in the morning", "morning"), ("en", "this afternoon", "afternoon"), ("en", "in the evening", "evening"),
    ("fr", "14h30", "14:30"), ("fr", "vers 10h", "10:00"), ("fr", "à 15 heures", "15:00"),
    ("fr", "le 3 mars à 10h", "10:00"), ("fr", "le matin", "morning"), ("fr", "l'après-midi", "afternoon"),
    ("fr", "le soir", "evening"),
    ("de", "gegen 15 Uhr", "15:00"), ("de", "um 10.30 Uhr", "10:30"), ("de", "15 Uhr 30", "15:30"),
    ("de", "am 3.3. um 10", "10:00"), ("de", "gestern Morgen um 9", "09:00"), ("de", "morgens", "morning"),
    ("de", "nachmittags", "afternoon"), ("de", "abends", "evening"),
    ("es", "a las 3 de la tarde", "15:00"), ("es", "a las 10", "10:00"), ("es", "a las 15 horas", "15:00"),
    ("es", "por la mañana", "morning"), ("es", "por la tarde", "afternoon"), ("es", "por la noche", "evening"),
    ("it", "alle 15", "15:00"), ("it", "verso le 11", "11:00"), ("it", "alle ore 15", "15:00"),
    ("it", "di mattina", "morning"), ("it", "nel pomeriggio", "afternoon"), ("it", "di sera", "evening"),
    ("nl", "om 3 uur 's middags", "15:00"), ("nl", "om 14.30", "14:30"), ("nl", "rond 10 uur", "10:00"),
    ("nl", "'s ochtends", "morning"), ("nl", "'s middags", "afternoon"), ("nl", "'s avonds", "evening"),
    ("pt", "às 15h30", "15:30"), ("pt", "às 3 da tarde", "15:00"), ("pt", "pelas 10 horas", "10:00"),
    ("pt", "de manhã", "morning"), ("pt", "à tarde", "afternoon"), ("pt", "à noite", "evening"),
    ("ro", "la ora 15", "15:00"), ("ro", "am sunat la 10", "10:00"), ("ro", "dimineața", "morning"),
    ("ro", "după-amiaza", "afternoon"), ("ro", "seara", "evening"),
])
def test_call_time_in_each_language(language, text, expected):
    assert parse_call_time(text, language) == expected


@pytest.mark.parametrize("language, text", [
    ("en", "03/03"), ("de", "3.3."), ("de", "am 10.11."), ("en", "2026-03-03"), ("en", "+44 7700 900123"),
    ("fr", "06.12.34.56.78"), ("en", "call me on 07700 900123"), ("en", "PD-1234-5678"), ("en", "I called 3 times"),
    ("fr", "il y a 3 heures"), ("es", "durante 3 horas"), ("it", "3 ore fa"), ("ro", "la 3 martie"),
    ("pt", "amanhã"), ("en", "nothing"), ("en", ""),
])
def test_dates_phone_numbers_and_durations_are_not_times(language, text):
    assert parse_call_time(text, language) is None


# --- hostile input ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_input_is_answered_not_raised(hostile):
    assert find_email(hostile) is None
    assert find_phone(hostile) is None
    assert parse_call_date(hostile, "en", TODAY).problem in (None, "future", "unreadable")
    assert parse_call_time(hostile, "de") in (None, "15:00", "12:30")


def test_only_the_beginning_of_a_huge_text_is_read():
    assert parse_call_date("x " * 50_000 + "yesterday", "en", TODAY) == CallDate(None, "unreadable")
    assert parse_call_date("yesterday " + "x " * 50_000, "en", TODAY) == CallDate(YESTERDAY, None)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=3000))
def test_find_email_and_phone_never_raise(text):
    email, phone = find_email(text), find_phone(text)
    assert email is None or "@" in email
    assert phone is None or phone.startswith("+")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=3000), st.sampled_from(SUPPORTED + ("sv", "")))
def test_parse_call_date_and_time_never_raise(text, language):
    result = parse_call_date(text, language, TODAY)
    assert (result.value is None) == (result.problem == "unreadable")
    assert parse_call_time(text, language) is None or isinstance(parse_call_time(text, language), str)
