"""Chat under load: N people chatting at once through the REST channel of a real Rasa server with the action
server, each a scripted conversation as in tests/test_stories_*.yml (six languages; a request, the details the
form asks for, the confirmation, a verification code). Prints a table; asserts nothing.

    .venv/bin/python -m bench.chat_bench [--sizes 10 50 100] [--model models/privacy-desk.tar.gz]

Each person sends their next message as soon as the previous answer arrives (no reading time): the load is the
heaviest those N people can make. The servers start as `privacy-desk run` starts them, against a temporary
SQLite store, state folder and secrets. The verification codes typed are wrong ones (the real codes only exist in
the emails the outbox would send).
"""
from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from bench.servers import start_planned, use_scratch_desk
from bench.training import progress
from tests.support.servers import latest_model

# (language, opens a case, messages); {i} makes each person's email and phone number their own, so no
# conversation joins another's case as a repeat request.
SCRIPTS = [
    ("en", True, ["Hello", "I would like a copy of the recording of my phone call from yesterday",
                  "+44 7700 900{i3}", "around 3pm", "Jane Doe", "jane.doe.{i}@example.org", "yes", "123456"]),
    ("de", True, ["Hallo", "Ich möchte die Aufzeichnung meines Anrufs von gestern", "+49 151 234{i5}",
                  "gegen 10 Uhr", "Max Mustermann", "max.mustermann.{i}@example.de", "ja", "123456"]),
    ("fr", True, ["Bonjour", "Je voudrais l'enregistrement de mon appel d'hier", "+33 6 12 3{i5}", "vers 14h30",
                  "Jean Dupont", "jean.dupont.{i}@example.fr", "oui", "123456"]),
    ("en", True, ["I want to file a complaint about how my data was handled",
                  "Your agent read out my bank details to someone else", "I live in Ireland", "Jane Doe",
                  "jane.doe.{i}@example.org", "yes", "thank you"]),
    ("de", True, ["Meine Adresse ist falsch", "Dort steht Hauptstraße 1, richtig ist Hauptstraße 10",
                  "Hauptstraße 10", "Max Mustermann", "max.mustermann.{i}@example.de", "ja", "123456"]),
    ("es", True, ["Hola", "Quiero una copia de todos mis datos personales", "Lucía García",
                  "lucia.garcia.{i}@example.es", "sí", "123456"]),
    ("en", False, ["Please delete all my personal data", "stop", "goodbye"]),
    ("nl", True, ["Hallo", "Ik wil een kopie van al mijn persoonsgegevens", "Sanne de Vries",
                  "sanne.devries.{i}@example.nl", "ja", "123456"]),
    ("it", True, ["Buongiorno", "Vorrei sapere quali dati personali trattate su di me", "Giulia Rossi",
                  "giulia.rossi.{i}@example.it", "sì", "123456"]),
]


@dataclass
class Round:
    conversations: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # ms, every answered message
    errors: Counter = field(default_factory=Counter)  # "HTTP 503", "TimeoutError", ...: no usable answer
    unanswered: int = 0  # HTTP 200 with no reply at all: the person would wait in silence
    cases_expected: int = 0
    cases_opened: int = 0
    rasa_mib: float = 0.0
    actions_mib: float = 0.0


def messages_of(person: int) -> tuple[str, bool, list[str]]:
    language, opens_case, script = SCRIPTS[person % len(SCRIPTS)]
    fill = {"i": person, "i3": f"{person % 1000:03d}", "i5": f"{person % 100000:05d}"}
    return language, opens_case, [text.format(**fill) for text in script]


async def converse(http: aiohttp.ClientSession, url: str, person: int, result: Round) -> None:
    language, _, texts = messages_of(person)
    sender = f"bench-chat-{person}"
    for text in texts:
        started = time.perf_counter()
        try:
            async with http.post(url, json={"sender": sender, "message": text,
                                            "metadata": {"language": language}}) as answer:
                replies = await answer.json() if answer.status == 200 else f"HTTP {answer.status}"
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            replies = type(exc).__name__
        if isinstance(replies, str):
            result.errors[replies] += 1
            continue
        result.latencies.append((time.perf_counter() - started) * 1000)
        result.unanswered += not replies


async def run_round(url: str, first: int, size: int) -> Round:
    result = Round(size, cases_expected=sum(messages_of(p)[1] for p in range(first, first + size)))
    timeout = aiohttp.ClientTimeout(total=300)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as http:
        started = time.perf_counter()
        await asyncio.gather(*(converse(http, url, p, result) for p in range(first, first + size)))
        result.seconds = time.perf_counter() - started
    return result


def cases_in_store(database_url: str) -> int:
    from bot import db
    from bot.models import Case

    with db.session_scope(database_url) as session:
        return session.query(Case).count()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))] if ordered else float("nan")


def report(rounds: list[Round], idle: tuple[float, float], model: Path) -> None:
    print(f"\nModel {model.name}; Rasa server + action server on loopback, temporary SQLite store; "
          f"{len(SCRIPTS)} scripts in {len({s[0] for s in SCRIPTS})} languages.\n")
    print("| conversations | messages | wall time (s) | messages/s | p50 (ms) | p95 (ms) | p99 (ms) | errors | "
          "unanswered | cases opened / expected | Rasa RSS (MiB) | actions RSS (MiB) |")
    print("|" + " ---: |" * 12)
    print(f"| 0 (idle, before) | | | | | | | | | | {idle[0]:.0f} | {idle[1]:.0f} |")
    for r in rounds:
        sent = len(r.latencies) + sum(r.errors.values())
        print(f"| {r.conversations} | {sent} | {r.seconds:.1f} | {len(r.latencies) / r.seconds:.1f} | "
              f"{statistics.median(r.latencies) if r.latencies else float('nan'):.0f} | "
              f"{percentile(r.latencies, 0.95):.0f} | {percentile(r.latencies, 0.99):.0f} | {sum(r.errors.values())} | "
              f"{r.unanswered} | {r.cases_opened} / {r.cases_expected} | {r.rasa_mib:.0f} | {r.actions_mib:.0f} |")
    for r in rounds:
        if r.errors:
            print(f"\nErrors with {r.conversations} conversations: "
                  + ", ".join(f"{kind} x{count}" for kind, count in r.errors.most_common()))
    print("\nLatency: from sending a message to receiving all of its answers (REST webhook). Memory: VmRSS of "
          "each server and its child processes after the round; the rounds run one after another on the same "
          "servers, started as `privacy-desk run` starts them (tracker store as endpoints.yml says).")


def measure(sizes: list[int], rasa, actions, database_url: str) -> list[Round]:
    url = rasa.ready_url + "webhooks/rest/webhook"
    rounds, first = [], 0
    for size in sizes:
        progress(f"{size} conversations at once")
        before = cases_in_store(database_url)
        result = asyncio.run(run_round(url, first, size))
        result.cases_opened = cases_in_store(database_url) - before
        result.rasa_mib, result.actions_mib = rasa.rss_mib(), actions.rss_mib()
        rounds.append(result)
        first += size
    return rounds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 50, 100], metavar="N",
                        help="concurrent conversations per round (default 10 50 100)")
    parser.add_argument("--model", type=Path, help="model archive (default: the newest in models/)")
    args = parser.parse_args(argv)
    model = args.model or latest_model()
    if model is None:
        sys.exit("needs a trained model in models/ (`make model` trains one)")
    folder = Path(tempfile.mkdtemp(prefix="pd-chat-bench-"))
    database_url = use_scratch_desk(folder)
    progress("starting the action server and the Rasa server")
    actions = start_planned("actions", folder)
    rasa = start_planned("rasa", folder, ("--model", str(model)))
    try:
        actions.wait_until_answers(300)
        rasa.wait_until_answers(600)
        idle = (rasa.rss_mib(), actions.rss_mib())
        rounds = measure(args.sizes, rasa, actions, database_url)
        report(rounds, idle, model)
    except RuntimeError as exc:
        print(f"chat bench failed: {exc}; logs in {folder}")
        return 1
    finally:
        rasa.stop()
        actions.stop()
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
