"""The details a person gives about a call, found in free text in their language: email, phone, date and time.

Chat form validators and the email pipeline call these on untrusted text, so each looks only at the first
MAX_CHARS characters, uses patterns of bounded length, and answers None or "unreadable" instead of raising.
Dates and times are read by our own patterns first: dateparser cannot find a date inside a sentence and does
not know "last Tuesday" in most languages; it is kept as a last resort for short phrases such as "two days ago".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import islice

import phonenumbers

from bot import references, settings
from bot.contact import InvalidContact, normalise_email, normalise_phone
from bot.language import SUPPORTED, fold

MAX_CHARS = 5000
MAX_EMAIL_TRIES = 20   # "@" signs examined; text with more is not an answer to "what is your email?"
MAX_PHONE_TRIES = 50   # digit runs phonenumbers may reject before giving up
MAX_PHONE_MATCHES = 10  # and numbers it may find: "12:30 12:30 ..." is a thousand possible numbers

# --- vocabulary, folded (see bot.language.fold) --------------------------------------------------------------------
# months: "full,names;abbreviations" for January..December, "|" between months. Full names are looked for in every
# language (a French chat may say "3 March"); abbreviations only in the person's language and English ("out" is
# October only in Portuguese).
_MONTHS = {
    "en": "january;jan|february;feb|march;mar|april;apr|may|june;jun|july;jul|august;aug|september;sept,sep"
          "|october;oct|november;nov|december;dec",
    "fr": "janvier;janv|fevrier;fevr,fev|mars|avril;avr|mai|juin|juillet;juil|aout|septembre;sept|octobre;oct"
          "|novembre;nov|decembre;dec",
    "de": "januar,janner;jan|februar,feber;feb|marz,maerz;mrz|april;apr|mai|juni|juli|august;aug"
          "|september;sept,sep|oktober;okt|november;nov|dezember;dez",
    "es": "enero;ene|febrero;feb|marzo;mar|abril;abr|mayo|junio;jun|julio;jul|agosto;ago"
          "|septiembre,setiembre;sept,sep|octubre;oct|noviembre;nov|diciembre;dic",
    "it": "gennaio;gen|febbraio;feb|marzo;mar|aprile;apr|maggio;mag|giugno;giu|luglio;lug|agosto;ago"
          "|settembre;set|ottobre;ott|novembre;nov|dicembre;dic",
    "nl": "januari;jan|februari;feb|maart;mrt|april;apr|mei|juni;jun|juli;jul|augustus;aug|september;sept,sep"
          "|oktober;okt|november;nov|december;dec",
    "pt": "janeiro;jan|fevereiro;fev|marco;mar|abril;abr|maio;mai|junho;jun|julho;jul|agosto;ago|setembro;set"
          "|outubro;out|novembro;nov|dezembro;dez",
    "ro": "ianuarie;ian|februarie;feb|martie;mar|aprilie;apr|mai|iunie;iun|iulie;iul|august;aug"
          "|septembrie;sept,sep|octombrie;oct|noiembrie;noi|decembrie;dec",
}
_WEEKDAYS = {  # Monday..Sunday
    "en": "monday|tuesday,tues|wednesday|thursday|friday|saturday|sunday",
    "fr": "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche",
    "de": "montag|dienstag|mittwoch|donnerstag|freitag|samstag,sonnabend|sonntag",
    "es": "lunes|martes|miercoles|jueves|viernes|sabado|domingo",
    "it": "lunedi|martedi|mercoledi|giovedi|venerdi|sabato|domenica",
    "nl": "maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag",
    "pt": "segunda-feira,segunda feira,segunda|terca-feira,terca feira,terca|quarta-feira,quarta feira,quarta"
          "|quinta-feira,quinta feira,quinta|sexta-feira,sexta feira,sexta|sabado|domingo",
    "ro": "luni,lunea|marti,martea|miercuri,miercurea|joi,joia|vineri,vinerea|sambata|duminica",
}
_NEXT = {  # a weekday said with these is the coming one
    "en": "next,coming", "fr": "prochain", "de": "nachsten,kommenden", "es": "proximo,que viene",
    "it": "prossimo", "nl": "volgende,aanstaande,komende", "pt": "proxima,proximo,que vem", "ro": "viitoare,viitor",
}
_DAYS_FROM_TODAY = {  # offset: phrases; None marks phrases that only look like a date word ("guten Morgen")
    "en": {0: "today,this morning,this afternoon,this evening,tonight", -1: "yesterday,last night",
           -2: "day before yesterday", 1: "tomorrow"},
    "fr": {0: "aujourd'hui,aujourdhui,ce matin,cet apres-midi,cet apres midi,ce soir", -1: "hier",
           -2: "avant-hier,avant hier", 1: "demain", 2: "apres-demain,apres demain"},
    "de": {0: "heute,heute morgen,heute fruh", -1: "gestern,gestern morgen", -2: "vorgestern,vorgestern morgen",
           1: "morgen", 2: "ubermorgen", None: "guten morgen,am morgen"},
    "es": {0: "hoy,esta manana,esta tarde,esta noche", -1: "ayer,anoche", -2: "anteayer,antes de ayer,antier",
           1: "manana", 2: "pasado manana", None: "la manana"},
    "it": {0: "oggi,stamattina,stamani,stasera,stanotte", -1: "ieri", -2: "l'altro ieri,l'altroieri,altroieri,"
           "ieri l'altro", 1: "domani", 2: "dopodomani"},
    "nl": {0: "vandaag,vanmorgen,vanochtend,vanmiddag,vanavond", -1: "gisteren,gisteravond", -2: "eergisteren",
           1: "morgen", 2: "overmorgen", None: "goede morgen,'s morgens"},
    "pt": {0: "hoje,esta manha,esta tarde,esta noite", -1: "ontem", -2: "anteontem,antes de ontem", 1: "amanha",
           2: "depois de amanha"},
    "ro": {0: "azi,astazi,diseara", -1: "ieri,aseara", -2: "alaltaieri", 1: "maine", 2: "poimaine"},
}
_DAYS_AGO = re.compile(
    r"(?<!\w)(?:([0-9]{1,2}) days? ago|il y a ([0-9]{1,2}) jours?|vor ([0-9]{1,2}) tagen|hace ([0-9]{1,2}) dias"
    r"|([0-9]{1,2}) giorni fa|([0-9]{1,2}) dagen geleden|ha ([0-9]{1,2}) dias|([0-9]{1,2}) dias atras"
    r"|acum ([0-9]{1,2}) zile|([0-9]{1,2}) zile in urma)(?!\w)")
_HOUR_CUES = {  # words before a bare hour: "at 3", "alle 15", "a las 3"
    "en": "at,around,about,approx,approximately,circa,roughly", "fr": "vers,environ,autour de",
    "de": "um,gegen,ca,etwa,ungefahr", "es": "a las,a la,sobre las,hacia las,alrededor de las,eso de las",
    "it": "alle,alle ore,ore,verso le,intorno alle", "nl": "om,rond,omstreeks,tegen",
    "pt": "as,pelas,por volta das,cerca das,perto das", "ro": "la,la ora,ora,pe la,in jurul orei,cam la",
}
_PARTS_OF_DAY = {  # morning, afternoon, evening, noon
    "en": "morning|afternoon|evening,tonight,night|noon,midday,lunchtime",
    "fr": "matin,matinee|apres-midi,apres midi,aprem|soir,soiree|midi",
    "de": "morgens,vormittag,vormittags,am morgen,heute morgen,gestern morgen,heute fruh|nachmittag,nachmittags"
          "|abend,abends|mittag,mittags",
    "es": "la manana,esta manana|tarde|noche,anoche|mediodia",
    "it": "mattina,mattino,stamattina,stamani|pomeriggio|sera,serata,stasera|mezzogiorno",
    "nl": "ochtend,'s ochtends,'s morgens,vanochtend,vanmorgen|middag,'s middags,vanmiddag,namiddag"
          "|avond,'s avonds,vanavond,gisteravond|middaguur",
    "pt": "manha|tarde|noite|meio-dia,meio dia",
    "ro": "dimineata|dupa-amiaza,dupa amiaza,dupa-masa,dupa masa|seara,diseara,aseara|amiaza,pranz",
}
_PARTS = ("morning", "afternoon", "evening", "noon")

# --- patterns on prepared text --------------------------------------------------------------------------------------
_ISO_DATE = re.compile(r"(?<![0-9])([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?![0-9])")
# 03/03, 3.3., 03.03.2026, 3/3/26; never a piece of a longer run of digits (a phone number written 06.12.34.56.78)
_NUMERIC_DATE = re.compile(r"(?<![0-9.,/-])([0-9]{1,2})([./-])([0-9]{1,2})(?:\2([0-9]{4}|[0-9]{2}))?(\.)?"
                           r"(?![0-9]|[.,/:-][0-9])")
_TIME_WORD_AFTER = re.compile(r" ?(?:uhr|uur|h|hrs?|am|pm|heures?|horas?|ore)(?!\w)")
_CLOCK = re.compile(r"(?<![0-9.,:/])([0-9]{1,2})(?::| ?h ?|\.)([0-9]{2})(?![0-9]|[.:][0-9])")
_HOUR_MARKED = re.compile(r"(?<![0-9.,:/])([0-9]{1,2}) ?(?:h|uhr|uur|o'clock|oclock)(?!\w)(?: ?([0-9]{2})(?![0-9]))?")
# "3 heures" and "3 horas" are as often a duration; "à 15 heures", "a las 3 horas" are times.
_HOUR_WORD = re.compile(r"(?<!\w)(?:(?<!y )a|vers|as|pelas|a las|sobre las) ([0-9]{1,2}) ?(?:heures?|horas?)(?!\w)"
                        r"(?: ?([0-9]{2})(?![0-9]))?")
_AM_PM = re.compile(r"(?<![0-9.,:/])([0-9]{1,2})(?:[:.]([0-9]{2}))? ?(a\.m\.?|p\.m\.?|am|pm)(?!\w)")


@dataclass(frozen=True)
class CallDate:
    """The date of a call as the person gave it. problem: "future" (value is that date) or "unreadable" (no value)."""
    value: date | None
    problem: str | None = None


def find_email(text: str) -> str | None:
    """The first plausible email address in `text`, normalised (bot.contact.normalise_email)."""
    if not isinstance(text, str):
        return None
    text = text[:MAX_CHARS]
    at = text.find("@")
    for _ in range(MAX_EMAIL_TRIES):
        if at < 0:
            return None
        local = _LOCAL_PART_END.search(text, max(0, at - 64), at)
        domain = _DOMAIN_START.match(text, at + 1, at + 254)
        if local and domain:
            try:
                return normalise_email(local.group().lstrip(".'`") + "@" + domain.group().rstrip("-"))
            except InvalidContact:
                pass
        at = text.find("@", at + 1)
    return None


_LOCAL_PART_END = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}\Z")  # searched up to the "@" (endpos)
_DOMAIN_START = re.compile(r"[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}")


def find_phone(text: str, region: str | None = None) -> str | None:
    """The first phone number in `text` in E.164 form; numbers without a country prefix are read in `region`.

    What counts as a usable number is bot.contact.normalise_phone's rule.
    """
    region = (region or settings.get("default_phone_region") or "GB").upper()
    first = next(_phone_matches(_without_dates_and_times(_prepare(text)), region), None)
    return first[2] if first else None


def _phone_matches(text: str, region: str):
    """(start, end, E.164) of each usable phone number in `text`."""
    matcher = phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE,
                                              max_tries=MAX_PHONE_TRIES)
    for match in islice(matcher, MAX_PHONE_MATCHES):
        try:
            yield match.start, match.end, normalise_phone(match.raw_string, region)
        except InvalidContact:
            continue


def parse_call_date(text: str, language: str, today: date) -> CallDate:
    """The date of a call: "yesterday", "mardi dernier", "am 3. März", "03/03", "2026-03-03", in a sentence or not.

    A day and month without a year is the most recent such day not after `today`.
    """
    folded = fold(_prepare(text))
    languages = _languages(language)
    value = (_explicit_date(folded, languages, today) or _relative_date(folded, languages, today)
             or _dateparser_date(folded, language, today))
    if value is None:
        return CallDate(None, "unreadable")
    return CallDate(value, "future" if value > today else None)


def parse_call_time(text: str, language: str) -> str | None:
    """"HH:MM" (24 h) for "around 2pm", "14h30", "gegen 15 Uhr", "a las 3 de la tarde"; "morning", "afternoon"
    or "evening" when only the part of the day is given; None when the text gives no time.

    A bare hour from 1 to 7 without "am", "pm" or a part of the day is read as afternoon: calls are taken in
    office hours, so "at 3" means 15:00.
    """
    vocabulary = _vocabulary(_languages(language))
    prepared = vocabulary.day_month.sub(_blank, _without_dates_and_times(fold(_prepare(text)), keep_times=True))
    region = (settings.get("default_phone_region") or "GB").upper()
    for start, end, _ in list(_phone_matches(prepared, region)):  # "call 07700 900123" holds no "at 7"
        prepared = prepared[:start] + " " * (end - start) + prepared[end:]
    clock = _clock_time(prepared, vocabulary, language)
    if clock:
        return clock
    part = _first_part_of_day(prepared, vocabulary)
    return "12:00" if part == "noon" else part


# --- preparing text -------------------------------------------------------------------------------------------------
def _prepare(text: str) -> str:
    """The first MAX_CHARS characters without email addresses, links and case references (their digits mislead)."""
    if not isinstance(text, str):
        return ""
    tokens = [t for t in text[:MAX_CHARS].split() if "@" not in t and "://" not in t and not t.startswith("www.")]
    return references.PATTERN.sub(" ", " ".join(tokens))


def _blank(match: re.Match) -> str:
    return " " * len(match.group())


def _without_dates_and_times(text: str, keep_times: bool = False) -> str:
    """`text` with numeric dates (and times) blanked out, at the same length: "3.3.2026" is no phone number."""
    text = _NUMERIC_DATE.sub(lambda m: m.group() if _numeric_is_time(text, m) else _blank(m),
                             _ISO_DATE.sub(_blank, text))
    return text if keep_times else _AM_PM.sub(_blank, _CLOCK.sub(_blank, text))


def _numeric_is_time(text: str, match: re.Match) -> bool:
    """"10.30 Uhr" or "14.45" is a time; "3.3." and "03.03" are dates."""
    day, separator, month, year, trailing_dot = match.groups()
    if separator != "." or year or trailing_dot:
        return False
    return len(month) != 2 or int(month) > 12 or bool(_TIME_WORD_AFTER.match(text, match.end()))


def _languages(language: str) -> tuple[str, ...]:
    """The person's language and English; every language we understand when theirs is not one of them."""
    if language in SUPPORTED:
        return (language,) if language == "en" else (language, "en")
    return SUPPORTED


# --- vocabulary compiled per language set ----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Vocabulary:
    month_of: dict
    day_month: re.Pattern
    month_day: re.Pattern
    weekday_of: dict
    weekday: re.Pattern
    next_cue: re.Pattern
    offset_of: dict
    relative: re.Pattern
    hour_cue: re.Pattern
    part_of: dict
    part: re.Pattern


def _alternation(words) -> str:
    # Longest first, so "avant-hier" is read before "hier".
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _bounded(words) -> str:
    return rf"(?<!\w)(?:{_alternation(words)})(?!\w)"


@lru_cache(maxsize=16)
def _vocabulary(languages: tuple[str, ...]) -> _Vocabulary:
    month_of, weekday_of, offset_of, part_of = {}, {}, {}, {}
    for language in SUPPORTED:
        for number, names in enumerate(_MONTHS[language].split("|"), start=1):
            full, _, short = names.partition(";")
            for name in full.split(",") + (short.split(",") if short and language in languages else []):
                month_of.setdefault(name, number)
    for language in languages:
        for number, names in enumerate(_WEEKDAYS[language].split("|")):
            weekday_of.update(dict.fromkeys(names.split(","), number))
        for offset, phrases in _DAYS_FROM_TODAY[language].items():
            offset_of.update(dict.fromkeys(phrases.split(","), offset))
        for part, phrases in zip(_PARTS, _PARTS_OF_DAY[language].split("|")):
            part_of.update(dict.fromkeys(phrases.split(","), part))
    months = _alternation(month_of)
    return _Vocabulary(
        month_of=month_of,
        day_month=re.compile(rf"(?<![0-9])([0-9]{{1,2}})(?:st|nd|rd|th|er|eme|e|o|a)?\.? ?(?:of |de |di |-)?"
                             rf"({months})(?!\w)\.?(?:,? ?(?:de |del )?([0-9]{{4}})(?![0-9]))?"),
        month_day=re.compile(rf"(?<!\w)({months})\.? (?:the )?([0-9]{{1,2}})(?:st|nd|rd|th)?(?![0-9])"
                             rf"(?:,? ?([0-9]{{4}})(?![0-9]))?"),
        weekday_of=weekday_of,
        weekday=re.compile(_bounded(weekday_of)),
        next_cue=re.compile(_bounded(",".join(_NEXT[lang] for lang in languages).split(","))),
        offset_of=offset_of,
        relative=re.compile(_bounded(offset_of)),
        hour_cue=re.compile(_bounded(",".join(_HOUR_CUES[lang] for lang in languages).split(","))
                            + r" ([0-9]{1,2})(?![0-9]|[.,:][0-9]| ?(?:st|nd|rd|th|er|e|o|%)(?!\w))"),
        part_of=part_of,
        part=re.compile(_bounded(part_of)),
    )


# --- dates ----------------------------------------------------------------------------------------------------------
def _explicit_date(text: str, languages: tuple[str, ...], today: date) -> date | None:
    vocabulary = _vocabulary(languages)
    match = _ISO_DATE.search(text)
    if match:
        return _make_date(int(match[1]), int(match[2]), int(match[3]), today)
    for match in _NUMERIC_DATE.finditer(text):
        if match[2] == "-" and not match[4] or _numeric_is_time(text, match):
            continue  # "3-3" is a score, "10.30 Uhr" a time
        return _numeric_date(match, today)
    found = [(m.start(), int(m[1]), vocabulary.month_of[m[2]], m[3]) for m in vocabulary.day_month.finditer(text)]
    found += [(m.start(), int(m[2]), vocabulary.month_of[m[1]], m[3]) for m in vocabulary.month_day.finditer(text)]
    if found:
        _, day, month, year = min(found)
        return _make_date(int(year) if year else None, month, day, today)
    return None


def _numeric_date(match: re.Match, today: date) -> date | None:
    first, second, year = int(match[1]), int(match[3]), match[4]
    if settings.get("default_phone_region").upper() == "US":
        first, second = second, first
    if second > 12 >= first:  # 03/25 can only be month first
        first, second = second, first
    full_year = None if not year else int(year) + (2000 if len(year) == 2 else 0)
    return _make_date(full_year, second, first, today)


def _make_date(year: int | None, month: int, day: int, today: date) -> date | None:
    """The date, or without a year the most recent such date not after today (29 February: the last leap year)."""
    for candidate in ([year] if year else range(today.year, today.year - 9, -1)):
        try:
            value = date(candidate, month, day)
        except ValueError:
            continue
        if year or value <= today:
            return value
    return None


def _relative_date(text: str, languages: tuple[str, ...], today: date) -> date | None:
    vocabulary = _vocabulary(languages)
    found = []
    match = _DAYS_AGO.search(text)
    if match:
        found.append((match.start(), today - timedelta(days=int(next(g for g in match.groups() if g)))))
    for match in vocabulary.relative.finditer(text):
        offset = vocabulary.offset_of[match.group()]
        if offset is not None:
            found.append((match.start(), today + timedelta(days=offset)))
    for match in vocabulary.weekday.finditer(text):
        if not re.search(r"[0-9] ?$", text[max(0, match.start() - 3):match.start()]):  # "acum 3 luni": months
            found.append((match.start(), _weekday_date(text, match, vocabulary, today)))
    return min(found)[1] if found else None


def _weekday_date(text: str, match: re.Match, vocabulary: _Vocabulary, today: date) -> date:
    """The most recent such weekday before today; the coming one when said with "next", "prochain"..."""
    weekday = vocabulary.weekday_of[match.group()]
    around = text[max(0, match.start() - 20):match.end() + 20]
    if vocabulary.next_cue.search(around):
        return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
    return today - timedelta(days=(today.weekday() - weekday) % 7 or 7)


def _dateparser_date(text: str, language: str, today: date) -> date | None:
    """Short phrases our patterns do not know ("two days ago", "vor zwei Tagen"); only day-precise answers."""
    if len(text) > 60 or any(c.isdigit() for c in text) or not re.search(r"[^\W\d_]{3}", text):
        return None  # digits are ours to read: dateparser takes a phone number or "5" for a date
    from dateparser.date import DateDataParser  # slow to import, and most answers never get this far

    settings_ = {"PREFER_DATES_FROM": "past", "RELATIVE_BASE": datetime.combine(today, time(12))}
    try:
        parsed = DateDataParser(languages=[language if language in SUPPORTED else "en"],
                                settings=settings_).get_date_data(text)
    except Exception:  # a third-party parser on hostile text: no date is the honest answer
        return None
    return parsed.date_obj.date() if parsed.date_obj and parsed.period == "day" else None


# --- times ----------------------------------------------------------------------------------------------------------
def _clock_time(text: str, vocabulary: _Vocabulary, language: str) -> str | None:
    """The most explicit time written: "2pm" before "14:30" before "15 Uhr" before "at 3"."""
    am_ok = language not in ("de", "ro")  # "am" is a word there ("am Dienstag", "am sunat")
    candidates = [(0, m, m[1], m[2], m[3]) for m in _AM_PM.finditer(text) if am_ok or m[3] != "am"]
    candidates += [(1, m, m[1], m[2], None) for m in _CLOCK.finditer(text)]
    candidates += [(2, m, m[1], m[2], None) for pattern in (_HOUR_MARKED, _HOUR_WORD) for m in pattern.finditer(text)]
    candidates += [(3, m, m[1], None, None) for m in vocabulary.hour_cue.finditer(text)]
    for _, match, hour, minute, am_pm in sorted(candidates, key=lambda c: (c[0], c[1].start())):
        value = _to_24h(text, match, hour, minute, am_pm, vocabulary)
        if value:
            return value
    return None


def _to_24h(text, match, hour: str, minute: str | None, am_pm: str | None, vocabulary: _Vocabulary) -> str | None:
    h, m = int(hour), int(minute or 0)
    if am_pm and not 1 <= h <= 12:
        return None
    part = ("morning" if am_pm[0] == "a" else "afternoon") if am_pm else _part_near(text, match, vocabulary)
    if part in ("afternoon", "evening") and 1 <= h < 12:
        h += 12
    elif part == "morning" and h == 12:
        h = 0
    elif part is None and 1 <= h <= 7 and not hour.startswith("0"):
        h += 12  # office hours: "at 3" is 15:00
    return f"{h:02d}:{m:02d}" if h <= 23 and m <= 59 else None


def _part_near(text: str, match: re.Match, vocabulary: _Vocabulary) -> str | None:
    """"de la tarde", "'s middags", "nachmittags um 3": the part of the day said with an hour, after or before it."""
    for window in (text[match.end():match.end() + 25], text[max(0, match.start() - 25):match.start()]):
        found = vocabulary.part.search(window)
        if found and vocabulary.part_of[found.group()] != "noon":
            return vocabulary.part_of[found.group()]
    return None


def _first_part_of_day(text: str, vocabulary: _Vocabulary) -> str | None:
    found = vocabulary.part.search(text)
    return vocabulary.part_of[found.group()] if found else None
