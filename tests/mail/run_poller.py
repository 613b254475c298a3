"""A poller in its own process, for the tests that kill it or run two at once:
`python -m tests.mail.run_poller once|forever SECONDS`. Settings come from the PRIVACY_DESK_* environment;
the stand-in classifier replaces the trained model (these tests are about the mailbox, not understanding).
"""
from __future__ import annotations

import logging
import signal
import sys
import threading

from mail_ingest.mailbox import MailboxSettings
from mail_ingest.poller import Poller
from mail_ingest.reading import Reader, one_by_one
from tests.mail.agent_standin import classify

LEASE_SECONDS = 3  # a killed poller's lease lapses quickly, so the test does not wait 90 s


def main(mode: str, seconds: float) -> None:
    logging.basicConfig(level=logging.INFO, format="%(process)d %(name)s %(levelname)s %(message)s")
    poller = Poller(MailboxSettings.from_settings(), reader=Reader(classify=one_by_one(classify)), lease_seconds=LEASE_SECONDS)
    if mode == "once":
        report = poller.poll_once()
        print(f"stored={len(report.stored)} duplicates={report.duplicates} held={report.held_elsewhere}", flush=True)
        return
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    timer = threading.Timer(seconds, stop.set)
    timer.daemon = True  # stopped earlier by SIGTERM, the process must not wait for it
    timer.start()
    poller.run(stop)


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 0)
