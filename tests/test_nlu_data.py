"""Shape and honesty checks for the NLU training data and the held-out evaluation set.

Plain PyYAML, no Rasa import, so it runs before Rasa is installed. The held-out set is only
worth its score if no held-out message was also seen in training, in any language.
"""

import difflib
import re
import unicodedata
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
TRAIN_DIR = ROOT / "data" / "nlu"
HELDOUT_DIR = ROOT / "tests" / "nlu_heldout"
LANGUAGES = ["en", "fr", "de", "es", "it", "nl", "pt", "ro"]

REQUEST_INTENTS = [
    "request_access",
    "request_rectification",
    "request_erasure",
    "request_restriction",
    "request_portability",
    "request_objection",
    "request_call_recording",
    "file_complaint",
    "withdraw_consent",
]
CONVERSATION_INTENTS = [
    "greet",
    "goodbye",
    "thank",
    "affirm",
    "deny",
    "ask_human",
    "check_status",
    "bot_challenge",
    "out_of_scope",
]
ALL_INTENTS = set(REQUEST_INTENTS + ["inform"] + CONVERSATION_INTENTS)

# (min, max) examples per intent; request intents and inform carry most of the signal. Short conversational
# intents (yes, no, bye, out of scope) need many more variants than their length suggests: every language has
# its own short forms, typos, registers and emoji, and they are where cross-validation finds most errors.
TRAIN_RANGE = {"request": (22, 170), "other": (10, 130)}
HELDOUT_RANGE = {"request": (8, 8), "other": (5, 5)}


def normalise(text):
    """Lowercase, drop accents and punctuation, collapse whitespace.

    Dropping accents is stricter than needed: "creo que si" and "creo que sí" count as the same message.
    """
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def load_examples(path):
    """Return {intent: [example, ...]} from a Rasa 3 NLU YAML file."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert str(document.get("version")) == "3.1", f"{path}: expected version \"3.1\""
    by_intent = {}
    for block in document["nlu"]:
        intent = block["intent"]
        assert intent not in by_intent, f"{path}: intent {intent} appears twice"
        examples = []
        for line in block["examples"].splitlines():
            if not line.strip():
                continue
            assert line.startswith("- "), f"{path}: {intent}: line does not start with '- ': {line!r}"
            examples.append(line[2:].strip())
        by_intent[intent] = examples
    return by_intent


def expected_range(intent, ranges):
    return ranges["request"] if intent in REQUEST_INTENTS or intent == "inform" else ranges["other"]


SPLITS = [("train", TRAIN_DIR, TRAIN_RANGE), ("heldout", HELDOUT_DIR, HELDOUT_RANGE)]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("split,directory,ranges", SPLITS, ids=[s[0] for s in SPLITS])
def test_file_has_every_intent_in_range_without_duplicates(split, directory, ranges, lang):
    path = directory / f"{lang}.yml"
    assert path.exists(), f"missing {path}"
    by_intent = load_examples(path)

    assert set(by_intent) == ALL_INTENTS, (
        f"{path}: missing {sorted(ALL_INTENTS - set(by_intent))}, unexpected {sorted(set(by_intent) - ALL_INTENTS)}"
    )
    for intent, examples in by_intent.items():
        low, high = expected_range(intent, ranges)
        assert low <= len(examples) <= high, f"{path}: {intent} has {len(examples)} examples, want {low}-{high}"

    seen = {}
    for intent, examples in by_intent.items():
        for example in examples:
            key = normalise(example)
            assert key not in seen, f"{path}: {example!r} ({intent}) duplicates an example of {seen[key]}"
            seen[key] = intent


def test_no_heldout_example_appears_in_training_in_any_language():
    training = {}
    for lang in LANGUAGES:
        for intent, examples in load_examples(TRAIN_DIR / f"{lang}.yml").items():
            for example in examples:
                training.setdefault(normalise(example), (lang, intent, example))

    leaks = []
    for lang in LANGUAGES:
        for intent, examples in load_examples(HELDOUT_DIR / f"{lang}.yml").items():
            for example in examples:
                hit = training.get(normalise(example))
                if hit:
                    leaks.append(f"held-out {lang}/{intent} {example!r} == training {hit[0]}/{hit[1]} {hit[2]!r}")
    assert not leaks, "held-out examples also in training:\n" + "\n".join(leaks)


# A training sentence that differs from a held-out one by a word or two ("può" for "possa") teaches the answer to
# that held-out message all the same. Short formulas ("bonjour", "ja hoor") are left alone: every language has
# only a few of them, and the training data must hold them.
NEAR_COPY_RATIO = 0.85
NEAR_COPY_MIN_CHARS = 20


def near_copies(texts, heldout):
    """The texts within NEAR_COPY_RATIO of a held-out one. difflib indexes its second sequence, so each held-out
    text is indexed once and the training texts are compared against it."""
    near = set()
    for other in heldout:
        matcher = difflib.SequenceMatcher(b=other)
        for text in texts:
            matcher.set_seq1(text)
            # Each bound is cheaper than the next and never below it, so most pairs stop at the first.
            if all(bound() >= NEAR_COPY_RATIO for bound in (matcher.real_quick_ratio, matcher.quick_ratio,
                                                             matcher.ratio)):
                near.add(text)
    return near


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_training_example_is_a_near_copy_of_a_heldout_one(lang):
    heldout = [normalise(e) for examples in load_examples(HELDOUT_DIR / f"{lang}.yml").values() for e in examples]
    training = {normalise(example): (intent, example)
                for intent, examples in load_examples(TRAIN_DIR / f"{lang}.yml").items()
                for example in examples if len(example) >= NEAR_COPY_MIN_CHARS}
    near = sorted(f"{intent}: {example!r}" for intent, example in map(training.get, near_copies(training, heldout)))
    # Only the training side is printed: the held-out texts stay out of sight of whoever fixes the data.
    assert not near, f"data/nlu/{lang}.yml: training examples nearly identical to held-out ones:\n" + "\n".join(near)


def test_training_never_gives_one_text_two_intents_across_languages():
    # Rasa trains all language files into one model, so "ciao" cannot be greet in one file and goodbye in another.
    labels = {}
    for lang in LANGUAGES:
        for intent, examples in load_examples(TRAIN_DIR / f"{lang}.yml").items():
            for example in examples:
                labels.setdefault(normalise(example), set()).add((intent, lang, example))

    conflicts = [sorted(v) for v in labels.values() if len({intent for intent, _, _ in v}) > 1]
    assert not conflicts, "same text with different intents:\n" + "\n".join(map(str, conflicts))
