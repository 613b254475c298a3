"""Running one of Privacy Desk's background loops as a process of its own (`make run` starts several)."""
from __future__ import annotations

import asyncio
import logging
import signal

from bot import db

log = logging.getLogger("privacy_desk.service")


def run_until_stopped(run, *args) -> None:
    """Run `await run(*args, stop=event)` until SIGTERM or Ctrl-C sets the event, so the loop ends cleanly."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")

    async def main():
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await run(*args, stop=stop)

    asyncio.run(main())


async def repeat(job, *, every: float, stop: asyncio.Event, name: str) -> None:
    """`await job()` every `every` seconds until `stop` is set. An unavailable store or an unexpected error is
    logged and the loop goes on: one bad turn (a bad row, a database restart) must not stop the service."""
    while not stop.is_set():
        try:
            await job()
        except db.StoreUnavailable as exc:
            log.warning("%s: the case store is unavailable; trying again shortly (%s)", name,
                        type(exc.__cause__).__name__)
        except Exception:  # noqa: BLE001 - the details go to the log, the service carries on
            log.exception("%s: unexpected error; continuing", name)
        try:
            await asyncio.wait_for(stop.wait(), timeout=every)
        except asyncio.TimeoutError:
            pass
