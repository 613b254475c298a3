"""The intent model itself, without Rasa: TF-IDF over words and character n-grams, then logistic regression.

assistant/intent_classifier.py trains it inside Rasa's pipeline; assistant/classify.py reads it back from a
model archive without loading Rasa (seconds instead of half a minute, and no TensorFlow). Its state is plain
JSON and arrays, never pickle: a model archive carries no code.
"""
from __future__ import annotations

import io
import json
import unicodedata
from typing import Any

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

MAX_CHARS = 5000  # a long letter is classified on its beginning; classify.py splits letters into pieces
DEFAULTS = {"C": 10.0, "word_max_ngram": 2, "char_min_ngram": 1, "char_max_ngram": 5, "max_iter": 3000}
VOCABULARY, WEIGHTS = "vocabulary.json", "weights.npz"


def fold(text: str) -> str:
    """Lower case without accents: how people type (or forget) them varies, the meaning does not."""
    decomposed = unicodedata.normalize("NFKD", text[:MAX_CHARS].casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class IntentModel:
    def __init__(self, config: dict[str, Any] | None = None):
        self.config = {**DEFAULTS, **(config or {})}
        self.words = TfidfVectorizer(preprocessor=fold, ngram_range=(1, int(self.config["word_max_ngram"])),
                                     sublinear_tf=True)
        self.chars = TfidfVectorizer(preprocessor=fold, analyzer="char_wb", sublinear_tf=True,
                                     ngram_range=(int(self.config["char_min_ngram"]),
                                                  int(self.config["char_max_ngram"])))
        self.clf = LogisticRegression(C=float(self.config["C"]), max_iter=int(self.config["max_iter"]),
                                      solver="lbfgs")

    def fit(self, texts: list[str], intents: list[str]) -> "IntentModel":
        self.words.fit(texts)
        self.chars.fit(texts)
        # lbfgs on data in a fixed order is deterministic: the same data gives the same model.
        self.clf.fit(self._features(texts), intents)
        return self

    def _features(self, texts: list[str]):
        return hstack([self.words.transform(texts), self.chars.transform(texts)]).tocsr()

    def rank(self, texts: list[str]) -> list[list[dict]]:
        """For each text, every intent with its confidence, most likely first."""
        probabilities = self.clf.predict_proba(self._features([t or "" for t in texts]))
        return [sorted(({"name": str(n), "confidence": float(p)} for n, p in zip(self.clf.classes_, row)),
                       key=lambda r: -r["confidence"]) for row in probabilities]

    # ---- storage ----
    def dumps(self) -> tuple[str, bytes]:
        vocabulary = json.dumps({"config": self.config,
                                 "words": {k: int(v) for k, v in self.words.vocabulary_.items()},
                                 "chars": {k: int(v) for k, v in self.chars.vocabulary_.items()},
                                 "classes": [str(c) for c in self.clf.classes_]}, ensure_ascii=False)
        buffer = io.BytesIO()
        np.savez(buffer, words_idf=self.words.idf_, chars_idf=self.chars.idf_, coef=self.clf.coef_,
                 intercept=self.clf.intercept_)
        return vocabulary, buffer.getvalue()

    @classmethod
    def loads(cls, vocabulary_json: str, weights: bytes) -> "IntentModel":
        vocabulary = json.loads(vocabulary_json)
        model = cls(vocabulary.get("config"))
        with np.load(io.BytesIO(weights), allow_pickle=False) as arrays:
            model.words.vocabulary_, model.chars.vocabulary_ = vocabulary["words"], vocabulary["chars"]
            model.words.idf_, model.chars.idf_ = arrays["words_idf"], arrays["chars_idf"]
            model.clf.classes_ = np.array(vocabulary["classes"])
            model.clf.coef_, model.clf.intercept_ = arrays["coef"], arrays["intercept"]
        return model
