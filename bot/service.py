"""Running one of Privacy Desk's background loops as a process of its own (`make run` starts several)."""
from __future__ import annotations

import asyncio
import logging
import signal


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
