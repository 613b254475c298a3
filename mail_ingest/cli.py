"""`privacy-desk mail ...`: the mailbox from the command line (registered by bot/cli.py)."""
from __future__ import annotations

import json
from email import policy
from email.parser import BytesHeaderParser

from sqlalchemy import func, select

from bot import db
from bot.models import utcnow
from mail_ingest import deadletters, intake
from mail_ingest.mailbox import MailboxSettings
from mail_ingest.models import DeadLetter, InboundLetter, MailboxLease, MailboxPosition
from mail_ingest.reading import Reader


class MailError(ValueError):
    """A mail command cannot do what was asked; the message says why and what to do."""


def add_commands(sub, command) -> None:
    """`command(parser, path, handler)` is bot.cli's way of registering a handler."""
    command(sub.add_parser("poll-once", help="read the mailbox once: store new letters, answer what is due"),
            "mail poll-once", poll_once)
    listing = command(sub.add_parser("dead-letters", help="letters that could not be taken in"),
                      "mail dead-letters", dead_letters)
    listing.add_argument("--all", action="store_true", help="include those taken in since")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    retry = command(sub.add_parser("retry", help="take in a dead letter again (after a fix)"), "mail retry", retry_one)
    retry.add_argument("id", type=int, help="the number shown by `mail dead-letters`")
    command(sub.add_parser("status", help="how far the mailbox is read, who reads it, letters by status"),
            "mail status", status)


def poll_once(_args) -> None:
    from mail_ingest.poller import Poller  # imports imapclient only when the mailbox is used
    config = MailboxSettings.from_settings()
    if config is None:
        raise MailError("Mail intake is off: set PRIVACY_DESK_IMAP_HOST, PRIVACY_DESK_IMAP_USER and "
                        "PRIVACY_DESK_IMAP_PASSWORD.")
    report = Poller(config).poll_once()
    if report.held_elsewhere:
        print("Another Privacy Desk instance is reading this mailbox now; nothing done.")
        return
    print(f"Stored {len(report.stored)} letter(s), {report.duplicates} already stored; "
          f"{report.oversized} oversized and {report.quarantined} failing moved to the Failed folder"
          f"{f', {report.failing} to try again' if report.failing else ''}. "
          f"Answered {report.answered}; {report.waiting} waiting for the assistant; {report.for_staff} for staff.")


def dead_letters(args) -> None:
    with db.session_scope() as session:
        rows = [_summary(row) for row in deadletters.listing(session, include_resolved=args.all)]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    if not rows:
        print("No dead letters.")
    for row in rows:
        print(f"#{row['id']}  {row['status']:<11} {row['reason']:<9} {row['first_failed_at'][:16]}  "
              f"{row['size'] or '?'} bytes  {row['attempts']} attempt(s)\n"
              f"    From: {row['from']}\n    Subject: {row['subject']}\n    {row['error']}")


def _summary(row: DeadLetter) -> dict:
    """What staff need to find the message in the Failed folder: who sent it, its subject, what went wrong."""
    header_block = row.headers.encode() if row.headers else (row.raw or b"")[:65536]
    headers = BytesHeaderParser(policy=policy.default).parsebytes(header_block)

    def shown(name: str) -> str:
        try:
            return " ".join(str(headers.get(name, "") or "").split())[:200]
        except Exception:  # noqa: BLE001 - a header too broken to show is shown empty
            return ""

    return {"id": row.id, "status": row.status, "reason": row.reason, "uid": row.uid, "size": row.size,
            "attempts": row.attempts, "first_failed_at": row.first_failed_at.isoformat(),
            "from": shown("From"), "subject": shown("Subject"),
            "error": (row.error or "").split("\n", 1)[0][:300], "letter_id": row.letter_id}


def retry_one(args) -> None:
    with db.session_scope() as session:
        row = session.get(DeadLetter, args.id)
        if row is None:
            raise MailError(f"No dead letter #{args.id}; `privacy-desk mail dead-letters` lists them.")
        if row.status == deadletters.RESOLVED:
            raise MailError(f"Dead letter #{row.id} was already taken in (letter {row.letter_id}).")
        if row.raw is None:
            raise MailError(f"Dead letter #{row.id} was too big to download ({row.size} bytes). Read it in the "
                            "Failed folder, or raise PRIVACY_DESK_MAX_MESSAGE_BYTES and move it back to the inbox.")
        raw, source = row.raw, intake.Source(row.mailbox, row.uidvalidity, row.uid)
    try:
        stored = intake.take_in(raw, source, Reader())
    except db.StoreUnavailable:
        raise
    except Exception as exc:  # noqa: BLE001 - staff get the reason; the letter stays a dead letter
        raise MailError(f"Dead letter #{args.id} still cannot be taken in ({type(exc).__name__}). "
                        "Keep it in the Failed folder and report the error shown by `mail dead-letters`.") from None
    with db.session_scope() as session:
        row = session.get(DeadLetter, args.id)
        row.status, row.letter_id, row.resolved_at = deadletters.RESOLVED, stored.letter_id, utcnow()
    print(f"Dead letter #{args.id} taken in as letter {stored.letter_id}"
          f"{f' on case {stored.case_reference}' if stored.case_reference else ''}"
          f"{' (it had been stored before)' if stored.duplicate else ''}. "
          "Its answer is sent by the running poller or `privacy-desk mail poll-once`.")


def status(_args) -> None:
    with db.session_scope() as session:
        positions = session.execute(select(MailboxPosition)).scalars().all()
        leases = session.execute(select(MailboxLease)).scalars().all()
        counts = session.execute(select(InboundLetter.status, func.count()).group_by(InboundLetter.status)).all()
        dead = session.execute(select(func.count()).select_from(DeadLetter)
                               .where(DeadLetter.status != deadletters.RESOLVED)).scalar()
    for p in positions:
        print(f"{p.mailbox.split('/')[-1]}: read up to UID {p.last_uid} (UIDVALIDITY {p.uidvalidity}), "
              f"{p.updated_at:%Y-%m-%d %H:%M} UTC")
    for lease in leases:
        print(f"read by {lease.holder} until {lease.expires_at:%Y-%m-%d %H:%M:%S} UTC")
    print("letters: " + (", ".join(f"{n} {s}" for s, n in sorted(counts)) or "none") + f"; dead letters: {dead}")
