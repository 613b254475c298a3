"""Intent accuracy on the held-out set (tests/nlu_heldout/<lang>.yml), per language and per intent.

    .venv/bin/python bench/nlu_eval.py                # the newest model in models/
    .venv/bin/python bench/nlu_eval.py --train        # train first (rasa train), and time it
    .venv/bin/python bench/nlu_eval.py --latency      # also: model load time and parse latency in Rasa itself

Prints plain-text (markdown) tables; asserts nothing. A prediction below the fallback threshold counts as wrong,
as the assistant would ask the person to rephrase. The held-out texts are never used in training
(tests/test_nlu_data.py checks that).
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HELDOUT = ROOT / "tests" / "nlu_heldout"
TRAINING = ROOT / "data" / "nlu"
LANGUAGES = ["en", "fr", "de", "es", "it", "nl", "pt", "ro"]


def heldout() -> list[tuple[str, str, str]]:
    """(language, intent, text) for every held-out example."""
    return read_examples(HELDOUT)


def training() -> list[tuple[str, str, str]]:
    """(language, intent, text) for every training example, from the same files `rasa train` reads."""
    return read_examples(TRAINING)


def read_examples(folder: Path) -> list[tuple[str, str, str]]:
    """(language, intent, text) from <folder>/<language>.yml, in LANGUAGES order."""
    examples = []
    for language in LANGUAGES:
        path = folder / f"{language}.yml"
        if not path.exists():
            continue
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            for line in block.get("examples", "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    examples.append((language, block["intent"], line[2:].strip()))
    return examples


def train() -> float:
    started = time.perf_counter()
    subprocess.run([str(ROOT / ".venv" / "bin" / "rasa"), "train", "--fixed-model-name", "privacy-desk",
                    "--out", str(ROOT / "models"), "--force"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, env={"RASA_TELEMETRY_ENABLED": "false", "PATH": "/usr/bin:/bin"})
    return time.perf_counter() - started


def table(examples, predictions) -> str:
    right = defaultdict(int)
    total = defaultdict(int)
    for (language, intent, _), predicted in zip(examples, predictions):
        for key in ((language, intent), (language, "*"), ("*", intent), ("*", "*")):
            total[key] += 1
            right[key] += predicted == intent
    languages = [lang for lang in LANGUAGES if total[(lang, "*")]]
    intents = sorted({intent for _, intent, _ in examples})

    def cell(key):
        return f"{right[key] / total[key]:.2f}" if total[key] else "-"

    lines = ["| intent | " + " | ".join(languages) + " | all |", "|---" * (len(languages) + 2) + "|"]
    for intent in intents:
        lines.append(f"| {intent} | " + " | ".join(cell((lang, intent)) for lang in languages)
                     + f" | {cell(('*', intent))} |")
    lines.append("| **all** | " + " | ".join(f"**{cell((lang, '*'))}**" for lang in languages)
                 + f" | **{cell(('*', '*'))}** |")
    lines.append(f"\n{right[('*', '*')]} of {total[('*', '*')]} held-out messages classified right.")
    return "\n".join(lines)


def confusions(examples, predictions, top: int = 12) -> str:
    pairs = defaultdict(int)
    for (_, intent, _), predicted in zip(examples, predictions):
        if predicted != intent:
            pairs[(intent, predicted)] += 1
    ranked = sorted(pairs.items(), key=lambda item: -item[1])[:top]
    return "\n".join(f"- {gold} -> {predicted}: {count}" for (gold, predicted), count in ranked)


def rasa_latency(model: Path, texts: list[str]) -> str:
    import logging

    import structlog
    from rasa.core.agent import Agent

    # Rasa logs each parsed text at debug level on stdout: keep warnings only, on stderr.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING),
                        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr))

    started = time.perf_counter()
    agent = Agent.load(str(model))
    loaded = time.perf_counter() - started
    loop = asyncio.new_event_loop()
    timings = []
    for text in texts:
        started = time.perf_counter()
        loop.run_until_complete(agent.parse_message(text))
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    return (f"Rasa model load: {loaded:.1f} s; parse latency over {len(timings)} messages: "
            f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, help="model archive (default: the newest in models/)")
    parser.add_argument("--train", action="store_true", help="train the model first and report how long it took")
    parser.add_argument("--latency", action="store_true", help="load the model in Rasa and time parsing")
    args = parser.parse_args()
    if args.train:
        print(f"Training (rasa train --force): {train():.0f} s")
    from assistant.classify import _Parser, newest_model

    model = args.model or newest_model()
    examples = heldout()
    parse = _Parser(model).parse
    predictions = [parse(text)["intent"]["name"] for _, _, text in examples]
    print(f"Model: {model.name}\n")
    print(table(examples, predictions))
    print("\nMost frequent confusions (expected -> predicted):")
    print(confusions(examples, predictions))
    if args.latency:
        print("\n" + rasa_latency(model, [text for _, _, text in examples]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
