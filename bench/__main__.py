"""`make bench`: every benchmark in turn, each printing its own tables. Nothing here is asserted."""
import subprocess
import sys

BENCHES = [
    ("NLU accuracy on the held-out set, training time, parse latency", ["bench/nlu_eval.py", "--train", "--latency"]),
    ("Mail intake throughput", ["-m", "bench.mail_bench", "100"]),
    ("Letters holding several requests: whole letter vs paragraphs", ["-m", "bench.mail_classification"]),
    # Rasa's default pipeline (DIET, 100 epochs) trains for an hour or more on two cores; past its --timeout
    # (two hours) the table says it did not finish.
    ("Our intent pipeline vs Rasa's default pipeline vs a scikit-learn baseline", ["-m", "bench.nlu_compare"]),
    ("Chat under load: concurrent conversations through the REST channel",
     ["-m", "bench.chat_bench", "--sizes", "10", "50", "100"]),
    ("Start-up and training times", ["-m", "bench.startup"]),
]


def main() -> int:
    failed = 0
    for title, args in BENCHES:
        print(f"\n## {title}\n", flush=True)
        failed += subprocess.call([sys.executable, *args]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
