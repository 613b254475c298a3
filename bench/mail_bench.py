"""Mail intake throughput: letters per minute from the mailbox to cases and answers in the outbox, beside
the raw rate of fetching and parsing the same letters with imapclient alone. Prints a table; asserts nothing.

    .venv/bin/python -m bench.mail_bench [N] [--agent auto|rasa|standin] [--waiting M]

N letters (default 100) are appended to a private Dovecot. "auto" uses the trained Rasa server and action
server when models/ holds a model, else the stand-in agent (REST webhook protocol, no model; keyword
classifier). --waiting M also measures the poller's peak memory with M letters waiting (and M/10).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from email import policy
from email.parser import BytesParser
from pathlib import Path

from imapclient import IMAPClient

from bot import db
from mail_ingest.parse import parse
from mail_ingest.poller import Limits, Poller
from mail_ingest.reading import Reader, one_by_one
from tests.mail.agent_standin import StandInAgent, classify
from tests.mail.dovecot import start_dovecot
from tests.mail.letters import fixture
from tests.mail.rasa_servers import latest_model, rasa_servers

TEMPLATES = ("german_access", "french_erasure", "base64", "quoted_printable", "html_only", "windows_1252",
             "iso_8859_1", "pdf_attachment")
PROJECT = Path(__file__).resolve().parent.parent


def letters(n: int, tag: str) -> list[bytes]:
    """N distinct letters in six languages, each from its own (invented) sender, so each opens a case."""
    made = []
    for i in range(n):
        message = BytesParser(policy=policy.default).parsebytes(fixture(TEMPLATES[i % len(TEMPLATES)]))
        message.replace_header("Message-ID", f"<bench.{tag}.{i}@mail.example.org>")
        message.replace_header("From", f"Bench Person {i} <bench.{tag}.{i}@example.org>")
        message.replace_header("Subject", str(message["Subject"]).replace("[PD-7K3M-Q9TX] ", ""))
        made.append(message.as_bytes())
    return made


def append(user, raws: list[bytes]) -> None:
    with user.client() as client:
        for start in range(0, len(raws), 200):
            client.multiappend("INBOX", raws[start:start + 200])


def fetch_and_parse(user, batch: int = 25) -> float:
    """Seconds to fetch (BODY.PEEK[]) and parse every letter in the inbox with imapclient alone."""
    started = time.perf_counter()
    client = IMAPClient("127.0.0.1", port=user.server.port, ssl=False, timeout=60)
    client.login(user.user, user.server.password)
    client.select_folder("INBOX")
    uids = client.search(["UID", "1:*"])
    for start in range(0, len(uids), batch):
        for data in client.fetch(uids[start:start + batch], ["BODY.PEEK[]"]).values():
            parse(data[b"BODY[]"])
    client.logout()
    return time.perf_counter() - started


@contextmanager
def assistant(kind: str, url: str, folder: Path):
    """(description, reader) with PRIVACY_DESK_RASA_HOST/PORT pointing at the chosen agent."""
    model = latest_model()
    if kind == "rasa" or (kind == "auto" and model is not None):
        if model is None:
            sys.exit("--agent rasa needs a trained model in models/ (`make run` trains one).")
        with rasa_servers(url, folder, model) as (host, port):
            os.environ.update(PRIVACY_DESK_RASA_HOST=host, PRIVACY_DESK_RASA_PORT=port)
            yield f"trained Rasa server + action server ({model.name})", Reader()
        return
    standin = StandInAgent().start()
    host, port = standin.url.split("/")[2].split(":")
    os.environ.update(PRIVACY_DESK_RASA_HOST=host, PRIVACY_DESK_RASA_PORT=port)
    try:
        yield "stand-in agent (REST webhook protocol, no model) + keyword classifier", Reader(classify=one_by_one(classify))
    finally:
        standin.stop()


def end_to_end(user, reader: Reader, url: str) -> tuple[float, object]:
    """Seconds until every letter is a stored case and every answer sits in the outbox."""
    poller = Poller(user.settings(), reader=reader, url=url, limits=Limits(10 * 1024 * 1024, 25, 3, 60))
    started = time.perf_counter()
    report = poller.poll_once()
    return time.perf_counter() - started, report


def peak_memory(server, waiting: int, folder: Path) -> int:
    """Peak resident memory (MB) of a poller process reading a mailbox with `waiting` letters."""
    user = server.new_user()
    append(user, letters(waiting, f"mem{waiting}"))
    url = f"sqlite:///{folder / f'memory-{waiting}.db'}"
    db.upgrade(url)
    env = {**os.environ, **user.env(), "PRIVACY_DESK_DATABASE_URL": url}
    with open(folder / f"memory-{waiting}.log", "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "tests.mail.run_poller", "once"], cwd=PROJECT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        sys.exit(f"the memory run failed; see {folder / f'memory-{waiting}.log'}")
    return usage.ru_maxrss // 1024


def main(argv: list[str] | None = None) -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("n", nargs="?", type=int, default=100, help="letters per run (default 100)")
    options.add_argument("--agent", choices=("auto", "rasa", "standin"), default="auto")
    options.add_argument("--waiting", type=int, default=0, metavar="M", help="also measure memory with M waiting")
    args = options.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="pd-mail-bench-"))
    url = f"sqlite:///{folder / 'privacy_desk.db'}"
    os.environ["PRIVACY_DESK_DATABASE_URL"] = url
    db.upgrade(url)
    try:
        server = start_dovecot()
    except BaseException as exc:  # noqa: BLE001 - tests' helper skips via pytest when Dovecot is missing
        sys.exit(f"Dovecot is needed for this benchmark: {exc}")
    try:
        run(server, args, url, folder)
    finally:
        server.destroy()
        shutil.rmtree(folder, ignore_errors=True)


def run(server, args, url: str, folder: Path) -> None:
    raw_user, desk_user = server.new_user(), server.new_user()
    append(raw_user, letters(args.n, "raw"))
    append(desk_user, letters(args.n, "desk"))
    raw_seconds = fetch_and_parse(raw_user)
    with assistant(args.agent, url, folder) as (agent, reader):
        desk_seconds, report = end_to_end(desk_user, reader, url)
    per_minute = lambda seconds: args.n / seconds * 60  # noqa: E731
    print(f"\nMail intake, {args.n} letters, batch 25, SQLite store, Dovecot on loopback; agent: {agent}\n")
    print("| measure | seconds | letters/minute |\n| --- | ---: | ---: |")
    print(f"| imapclient fetch (BODY.PEEK[]) + parse only | {raw_seconds:.2f} | {per_minute(raw_seconds):,.0f} |")
    print(f"| end to end: stored case + answer in outbox | {desk_seconds:.2f} | {per_minute(desk_seconds):,.0f} |")
    print(f"| ratio end to end / raw | | {raw_seconds / desk_seconds:.3f} |")
    print(f"\nstored {len(report.stored)}, answered {report.answered}, waiting {report.waiting}, "
          f"for staff {report.for_staff}")
    if args.waiting:
        small, large = max(1, args.waiting // 10), args.waiting
        print("\n| letters waiting | poller peak memory (MB) |\n| ---: | ---: |")
        for waiting in (small, large):
            print(f"| {waiting:,} | {peak_memory(server, waiting, folder)} |")


if __name__ == "__main__":
    main()
