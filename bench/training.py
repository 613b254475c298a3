"""Running `rasa train` for a benchmark: in its own process group, with its output in a log file, a progress line
every PROGRESS seconds (DIET on two cores trains for minutes and must not look hung), and a time limit after
which the whole group is stopped and the run reported as unfinished rather than waited for."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RASA = Path(sys.executable).parent / "rasa"
PROGRESS = 30.0
# Rasa's progress bars ("Epochs:  37%|...| 37/100") say how far a neural component has got.
_EPOCHS = re.compile(r"Epochs:\s+\d+%\|[^|]*\|\s*(\d+)/(\d+)")
# No telemetry from a privacy tool; no DEBUG logs (they carry the training texts); no TensorFlow chatter.
QUIET = {"RASA_TELEMETRY_ENABLED": "false", "LOG_LEVEL": "INFO", "TF_CPP_MIN_LOG_LEVEL": "2",
         "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}


@dataclass
class Training:
    seconds: float
    model: Path | None  # None when it failed or ran out of time
    outcome: str        # "ok", "did not finish in N s", "failed (exit code N), see LOG"

    @property
    def finished(self) -> bool:
        return self.model is not None


def rasa_train(args: list[str], out: Path, name: str, label: str, timeout: float) -> Training:
    """Run `rasa train ARGS --out OUT --fixed-model-name NAME` from the project folder."""
    out.mkdir(parents=True, exist_ok=True)
    log_path = out / f"{name}.log"
    command = [str(RASA), "train", *args, "--out", str(out), "--fixed-model-name", name]
    started = time.perf_counter()
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **QUIET}, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            code = _wait_with_progress(process, label, log_path, started, timeout)
        except BaseException:  # Ctrl-C reaches only this process: the training has its own session
            _stop(process)
            raise
    seconds = time.perf_counter() - started
    if code is None:
        return Training(seconds, None, f"did not finish in {timeout:.0f} s{_epochs(log_path)}")
    model = out / f"{name}.tar.gz"
    if code != 0 or not model.exists():
        return Training(seconds, None, f"failed (exit code {code}), see {log_path}")
    return Training(seconds, model, "ok")


def _wait_with_progress(process: subprocess.Popen, label: str, log_path: Path, started: float,
                        timeout: float) -> int | None:
    """The exit code, or None after stopping the run at the time limit."""
    while True:
        elapsed = time.perf_counter() - started
        try:
            return process.wait(min(PROGRESS, max(0.1, timeout - elapsed)))
        except subprocess.TimeoutExpired:
            elapsed = time.perf_counter() - started
            if elapsed >= timeout:
                _stop(process)
                progress(f"{label}: stopped after {elapsed:.0f} s (--timeout {timeout:.0f})")
                return None
            progress(f"{label}: training, {elapsed:.0f} s{_epochs(log_path)}")


def _epochs(log_path: Path) -> str:
    with open(log_path, "rb") as log:
        log.seek(max(0, log_path.stat().st_size - 4000))
        found = _EPOCHS.findall(log.read().decode("utf-8", "replace"))
    return f", epoch {found[-1][0]}/{found[-1][1]}" if found else ""


def _stop(process: subprocess.Popen) -> None:
    for signum in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, signum)
        except ProcessLookupError:
            return
        try:
            process.wait(10)
            return
        except subprocess.TimeoutExpired:
            continue


def progress(line: str) -> None:
    """Progress goes to stderr, so the tables on stdout stay clean."""
    print(f"  .. {line}", file=sys.stderr, flush=True)
