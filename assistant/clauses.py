"""The clauses of one chat message, so that "send me what you have and then delete it" can be read as two requests.

A chat message gets one intent; a person who asks for two things in it ("je veux une copie de mes données puis
supprimez tout") would otherwise have the second one silently dropped. The message is cut at sentence ends and at
the words that join two requests in each language ("and then", "puis", "und dann", "y luego", ...); each clause is
then classified on its own (assistant/classify.py), and only a clause that clearly asks for something counts.
"""
from __future__ import annotations

import re

# Words that join two requests, longest first within each language so that "and then" wins over "and". A bare
# "and" also joins things inside one request ("my name and my email"): such a clause is no request on its own, so
# it is dropped when it is classified, not here.
JOINERS = {
    "en": ["and then", "and also", "and afterwards", "after that", "as well as", "then", "also", "plus", "and"],
    "fr": ["et ensuite", "et puis", "et aussi", "et après", "ensuite", "puis", "aussi", "et"],
    "de": ["und danach", "und dann", "und außerdem", "und ausserdem", "und auch", "danach", "außerdem",
           "ausserdem", "und"],
    "es": ["y luego", "y después", "y despues", "y también", "y tambien", "y además", "y ademas", "luego",
           "después", "despues", "además", "ademas", "y"],
    "it": ["e poi", "e dopo", "e anche", "e inoltre", "inoltre", "dopodiché", "dopodiche", "poi", "e"],
    "nl": ["en daarna", "en dan", "en ook", "en verder", "daarna", "verder", "en"],
    "pt": ["e depois", "e também", "e tambem", "e ainda", "além disso", "alem disso", "depois", "e"],
    "ro": ["și apoi", "si apoi", "și după aceea", "si dupa aceea", "și de asemenea", "si de asemenea", "apoi",
           "de asemenea", "și", "si"],
}
MIN_WORDS = 2  # "delete it" and "ștergeți-le" are clauses; "please" alone is not
MAX_CLAUSES = 8
_SENTENCE_END = re.compile(r"[.!?;]+(?=\s|$)|\n+")  # not the dot of an email address
_WORD = re.compile(r"\w+")


def _joiner_pattern() -> re.Pattern:
    words = sorted({w for joiners in JOINERS.values() for w in joiners}, key=len, reverse=True)
    return re.compile(r"(?:,\s*)?\b(?:" + "|".join(re.escape(w) for w in words) + r")\b|,\s+", re.IGNORECASE)


_JOINER = _joiner_pattern()


def clauses(text: str) -> list[str]:
    """The parts of `text` between sentence ends and joining words, each of at least MIN_WORDS words.
    The joiners of every language are used at once: a short message's language is the least certain thing about
    it, and none of these words is a request in another language."""
    found = []
    for sentence in _SENTENCE_END.split(text or ""):
        for part in _JOINER.split(sentence):
            part = " ".join(part.split()).strip(" ,:-")
            if len(_WORD.findall(part)) >= MIN_WORDS:
                found.append(part)
    return found[:MAX_CLAUSES]


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())
