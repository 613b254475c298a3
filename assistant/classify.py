"""Triage with the trained assistant: what a text asks for, in which language. Staff tools, the mail poller and
the evaluation use it; the model is loaded once per process.

`classify(text)` gives the request types (what mail_ingest/reading.py calls for each piece of a letter);
`analyse(text, id)` gives the whole answer that `privacy-desk classify` prints, one JSON object per text:
{"id", "language", "intent", "confidence", "request_types": [...], "entities": [...]}.

A long letter often holds several requests ("send me what you hold, then delete it"). The whole text gets one
intent, so a text longer than SPLIT_ABOVE characters is also read sentence by sentence, and every request intent
found with at least FLOOR confidence is kept (measured in tests/test_classify.py on letters written for it).
A chat message is shorter, so `more_requests` reads it clause by clause (assistant/clauses.py) instead.
"""
from __future__ import annotations

import json
import re
import tarfile
import threading
from pathlib import Path
from typing import IO, Any, Iterable

from assistant.clauses import clauses, words
from bot import settings
from bot.language import detect_language

REQUEST_TYPES = {
    "request_access": "access", "request_rectification": "rectification", "request_erasure": "erasure",
    "request_restriction": "restriction", "request_portability": "portability", "request_objection": "objection",
    "request_call_recording": "call_recording", "file_complaint": "complaint",
    "withdraw_consent": "withdraw_consent",
}
FLOOR = 0.45          # a piece's request intent counts from this confidence
CLAUSE_FLOOR = 0.6    # a clause of a chat message is a second request from this confidence: a wrong one would be
                      # asked about and put in the summary, so a clause must be clearer than a letter's sentence
SAME_REQUEST = 0.1    # a clause that could well be the message's own request ("send me my data" after "export
                      # my data") is that request, not a second one
SPLIT_ABOVE = 160     # characters: shorter texts are one request at most
MAX_PIECES = 40
MAX_CHARS = 20000
MODELS = settings.PROJECT_DIR / "models"
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n\s*\n+|\n(?=\s*(?:[-*•]|\d+[.)])\s)")


class ModelMissing(RuntimeError):
    """No trained model: `make run` (or `make model`) trains one."""


class _Parser:
    """The intent model of a trained Rasa model archive, read without loading Rasa: the same weights and the same
    fallback threshold the assistant uses, loaded in a second instead of half a minute. Thread-safe."""

    def __init__(self, model: Path):
        from assistant.intent_model import VOCABULARY, WEIGHTS, IntentModel

        with tarfile.open(model, "r:gz") as archive:
            metadata = json.load(archive.extractfile("metadata.json"))
            nodes = metadata["predict_schema"]["nodes"]
            classifier = next((n for n in nodes.values() if n["uses"].endswith("TfidfIntentClassifier")), None)
            if classifier is None:
                raise ModelMissing(f"{model} was not trained with assistant.intent_classifier; retrain it.")
            folder = "components/" + classifier["resource"]["name"]
            self.model = IntentModel.loads(archive.extractfile(f"{folder}/{VOCABULARY}").read().decode("utf-8"),
                                           archive.extractfile(f"{folder}/{WEIGHTS}").read())
            fallback = next((n for n in nodes.values() if n["uses"].endswith("FallbackClassifier")), None)
            self.threshold = float((fallback or {}).get("config", {}).get("threshold", 0.0))

    def parse(self, text: str) -> dict:
        return self.parse_many([text])[0]

    def parse_many(self, texts: list[str]) -> list[dict]:
        """Several texts at once: the sentence encoder reads them together, on every core."""
        if not texts:
            return []
        return [self._parsed(text, ranking) for text, ranking in zip(texts, self.model.rank(texts))]

    def _parsed(self, text: str, ranking: list[dict]) -> dict:
        intent = ranking[0]
        if intent["confidence"] < self.threshold:
            intent = {"name": "nlu_fallback", "confidence": self.threshold}
        return {"text": text, "intent": intent, "intent_ranking": ranking[:10], "entities": []}


_parser: _Parser | None = None
_parser_lock = threading.Lock()


def newest_model(models: Path = MODELS) -> Path:
    found = sorted(models.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not found:
        raise ModelMissing(f"There is no trained assistant model in {models}. Run `make model` to train one.")
    return found[-1]


def parser(model: Path | None = None) -> _Parser:
    global _parser
    with _parser_lock:
        if _parser is None:
            _parser = _Parser(model or newest_model())
        return _parser


def pieces(text: str) -> list[str]:
    """Sentences and list items of a long text, without the tiny ones ("Hello,", "Thanks.")."""
    found = [" ".join(p.split()) for p in _SENTENCE_END.split(text)]
    return [p for p in found if len(p) >= 12][:MAX_PIECES]


def _request_type(parsed: dict, floor: float) -> str | None:
    intent = parsed.get("intent") or {}
    if (intent.get("confidence") or 0.0) < floor:
        return None
    return REQUEST_TYPES.get(intent.get("name"))


def _clipped(text: Any) -> str:
    return text[:MAX_CHARS] if isinstance(text, str) else ""


def _to_read(text: str) -> list[str]:
    """A text, then its sentences when it is long enough to hold more than one request."""
    return [text] + (pieces(text) if len(text) > SPLIT_ABOVE else [])


def _parse_all(texts: list[str]) -> dict[str, dict]:
    """Every text and its sentences parsed once, in one batch (sentences overlap between a letter and its
    paragraphs, and the encoder reads a batch on every core)."""
    to_read = list(dict.fromkeys(p for t in texts if t.strip() for p in _to_read(t)))
    return dict(zip(to_read, parser().parse_many(to_read)))


def _reading(text: str, parsed: dict[str, dict]) -> tuple[dict, list[str]]:
    """The parse of the whole text, and the request types it and its sentences hold."""
    whole, *parts = (parsed[t] for t in _to_read(text))
    found: dict[str, None] = {}
    first = _request_type(whole, 0.0) if (whole.get("intent") or {}).get("name") != "nlu_fallback" else None
    if first:
        found[first] = None
    for part in parts:
        kind = _request_type(part, FLOOR)
        if kind:
            found[kind] = None
    return whole, list(found)


def analyse(text: Any, id: Any = None) -> dict:
    text = _clipped(text)
    if not text.strip():
        return {"id": id, "language": settings.get("default_language"), "intent": None, "confidence": 0.0,
                "request_types": [], "entities": []}
    whole, request_types = _reading(text, _parse_all([text]))
    intent = whole.get("intent") or {}
    return {"id": id, "language": detect_language(text), "intent": intent.get("name"),
            "confidence": round(float(intent.get("confidence") or 0.0), 4), "request_types": request_types,
            "entities": [{k: e.get(k) for k in ("entity", "value", "start", "end")} for e in whole.get("entities", [])]}


def classify(text: str) -> list[str]:
    """The request types `text` holds (possibly none), e.g. ["access", "erasure"]."""
    return classify_each([text])[0]


def classify_each(texts: list[str]) -> list[list[str]]:
    """classify() for several texts, e.g. a letter and its paragraphs, read in one batch."""
    texts = [_clipped(t) for t in texts]
    parsed = _parse_all(texts)
    return [_reading(t, parsed)[1] if t.strip() else [] for t in texts]


def more_requests(text: str, request_type: str) -> list[str]:
    """The request types a chat message asks for besides `request_type` (the one its intent gave), read clause by
    clause: ["erasure"] for "send me what you have and then delete it" with request_type "access"."""
    text = _clipped(text)
    parts = clauses(text)
    if not parts or (len(parts) == 1 and words(parts[0]) == words(text)):
        return []  # one clause at most: the message holds only the request its intent has read
    own_intent = next((intent for intent, kind in REQUEST_TYPES.items() if kind == request_type), None)
    found: dict[str, None] = {}
    for parsed in parser().parse_many(parts):
        ranking = parsed["intent_ranking"]
        kind = REQUEST_TYPES.get(ranking[0]["name"])
        own = next((r["confidence"] for r in ranking if r["name"] == own_intent), 0.0)
        if kind and kind != request_type and ranking[0]["confidence"] >= CLAUSE_FLOOR and own < SAME_REQUEST:
            found[kind] = None
    return list(found)


def run_jsonl(lines: Iterable[str], out: IO[str]) -> int:
    """One JSON object {"id", "text"} (or a bare JSON string) per line in, one analysis per line out.
    A line that cannot be read gets {"id": ..., "error": ...} so the output keeps one line per input line."""
    count = 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError:
            item = None
        if isinstance(item, str):
            item = {"id": number, "text": item}
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            result = {"id": item.get("id") if isinstance(item, dict) else number,
                      "error": f"line {number}: expected a JSON object with a \"text\" string"}
        else:
            result = analyse(item["text"], item.get("id", number))
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
        count += 1
    return count
