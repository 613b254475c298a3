"""The supervisory authority a person may complain to (GDPR Art. 77), found from the country they mention.

The authorities and the names people give their countries are data, in bot/data/authorities.json.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bot.language import fold

DATA = Path(__file__).with_name("data") / "authorities.json"
MAX_CHARS = 5000
_NOT_A_LETTER = re.compile(r"[\W_]+")
_ALIASES = {"UK": "GB", "EL": "GR"}  # codes people and the EU use besides ISO 3166's


@dataclass(frozen=True)
class Authority:
    country: str                      # ISO 3166-1 alpha-2
    name: str                         # as the authority writes it
    name_en: str
    abbreviation: str | None
    address: str
    phone: str | None                 # as published; None where it could not be confirmed
    website: str
    country_names: dict = field(compare=False, repr=False)  # language -> names; the first is the one we write
    note: str | None = None

    def country_name(self, language: str) -> str:
        """The country's name in `language` (English when we do not have one)."""
        return (self.country_names.get(language) or self.country_names["en"])[0]


def authority_for(country_code: str) -> Authority | None:
    code = (country_code or "").strip().upper() if isinstance(country_code, str) else ""
    return _by_country().get(_ALIASES.get(code, code))


def find_authority(text: str) -> Authority | None:
    """The authority of the first country named in `text` ("I live in Ireland", "aus Österreich")."""
    if not isinstance(text, str):
        return None
    words = _words(text[:MAX_CHARS])
    index, longest = _name_index()
    for start in range(len(words)):
        for length in range(min(longest, len(words) - start), 0, -1):  # "Northern Ireland" before "Ireland"
            country = index.get(" ".join(words[start:start + length]))
            if country:
                return _by_country()[country]
    return None


def all_authorities() -> tuple[Authority, ...]:
    return tuple(_by_country().values())


def _words(text: str) -> list[str]:
    return _NOT_A_LETTER.sub(" ", fold(text)).split()


@lru_cache(maxsize=1)
def _by_country() -> dict[str, Authority]:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    return {entry["country"]: Authority(**entry) for entry in raw["authorities"]}


@lru_cache(maxsize=1)
def _name_index() -> tuple[dict[str, str], int]:
    """Every country name, as words folded like the text, -> country code; and the most words in a name."""
    index = {}
    for authority in _by_country().values():
        for names in authority.country_names.values():
            for name in names:
                index[" ".join(_words(name))] = authority.country
    return index, max(len(key.split()) for key in index)
