"""summary.html: the export document as one page a person can read, in their language when bot/texts has the
words (EXPORT, EXPORT_STATUS), else in English.

Self-contained (inline style, no script, nothing fetched), so it opens the same from a zip, a mail attachment
or a USB stick years later. Everything in it came from people, so everything is escaped.
"""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path

import jinja2

from bot import notices

TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render(doc: dict) -> str:
    lang = doc["language"] if notices.texts(doc["language"]) is not notices.texts("en") else "en"
    words = Words(lang)
    exported = datetime.fromisoformat(doc["exported_at"])
    intro = words.intro.format(date=notices.format_date(exported, lang), reference=doc["request_reference"])
    env = _environment().overlay()  # the same templates, with filters that speak this language
    env.filters.update(_filters(lang))
    return env.get_template("export_summary.html").render(doc=doc, w=words, lang=lang, intro=intro)


def _filters(lang: str) -> dict:
    return {"when": lambda value: _when(value, lang),
            "status": lambda value: notices.phrase(lang, "EXPORT_STATUS", value) if value in _statuses() else value,
            "request_label": lambda value: _capital(notices.phrase(lang, "LABELS", value))
            if value in notices.texts("en").LABELS else value,
            "flat": _flat}


class Words:
    """The page's words in the language, word by word falling back to English."""

    def __init__(self, lang: str):
        self._lang = lang

    def __getattr__(self, key: str) -> str:
        if key.startswith("_"):
            raise AttributeError(key)
        return notices.phrase(self._lang, "EXPORT", key)


def _when(value: str | None, lang: str) -> str:
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    return f"{notices.format_date(moment, lang)}, {moment:%H:%M} UTC"


def _statuses() -> dict:
    return notices.texts("en").EXPORT_STATUS


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _flat(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_flat(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_flat(v)}" for k, v in value.items())
    return "" if value is None else str(value)
