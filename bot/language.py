"""Which language a person writes in, so that replies and the reading of dates follow it.

langdetect is reliable on a few sentences and wrong on a few words ("yes" is Turkish to it, "please delete my
data" Spanish). Chat answers are mostly a few words, so short messages are judged only by common words of the
eight languages we understand, and keep the conversation's language when those do not clearly point elsewhere.
"""
from __future__ import annotations

import re
import threading
import unicodedata

from bot import references, settings

SUPPORTED = ("en", "fr", "de", "es", "it", "nl", "pt", "ro")
REPLY_LANGUAGES = ("en", "fr", "de", "es", "it", "nl")

MAX_CHARS = 1000          # a paragraph decides a language; more only costs time
LONG_TEXT_LETTERS = 50    # below this (and fewer than LONG_TEXT_WORDS words) langdetect guesses
LONG_TEXT_WORDS = 8
VOTE_WORDS = 25           # up to this many words, common words outvote langdetect
MIN_PROBABILITY = 0.8
DETECTOR_CHARS = 300      # what langdetect is given: a few hundred letters of distinct words

_WORD = re.compile(r"[^\W\d_]+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'"})

# Folded (see fold) frequent words of each language; a word shared by several languages counts for each in part.
_COMMON_WORDS = {
    "en": "the i my me you your is was it and to of please want would like this that with for have not thank "
          "thanks hello hi delete copy recording yesterday today what can know about call called data request "
          "stop am",
    "fr": "je j le la les de des du mes mon ma moi me est et en un une pour vous votre vos suis c etait merci "
          "bonjour oui pas avec hier aujourd hui appel donnees veux voudrais supprimer copie enregistrement "
          "beaucoup plait ai au aux ce que qui demande il",
    "de": "ich mein meine meinen meiner mir mich sie ihr ist war und der die das den dem nicht bitte danke hallo "
          "mochte daten anruf gestern heute loschen kopie aufnahme mit fur von zu auf ein eine guten tag habe es "
          "am antrag anfrage",
    "es": "yo mi mis me el los las la de es fue y en un una que por favor gracias hola quiero datos llamada "
          "ayer hoy borrar copia grabacion con para si no buenos dias usted su sus del al solicitud dejen",
    "it": "io il lo gli la le di mio miei mia mie mi me e era che per favore grazie ciao buongiorno voglio vorrei "
          "dati chiamata ieri oggi cancellare copia registrazione con un una sono non della del al ho su richiesta "
          "smettete ma",
    "nl": "ik mijn me je jij u uw het een de is was en niet wil graag dank bedankt hallo goedemiddag goedemorgen "
          "gegevens gesprek gisteren vandaag verwijderen kopie opname met voor van wel ja dat zijn heb al geen "
          "verzoek",
    "pt": "eu meu meus minha minhas me o os a as de e foi que por favor obrigado obrigada ola quero gostaria "
          "dados chamada ontem hoje apagar copia gravacao com para uma um nao sim bom dia do da pedido parem",
    "ro": "eu meu mea mele mei mine este a fost si ca va rog multumesc buna ziua vreau as dori datele date apel "
          "apelul ieri azi astazi sterge stergeti copie inregistrarea cu pentru o un nu da sunt am la de ce "
          "despre cerere le",
}


def _index_common_words() -> dict[str, tuple[str, ...]]:
    index: dict[str, tuple[str, ...]] = {}
    for code, words in _COMMON_WORDS.items():
        for word in words.split():
            index[word] = index.get(word, ()) + (code,)
    return index


_LANGUAGES_OF_WORD = _index_common_words()

_factory = None
_factory_lock = threading.Lock()


def fold(text: str) -> str:
    """Lower case without accents, with plain apostrophes: how we compare words people type in any language."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def reply_language(language: str | None) -> str:
    return language if language in REPLY_LANGUAGES else "en"


def detect_language(text: str, previous: str | None = None) -> str:
    """ISO 639-1 code of the language `text` is written in; `previous` (or the default language) when unsure."""
    fallback = previous or settings.get("default_language")
    words = _words(text if isinstance(text, str) else "")
    letters = sum(len(w) for w in words)
    if letters < 4:
        return fallback
    if _mostly_non_latin(words):  # Cyrillic, Greek, Arabic, CJK...: even a few letters name the language
        return _by_langdetect(words, fallback)
    voted = _by_common_words(words) if len(words) < VOTE_WORDS else None
    if voted:
        return voted
    distinct = len(set(words))  # "morgen morgen morgen..." is noise, not a language
    if distinct >= 3 and (len(words) >= LONG_TEXT_WORDS or letters >= LONG_TEXT_LETTERS):
        return _by_langdetect(words, fallback)
    if distinct >= 4:
        return _by_langdetect(words, fallback, only_supported=True)  # a short sentence: only a language we expect
    return fallback


def _words(text: str) -> list[str]:
    """Words only: addresses, links, case references and numbers say nothing about the language."""
    tokens = [t for t in text[:MAX_CHARS].split() if "@" not in t and "://" not in t and not t.startswith("www.")]
    return _WORD.findall(references.PATTERN.sub(" ", " ".join(tokens)))


def _mostly_non_latin(words: list[str]) -> bool:
    letters = "".join(words)
    return sum(1 for c in letters if ord(c) > 0x24F) * 2 > len(letters)


def _by_common_words(words: list[str]) -> str | None:
    scores = dict.fromkeys(SUPPORTED, 0.0)
    for word in words[:200]:
        languages = _LANGUAGES_OF_WORD.get(fold(word), ())
        for language in languages:
            scores[language] += 1 / len(languages)
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    (best, top), (_, second) = ranked[0], ranked[1]
    return best if top >= 1.5 and top - second >= 1 else None


def _by_langdetect(words: list[str], fallback: str, only_supported: bool = False) -> str:
    from langdetect.lang_detect_exception import LangDetectException

    detector = _detector_factory().create()
    # Each distinct word once: repeated or endless text costs no more than a sentence.
    detector.append(" ".join(dict.fromkeys(words))[:DETECTOR_CHARS])
    try:
        ranked = detector.get_probabilities()
    except LangDetectException:  # no usable letters
        return fallback
    if any(p.lang == fallback and p.prob >= 0.3 for p in ranked):
        return fallback  # a mixed message (a quote, a name) does not switch the conversation
    if not ranked or ranked[0].prob < MIN_PROBABILITY:
        return fallback
    best = ranked[0].lang.split("-")[0]  # zh-cn, zh-tw -> zh
    return best if best in SUPPORTED or not only_supported else fallback


def _detector_factory():
    """One factory, loaded once: langdetect's own lazy loading is not thread-safe."""
    global _factory
    if _factory is not None:
        return _factory
    with _factory_lock:
        if _factory is None:
            from langdetect import DetectorFactory
            from langdetect.detector_factory import PROFILES_DIRECTORY

            factory = DetectorFactory()
            factory.load_profile(PROFILES_DIRECTORY)
            factory.seed = 0  # the same message always gets the same answer
            _factory = factory
        return _factory
