"""`privacy-desk` commands for identity verification (case verify-document, resend-code, confirm-call-back)
and the outbox (outbox list, send, retry). bot/cli.py adds them to its parser."""
from __future__ import annotations

import asyncio
import json

from sqlalchemy import func, select

from bot import cases, db, outbox, verification
from bot.audit import record
from bot.models import OutboundEmail, utcnow
from bot.sealing import SealBroken


def add_case_commands(sub, command, actor) -> None:
    document = command(sub.add_parser("verify-document", help="record that you checked an identity document"),
                       "case verify-document", verify_document)
    document.add_argument("reference")
    document.add_argument("--seen", required=True, metavar="TEXT",
                          help='what you saw, in words, e.g. "passport, last 4 digits 1234" (never a copy)')
    actor(document)
    resend = command(sub.add_parser("resend-code", help="send the requester a new verification code"),
                     "case resend-code", resend_code)
    resend.add_argument("reference")
    resend.add_argument("--phone", action="store_true", help="by SMS to the phone number (default: by email)")
    resend.add_argument("--unlock", action="store_true",
                        help="first lift the lock left by five wrong codes (speak to the requester before)")
    actor(resend)
    call_back = command(sub.add_parser("confirm-call-back", help="you called the number on file and reached the "
                                       "requester: their phone number is verified"),
                        "case confirm-call-back", confirm_call_back)
    call_back.add_argument("reference")
    actor(call_back)


def add_outbox_commands(sub, command, actor) -> None:
    listing = command(sub.add_parser("list", help="emails waiting, sent or failed, newest first"), "outbox list",
                      list_outbox)
    listing.add_argument("--status", choices=("queued", "sending", "sent", "failed", "logged"))
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    command(sub.add_parser("send", help="send every email that is due now, once"), "outbox send", send_outbox)
    retry = command(sub.add_parser("retry", help="queue a failed email again"), "outbox retry", retry_email)
    retry.add_argument("email_id", type=int, metavar="ID")
    actor(retry)


def _cli():
    from bot import cli  # the shared helpers; imported late because bot.cli imports this module
    return cli


def verify_document(args) -> None:
    staff = _cli().actor_of(args)
    with db.session_scope() as session:
        case = cases.get_case(session, args.reference, for_update=True)
        verification.mark_document_verified(session, case, staff=staff, seen=args.seen)
        print(f"Case {case.reference}: identity document recorded; status: {case.status}.")


def resend_code(args) -> None:
    staff = _cli().actor_of(args)
    with db.session_scope() as session:
        case = cases.get_case(session, args.reference, for_update=True)
        level = "phone" if args.phone else "email"
        if args.unlock and verification.unlock(session, case, level=level, staff=staff):
            print(f"Case {case.reference}: the {level} check is unlocked.")
        try:
            (verification.issue_phone_code if args.phone else verification.issue_email_code)(session, case)
        except (verification.ResendLimit, verification.VerificationLocked) as exc:
            raise _cli().CliError(f"Case {case.reference}: {exc}") from None
        record(session, case, actor=staff, action="verification_code_resent", data={"level": level})
        print(f"Case {case.reference}: a new {level} code is on its way.")


def confirm_call_back(args) -> None:
    staff = _cli().actor_of(args)
    with db.session_scope() as session:
        case = cases.get_case(session, args.reference, for_update=True)
        verification.confirm_call_back(session, case, staff=staff)
        print(f"Case {case.reference}: phone number verified by call back; status: {case.status}.")


def list_outbox(args) -> None:
    with db.session_scope() as session:
        query = select(OutboundEmail).order_by(OutboundEmail.id.desc()).limit(max(1, args.limit))
        if args.status:
            query = query.where(OutboundEmail.status == args.status)
        rows = [{"id": e.id, "status": e.status, "kind": e.kind, "case": e.case.reference if e.case else None,
                 "attempts": e.attempts, "created_at": e.created_at.isoformat(),
                 "next_attempt_at": e.next_attempt_at.isoformat() if e.status in ("queued", "sending") else None,
                 "sent_at": e.sent_at.isoformat() if e.sent_at else None, "last_error": e.last_error}
                for e in session.execute(query).scalars()]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    for row in rows:
        when = row["sent_at"] or row["next_attempt_at"] or row["created_at"]
        print(f"{row['id']:>6}  {row['status']:<8} {row['kind']:<26} {row['case'] or '-':<13} "
              f"tries {row['attempts']}  {when[:16]}  {row['last_error'] or ''}")
    if not rows:
        print("No emails.")


def send_outbox(_args) -> None:
    from bot import sender
    sent = asyncio.run(sender.send_due())
    with db.session_scope() as session:
        waiting = session.execute(select(func.count()).where(OutboundEmail.status.in_(("queued", "sending")))
                                  ).scalar_one()
    print(f"{sent} email(s) sent; {waiting} still waiting.")


def retry_email(args) -> None:
    staff = _cli().actor_of(args)
    with db.session_scope() as session:
        email = session.get(OutboundEmail, args.email_id)
        if email is None or email.status != "failed":
            raise _cli().CliError(f"No failed email {args.email_id}; `privacy-desk outbox list --status failed` "
                                  "shows them.")
        try:
            outbox.opened_texts(session, email)
        except SealBroken:
            raise _cli().CliError(f"Email {email.id} carried a verification code that is no longer kept; send a "
                                  "new one with `privacy-desk case resend-code`.") from None
        email.status, email.attempts, email.next_attempt_at, email.last_error = "queued", 0, utcnow(), None
        if email.case is not None:
            record(session, email.case, actor=staff, action="email_retried",
                   data={"email_id": email.id, "kind": email.kind})
        print(f"Email {email.id} is queued again.")
