"""Cross-validation of the intent model on the training data alone (data/nlu/*.yml), in seconds and without Rasa.

    .venv/bin/python bench/nlu_crossval.py                      # 5 folds with the defaults of assistant/intent_model.py
    .venv/bin/python bench/nlu_crossval.py --set C=10 --set char_max_ngram=4 --errors 40

The held-out set (tests/nlu_heldout) only measures; this is the tool for choosing features and settings and for
finding which intents the training data confuses. Folds are stratified by language and intent, and the errors
it prints are training texts, each predicted by a model that did not see it. A prediction under the assistant's
fallback threshold counts as wrong, as it does in bench/nlu_eval.py.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.nlu_eval import LANGUAGES, training  # noqa: E402  (after the sys.path line)


def fallback_threshold() -> float:
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    return next((float(c.get("threshold", 0.0)) for c in config["pipeline"] if c["name"] == "FallbackClassifier"),
                0.0)


def folds(examples, k: int) -> list[int]:
    """The fold of each example: every (language, intent) group dealt round-robin over the k folds."""
    seen = defaultdict(int)
    assigned = []
    for language, intent, _ in examples:
        assigned.append(seen[(language, intent)] % k)
        seen[(language, intent)] += 1
    return assigned


def predict(examples, assigned, k: int, config: dict, threshold: float) -> list[tuple[str, float]]:
    from assistant.intent_model import IntentModel
    from assistant.sentence_encoder import CachingEncoder

    encoder = CachingEncoder()  # each text is embedded once, not once per fold
    predictions: list[tuple[str, float]] = [("", 0.0)] * len(examples)
    for fold in range(k):
        train = [e for e, f in zip(examples, assigned) if f != fold]
        test = [i for i, f in enumerate(assigned) if f == fold]
        model = IntentModel(config, encoder).fit([t for _, _, t in train], [i for _, i, _ in train])
        for index, ranking in zip(test, model.rank([examples[i][2] for i in test])):
            best = ranking[0]
            name = best["name"] if best["confidence"] >= threshold else "nlu_fallback"
            predictions[index] = (name, best["confidence"])
    return predictions


def report(examples, predictions, errors: int) -> str:
    right, total = defaultdict(int), defaultdict(int)
    pairs = defaultdict(list)
    for (language, intent, text), (predicted, confidence) in zip(examples, predictions):
        for key in (language, intent, "*"):
            total[key] += 1
            right[key] += predicted == intent
        if predicted != intent:
            pairs[(intent, predicted)].append(f"{language}: {text!r} ({confidence:.2f})")
    lines = ["languages: " + "  ".join(f"{lang} {right[lang] / total[lang]:.3f}" for lang in LANGUAGES),
             f"overall: {right['*'] / total['*']:.4f} ({total['*'] - right['*']} wrong of {total['*']})",
             "intents: " + "  ".join(f"{i} {right[i] / total[i]:.2f}"
                                     for i in sorted({i for _, i, _ in examples}, key=lambda i: right[i] / total[i]))]
    if errors:
        lines.append("\nconfusions (expected -> predicted), with the training texts:")
        shown = 0
        for (gold, predicted), texts in sorted(pairs.items(), key=lambda item: -len(item[1])):
            if shown >= errors:
                break
            lines.append(f"- {gold} -> {predicted}: {len(texts)}")
            lines.extend(f"    {t}" for t in texts[: max(1, errors - shown)])
            shown += len(texts)
    return "\n".join(lines)


def parse_settings(pairs: list[str]) -> dict:
    config = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        try:
            config[key] = float(value) if "." in value else int(value)
        except ValueError:
            config[key] = value
    return config


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="a setting of assistant/intent_model.py, e.g. C=20")
    parser.add_argument("--errors", type=int, default=0, help="print up to this many misclassified training texts")
    args = parser.parse_args()
    examples = training()
    started = time.perf_counter()
    predictions = predict(examples, folds(examples, args.folds), args.folds, parse_settings(args.set),
                          fallback_threshold())
    print(report(examples, predictions, args.errors))
    print(f"\n{args.folds} folds in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
