"""Start-up and training times: training the assistant from scratch, each server until it answers, and the
`privacy-desk classify` command on one line. One table; asserts nothing.

    .venv/bin/python -m bench.startup [--repeat 3] [--timeout 1800]

Training (`rasa train --force`, the whole assistant: config.yml, domain.yml, data/) writes into a temporary
folder, so models/ is left as it is; the servers then start with that fresh model. Each server is started alone
(the Rasa server with the action server already up) as `privacy-desk run` starts it, against a temporary SQLite
store, state folder and secrets, REPEAT times; the median is shown with the range. `privacy-desk classify`
reads the newest model in models/, as it always does.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from bench.servers import ROOT, Server, start_planned, use_scratch_desk
from bench.training import progress, rasa_train
from tests.support.servers import latest_model

ONE_LINE = json.dumps({"id": "bench-1", "text": "Bitte löschen Sie alle meine Daten"}, ensure_ascii=False) + "\n"


def timed_start(launch: Callable[[], Server], timeout: float) -> float:
    server = launch()
    try:
        return server.wait_until_answers(timeout)
    finally:
        server.stop()


def classify_once() -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([str(Path(sys.executable).parent / "privacy-desk"), "classify"], cwd=ROOT, input=ONE_LINE,
                          capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        return seconds, f"failed (exit code {done.returncode}): {done.stderr.strip()[-200:]}"
    intent = json.loads(done.stdout.splitlines()[-1]).get("intent")
    return seconds, f"one German line, answered {intent}"


def spread(samples: list[float]) -> str:
    if len(samples) == 1:
        return f"{samples[0]:.1f}"
    return f"{statistics.median(samples):.1f} ({min(samples):.1f}-{max(samples):.1f})"


def server_rows(model: Path, folder: Path, repeat: int) -> list[tuple[str, str, str]]:
    use_scratch_desk(folder)
    times: dict[str, list[float]] = {"actions": [], "rasa": [], "web": []}
    for run in range(1, repeat + 1):
        progress(f"server start-ups, run {run} of {repeat}")
        actions = start_planned("actions", folder)
        try:
            times["actions"].append(actions.wait_until_answers(300))
            times["rasa"].append(timed_start(lambda: start_planned("rasa", folder, ("--model", str(model))), 600))
        finally:
            actions.stop()
        times["web"].append(timed_start(lambda: start_planned("web", folder, ready_path="console/"), 300))
    return [("action server answers /health", spread(times["actions"]), "python -m rasa_sdk --actions actions"),
            ("Rasa server answers HTTP", spread(times["rasa"]), f"model {model.name} loaded, action server up"),
            ("staff console answers /console/", spread(times["web"]), "uvicorn bot.run:web_app (page + console)")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="start each server this many times (default 3)")
    parser.add_argument("--timeout", type=float, default=1800, metavar="S",
                        help="stop training after S seconds and report it unfinished (default 1800)")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="pd-startup-bench-"))
    try:
        progress("rasa train --force")
        trained = rasa_train(["--force"], folder, "privacy-desk", "rasa train", args.timeout)
        model = trained.model or latest_model()
        rows = [("rasa train --force (whole assistant, from scratch)", f"{trained.seconds:.1f}",
                 f"{trained.model.stat().st_size / 2**20:.1f} MiB model" if trained.finished else trained.outcome)]
        if model is None:
            print("No model to start the Rasa server with.")
            return 1
        try:
            rows += server_rows(model, folder, args.repeat)
        except RuntimeError as exc:
            rows.append(("servers", "-", f"failed: {exc}"))
        progress("privacy-desk classify")
        seconds, note = classify_once()
        rows.append(("privacy-desk classify: load the model, classify one line", f"{seconds:.1f}", note))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\n{args.repeat} start-up(s) per server: median (min-max).\n")
    print("| step | seconds | note |\n| --- | ---: | --- |")
    for step, seconds, note in rows:
        print(f"| {step} | {seconds} | {note} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
