"""`make bench`: every benchmark in turn, each printing its own tables. Nothing here is asserted."""
import subprocess
import sys

BENCHES = [
    ("NLU accuracy on the held-out set, training time, parse latency", ["bench/nlu_eval.py", "--train", "--latency"]),
    ("Mail intake throughput", ["-m", "bench.mail_bench", "100"]),
    ("Letters holding several requests: whole letter vs paragraphs", ["-m", "bench.mail_classification"]),
]


def main() -> int:
    failed = 0
    for title, args in BENCHES:
        print(f"\n## {title}\n", flush=True)
        failed += subprocess.call([sys.executable, *args]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
