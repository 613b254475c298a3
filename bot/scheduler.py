"""Jobs on a clock: the daily digest to the DPO at PRIVACY_DESK_DIGEST_TIME, every hour the expiry of
cases never verified and the purge of sealed values no message needs any more, and once a day the retention
purge (bot/retention.py).

The digest is sent once a day even across restarts: the outbox itself records that today's went out; so does
the retention purge, through its own record of runs.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select

from bot import db, handoff, outbox, retention, settings, verification
from bot.models import OutboundEmail, utcnow
from bot.service import repeat, run_until_stopped

log = logging.getLogger("privacy_desk.scheduler")
TICK_SECONDS = 60
HOURLY = timedelta(hours=1)
DAILY = timedelta(days=1)


def digest_clock() -> tuple[time, ZoneInfo]:
    raw, zone = settings.get("digest_time").strip(), settings.get("digest_timezone").strip()
    try:
        at = time.fromisoformat(raw)
    except ValueError:
        raise settings.SettingError(f"PRIVACY_DESK_DIGEST_TIME must be a time like 08:00, not {raw!r}.") from None
    try:
        return at, ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise settings.SettingError(f"PRIVACY_DESK_DIGEST_TIMEZONE: unknown time zone {zone!r}; use a name "
                                    "like Europe/Paris or UTC.") from None


@dataclass
class Scheduler:
    store: str | None = None
    digest_day: date | None = None      # the local day whose digest is done
    hourly_at: datetime | None = None   # when the hourly jobs last ran
    purged_at: datetime | None = None   # when the retention purge last ran

    def tick(self, now: datetime | None = None) -> None:
        now = now or utcnow()
        if self.hourly_at is None or now - self.hourly_at >= HOURLY:
            self._hourly(now)
            self.hourly_at = now
        if self.purged_at is None or now - self.purged_at >= DAILY:
            self.purged_at = self._purge(now)
        at, zone = digest_clock()
        local = now.astimezone(zone)
        if local.time() >= at and self.digest_day != local.date():
            self._digest(local)
            self.digest_day = local.date()

    def _hourly(self, now: datetime) -> None:
        with db.session_scope(self.store) as session:
            withdrawn = verification.expire_unverified(session, now=now)
        with db.session_scope(self.store) as session:
            purged = outbox.purge_sealed(session, now)
        if withdrawn or purged:
            log.info("hourly: %d unverified case(s) withdrawn, %d sealed value(s) purged", len(withdrawn), purged)

    def _purge(self, now: datetime) -> datetime:
        """Run the retention purge unless one ran in the last day; when the last run was."""
        with db.session_scope(self.store) as session:
            last = retention.last_run(session)
            if last is not None and now - last < DAILY:
                return last
            counts = retention.purge(session, now=now)
        log.info("daily: retention purge %s", " ".join(f"{kind}={n}" for kind, n in counts.items()))
        return now

    def _digest(self, local: datetime) -> None:
        day_start = datetime.combine(local.date(), time(), local.tzinfo)
        with db.session_scope(self.store) as session:
            done = session.execute(select(OutboundEmail.id).where(OutboundEmail.kind == "staff_digest",
                                                                  OutboundEmail.created_at >= day_start)).first()
            if done is None:
                handoff.daily_digest(session, local)  # local: the digest is dated in the DPO's day


async def run(store: str | None = None, *, stop: asyncio.Event | None = None) -> None:
    stop = stop or asyncio.Event()
    scheduler = Scheduler(store)
    at, zone = digest_clock()
    log.info("scheduler started (digest daily at %s %s, expiry hourly, retention purge daily)",
             at.strftime("%H:%M"), zone.key)

    async def tick() -> None:
        scheduler.tick()

    await repeat(tick, every=TICK_SECONDS, stop=stop, name="scheduler")
    log.info("scheduler stopped")


def run_forever(store: str | None = None) -> None:
    """Entry point for `make run` (and `python -m bot.scheduler`): runs until SIGTERM or Ctrl-C."""
    run_until_stopped(run, store)


if __name__ == "__main__":
    run_forever()
