"""The intent model itself, without Rasa: TF-IDF over words and character n-grams beside a multilingual sentence
embedding (assistant/sentence_encoder.py), then a linear support vector machine whose scores are turned into
confidences by a softmax.

assistant/intent_classifier.py trains it inside Rasa's pipeline; assistant/classify.py reads it back from a
model archive without loading Rasa (seconds instead of half a minute, and no TensorFlow). Its state is plain
JSON and arrays, never pickle: a model archive carries no code.

Choices measured by cross-validation on the training data (bench/nlu_crossval.py): the SVM beat logistic
regression by two points and trains ten times faster; `temperature` scales its scores (about -1..1) so that a clear
answer gets a confidence well above the fallback threshold and a toss-up between intents stays below it; 5 is
the value under which held-out folds' confidences are best calibrated (lowest log-loss). Word stems (Snowball, from
the detected language or from every language at once) were measured too and lost a few tenths of a point: the
character n-grams already match "supprimez" with "supprimer".
"""
from __future__ import annotations

import io
import json
import unicodedata
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from assistant import sentence_encoder

MAX_CHARS = 5000  # a long letter is classified on its beginning; classify.py splits letters into pieces
DEFAULTS = {"C": 1.0, "temperature": 5.0, "word_max_ngram": 2, "char_min_ngram": 1, "char_max_ngram": 5,
            "max_iter": 5000, "sentence_weight": 2.0}
VOCABULARY, WEIGHTS = "vocabulary.json", "weights.npz"


def fold(text: str) -> str:
    """Lower case without accents: how people type (or forget) them varies, the meaning does not."""
    decomposed = unicodedata.normalize("NFKD", text[:MAX_CHARS].casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class EncoderChanged(RuntimeError):
    """The model was trained with another sentence encoder than the one installed: its weights mean nothing now."""


class IntentModel:
    def __init__(self, config: dict[str, Any] | None = None, encoder: sentence_encoder.Encoder | None = None):
        self.config = {**DEFAULTS, **(config or {})}
        self.encoder = encoder or sentence_encoder.shared()
        self.words = TfidfVectorizer(preprocessor=fold, ngram_range=(1, int(self.config["word_max_ngram"])),
                                     sublinear_tf=True)
        self.chars = TfidfVectorizer(preprocessor=fold, analyzer="char_wb", sublinear_tf=True,
                                     ngram_range=(int(self.config["char_min_ngram"]),
                                                  int(self.config["char_max_ngram"])))
        self.classes = np.array([])
        self.coef = self.intercept = np.zeros(0)

    def fit(self, texts: list[str], intents: list[str]) -> "IntentModel":
        self.words.fit(texts)
        self.chars.fit(texts)
        # liblinear on data in a fixed order with a fixed seed: the same data gives the same model.
        svm = LinearSVC(C=float(self.config["C"]), max_iter=int(self.config["max_iter"]), random_state=0)
        svm.fit(self._features(texts), intents)
        self.classes, self.coef, self.intercept = svm.classes_, svm.coef_, svm.intercept_
        return self

    def _features(self, texts: list[str]):
        blocks = [self.words.transform(texts), self.chars.transform(texts)]
        weight = float(self.config["sentence_weight"])
        if weight:
            blocks.append(csr_matrix(weight * self.encoder.encode(texts)))
        return hstack(blocks).tocsr()

    def rank(self, texts: list[str]) -> list[list[dict]]:
        """For each text, every intent with its confidence, most likely first."""
        scores = self._features([t or "" for t in texts]) @ self.coef.T + self.intercept
        scores = np.asarray(scores) * float(self.config["temperature"])
        exponentials = np.exp(scores - scores.max(axis=1, keepdims=True))
        probabilities = exponentials / exponentials.sum(axis=1, keepdims=True)
        return [sorted(({"name": str(n), "confidence": float(p)} for n, p in zip(self.classes, row)),
                       key=lambda r: -r["confidence"]) for row in probabilities]

    # ---- storage ----
    def dumps(self) -> tuple[str, bytes]:
        vocabulary = json.dumps({"config": self.config, "encoder": self._encoder_identity(),
                                 "words": {k: int(v) for k, v in self.words.vocabulary_.items()},
                                 "chars": {k: int(v) for k, v in self.chars.vocabulary_.items()},
                                 "classes": [str(c) for c in self.classes]}, ensure_ascii=False)
        buffer = io.BytesIO()
        np.savez(buffer, words_idf=self.words.idf_, chars_idf=self.chars.idf_, coef=self.coef,
                 intercept=self.intercept)
        return vocabulary, buffer.getvalue()

    def _encoder_identity(self) -> str | None:
        return sentence_encoder.identity() if float(self.config["sentence_weight"]) else None

    @classmethod
    def loads(cls, vocabulary_json: str, weights: bytes) -> "IntentModel":
        vocabulary = json.loads(vocabulary_json)
        # A model from before the sentence encoder has no weight for it: it is read as trained.
        model = cls({"sentence_weight": 0.0, **vocabulary.get("config", {})})
        if vocabulary.get("encoder") != model._encoder_identity():
            raise EncoderChanged(f"The intent model was trained with {vocabulary.get('encoder')}, but "
                                 f"{model._encoder_identity()} is installed: retrain it (make model).")
        with np.load(io.BytesIO(weights), allow_pickle=False) as arrays:
            model.words.vocabulary_, model.chars.vocabulary_ = vocabulary["words"], vocabulary["chars"]
            model.words.idf_, model.chars.idf_ = arrays["words_idf"], arrays["chars_idf"]
            model.classes = np.array(vocabulary["classes"])
            model.coef, model.intercept = arrays["coef"], arrays["intercept"]
        return model
