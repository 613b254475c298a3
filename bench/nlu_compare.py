"""Our intent pipeline against Rasa's default pipeline and a plain scikit-learn baseline, in one run on the same
split: trained on data/nlu/<lang>.yml, scored on tests/nlu_heldout/<lang>.yml (read as bench/nlu_eval.py reads
them). Prints accuracy overall and per language, training and parse times; asserts nothing.

    .venv/bin/python -m bench.nlu_compare [--timeout S] [--diet-epochs N]

(a) ours: config.yml. (b) Rasa's default: what `rasa train` runs for a config with an empty pipeline (the
default.v1 recipe's auto-configuration, rasa/engine/recipes/config_files/default_config.yml: DIET, 100 epochs).
Both are trained with `rasa train nlu` into a temporary folder, nothing in models/ is touched, and both use
language `xx` as config.yml does (none of the default components depends on the language; `rasa init` writes
`en`). (c) TfidfVectorizer (word unigrams and bigrams) + LogisticRegression, scikit-learn defaults otherwise.
A Rasa prediction of nlu_fallback (below the FallbackClassifier's threshold, or too close to the runner-up)
counts as wrong, as the assistant would ask the person to rephrase; the baseline has no fallback.
"""
from __future__ import annotations

import argparse
import asyncio
import importlib.util
import logging
import shutil
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bench.nlu_eval import LANGUAGES, ROOT, TRAINING, heldout, training
from bench.training import progress, rasa_train

# The file the default.v1 recipe fills an empty pipeline from (found without importing Rasa).
DEFAULT_RASA_CONFIG = (Path(importlib.util.find_spec("rasa").submodule_search_locations[0])
                       / "engine" / "recipes" / "config_files" / "default_config.yml")


@dataclass
class Result:
    system: str
    fallback: str
    outcome: str = "ok"
    train_seconds: float = 0.0
    parse_ms: float = 0.0
    predictions: list[str] = field(default_factory=list)


def default_rasa_config(folder: Path, epochs: int | None) -> Path:
    """Rasa's default NLU pipeline: an empty pipeline, which the default.v1 recipe fills in when training.
    With `epochs` the same pipeline is written out with fewer epochs (a quick look, not the real default)."""
    config = {"recipe": "default.v1", "assistant_id": "bench-rasa-default", "language": "xx", "pipeline": None}
    if epochs is not None:
        pipeline = yaml.safe_load(DEFAULT_RASA_CONFIG.read_text(encoding="utf-8"))["pipeline"]
        for component in pipeline:
            if "epochs" in component:
                component["epochs"] = epochs
        config["pipeline"] = pipeline
    path = folder / "rasa-default-config.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def sklearn_baseline(train, test) -> Result:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    result = Result("TF-IDF words 1-2 + LogisticRegression (scikit-learn defaults)", "none: always its best intent")
    progress("scikit-learn baseline: training")
    model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2)), LogisticRegression())
    started = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:  # the default 100 iterations may not converge
        warnings.simplefilter("always")
        model.fit([text for _, _, text in train], [intent for _, intent, _ in train])
    result.train_seconds = time.perf_counter() - started
    if any("converge" in str(w.message) for w in caught):
        result.outcome = "ok (lbfgs stopped at max_iter=100 before converging)"
    started = time.perf_counter()
    result.predictions = [str(model.predict([text])[0]) for _, _, text in test]
    result.parse_ms = (time.perf_counter() - started) / len(test) * 1000
    return result


def rasa_system(system: str, fallback: str, config: Path, folder: Path, name: str, test,
                timeout: float) -> Result:
    result = Result(system, fallback)
    progress(f"{name}: rasa train nlu --config {config.name}")
    trained = rasa_train(["nlu", "--config", str(config), "--nlu", str(TRAINING)], folder, name, name, timeout)
    result.train_seconds, result.outcome = trained.seconds, trained.outcome
    if trained.finished:
        progress(f"{name}: trained in {trained.seconds:.0f} s; parsing {len(test)} held-out messages")
        result.predictions, result.parse_ms = parse_all(trained.model, [text for _, _, text in test])
    return result


def parse_all(model: Path, texts: list[str]) -> tuple[list[str], float]:
    """Intent names as Rasa itself gives them (nlu_fallback included), and milliseconds per message."""
    import structlog
    from rasa.core.agent import Agent

    # Rasa logs each parsed text at debug level: keep warnings only, on stderr.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING),
                        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr))
    agent = Agent.load(str(model))
    loop = asyncio.new_event_loop()
    try:
        started = time.perf_counter()
        names = [loop.run_until_complete(agent.parse_message(text))["intent"]["name"] for text in texts]
        return names, (time.perf_counter() - started) / len(texts) * 1000
    finally:
        loop.close()


def accuracy(test, predictions: list[str], language: str | None = None) -> str:
    pairs = [(intent, predicted) for (lang, intent, _), predicted in zip(test, predictions)
             if language in (None, lang)]
    return f"{sum(gold == predicted for gold, predicted in pairs) / len(pairs):.3f}" if pairs else "-"


def report(results: list[Result], test, train_size: int) -> None:
    languages = [lang for lang in LANGUAGES if any(lang == example[0] for example in test)]
    print(f"\nTrained on {train_size} examples (data/nlu), scored on {len(test)} held-out messages "
          f"(tests/nlu_heldout), {len({intent for _, intent, _ in test})} intents.\n")
    print("| system | all | " + " | ".join(languages) + " | training (s) | parse (ms/message) |")
    print("| --- | ---: |" + " ---: |" * len(languages) + " ---: | ---: |")
    for r in results:
        if not r.predictions:
            print(f"| {r.system} | {r.outcome} |" + " |" * len(languages) + f" {r.train_seconds:.0f} | |")
            continue
        cells = " | ".join(accuracy(test, r.predictions, lang) for lang in languages)
        print(f"| {r.system} | **{accuracy(test, r.predictions)}** | {cells} | {r.train_seconds:.1f} | "
              f"{r.parse_ms:.1f} |")
    print("\n| system | fallback treated as | predicted nlu_fallback | run |\n| --- | --- | ---: | --- |")
    for r in results:
        fallbacks = sum(p == "nlu_fallback" for p in r.predictions) if r.predictions else "-"
        print(f"| {r.system} | {r.fallback} | {fallbacks} | {r.outcome} |")
    print("\nTraining time: wall time of `rasa train nlu` (with Rasa's own start-up, about 10-20 s) for the Rasa "
          "pipelines, of fit() alone for scikit-learn. Parse time: one message at a time, Agent.parse_message for "
          "Rasa, Pipeline.predict for scikit-learn.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--timeout", type=float, default=7200, metavar="S",
                        help="stop a Rasa training after S seconds and report it unfinished (default 7200)")
    parser.add_argument("--diet-epochs", type=int, metavar="N",
                        help="train Rasa's default pipeline with N epochs instead of its 100 (a quick look only)")
    args = parser.parse_args(argv)
    train, test = training(), heldout()
    folder = Path(tempfile.mkdtemp(prefix="pd-nlu-compare-"))
    epochs = "100 epochs" if args.diet_epochs is None else f"{args.diet_epochs} epochs, NOT the default 100"
    try:
        results = [
            rasa_system("ours: config.yml (TF-IDF intent classifier)", "wrong (FallbackClassifier 0.25)",
                        ROOT / "config.yml", folder, "ours", test, args.timeout),
            rasa_system(f"Rasa default pipeline (DIET, {epochs})",
                        "wrong (FallbackClassifier 0.3, ambiguity 0.1)",
                        default_rasa_config(folder, args.diet_epochs), folder, "rasa-default", test, args.timeout),
            sklearn_baseline(train, test),
        ]
        report(results, test, len(train))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
