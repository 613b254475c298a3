"""`privacy-desk`: the staff command line over the case store (the console offers the same actions)."""
from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from datetime import date, datetime, time, timezone

from bot import audit, cases, db, settings, staff
from bot.cli_format import case_as_dict, print_case, print_queue
from bot.contact import InvalidContact, normalise_email, normalise_phone
from bot.deadlines import ExtensionRefused
from bot.lifecycle import IllegalTransition, Status
from bot.queue import QueueFilter, list_queue, summary
from bot.requests import parse_channel, parse_request_type
from bot.staff import Permission

log = logging.getLogger("privacy_desk.cli")

EXPECTED_ERRORS = (cases.CaseNotFound, cases.CaseConflict, IllegalTransition, ExtensionRefused, InvalidContact,
                   db.StoreUnavailable, settings.SettingError, staff.NotAllowed, ValueError)


class CliError(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return 2
    # Staff read what the command prints; the log only carries warnings (and never personal data).
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        if args.command_path not in ("settings", "classify"):
            db.upgrade()  # idempotent: a fresh install works without a separate set-up step
        return args.handler(args) or 0
    except (CliError, *EXPECTED_ERRORS) as exc:
        print(f"privacy-desk: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - staff get one clear line; the details go to the log
        log.exception("unexpected error in %s", args.command_path)
        print(f"privacy-desk: unexpected error ({type(exc).__name__}); the details are in the log above.",
              file=sys.stderr)
        return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="privacy-desk", description="Privacy Desk: data-protection requests, "
                                     "their legal deadlines and the DPO queue.")
    groups = parser.add_subparsers(title="commands", metavar="COMMAND")
    _case_commands(groups.add_parser("case", help="open, show and work on one case").add_subparsers(
        title="case commands", metavar="ACTION"))
    queue = groups.add_parser("queue", help="the DPO queue").add_subparsers(title="queue commands", metavar="ACTION")
    _queue_list(queue.add_parser("list", help="open cases, most urgent first"))
    database = groups.add_parser("db", help="the case store").add_subparsers(title="db commands", metavar="ACTION")
    _command(database.add_parser("upgrade", help="create or migrate the database schema"), "db upgrade",
             lambda _args: print(f"Case store ready ({_where()})."))
    _command(groups.add_parser("settings", help="list every PRIVACY_DESK_* setting and its current value"),
             "settings", show_settings)
    from mail_ingest.cli import add_commands as mail_commands  # the mailbox's commands live with mail intake
    mail_commands(groups.add_parser("mail", help="the data-compliance mailbox: poll it, see dead letters")
                  .add_subparsers(title="mail commands", metavar="ACTION"), _command)
    from bot.cli_verification import add_outbox_commands  # emails waiting, sent or failed
    add_outbox_commands(groups.add_parser("outbox", help="emails Privacy Desk sends: list, send now, retry")
                        .add_subparsers(title="outbox commands", metavar="ACTION"), _command, _actor)
    _staff_commands(groups.add_parser("staff", help="staff accounts of the console").add_subparsers(
        title="staff commands", metavar="ACTION"))
    _purge_command(groups.add_parser("purge", help="delete chats and letters that never became a case and reduce "
                                     "closed cases whose retention has ended (the scheduler does it daily)"))
    _command(groups.add_parser("run", help="start everything: the assistant, the website with the chat widget, "
                               "the staff console, the outbox, the scheduler and the mail poller"), "run", run_all)
    classify = _command(groups.add_parser("classify", help="what texts ask for (language, intent, request types), "
                                          "one JSON line per text, with the trained assistant"),
                        "classify", classify_texts)
    classify.add_argument("--jsonl", nargs=2, metavar=("IN", "OUT"),
                          help='read {"id": ..., "text": ...} lines from IN and write one result line per text to OUT '
                               "(default: standard input to standard output; - for either)")
    return parser


def _command(parser: argparse.ArgumentParser, path: str, handler) -> argparse.ArgumentParser:
    parser.set_defaults(handler=handler, command_path=path)
    return parser


def _actor(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as", dest="actor", metavar="NAME",
                        help="who is acting, for the audit trail (default: PRIVACY_DESK_STAFF_NAME or your login)")


def _case_commands(sub) -> None:
    opener = _command(sub.add_parser("open", help="register a request received by phone, post, email or chat"),
                      "case open", open_case)
    opener.add_argument("--type", dest="types", action="append", required=True, metavar="TYPE",
                        help="request type (repeat for several): access, rectification, erasure, restriction, "
                             "portability, objection, call_recording, complaint, withdraw_consent")
    opener.add_argument("--channel", required=True, help="phone, post, email or chat")
    opener.add_argument("--name", help="the requester's name")
    opener.add_argument("--email", help="the requester's email address")
    opener.add_argument("--phone", help="the requester's phone number")
    opener.add_argument("--language", default=None, help="two-letter language of the requester (default: en)")
    opener.add_argument("--received", help="date of receipt, YYYY-MM-DD (default: now); the deadline runs from it")
    opener.add_argument("--detail", action="append", default=[], metavar="KEY=VALUE",
                        help="a request detail, e.g. call_date=2026-03-03 or call_time=14:00 (repeatable)")
    opener.add_argument("--json", action="store_true", help="print the case as JSON")
    _actor(opener)

    show = _command(sub.add_parser("show", help="a case's details and audit trail"), "case show", show_case)
    show.add_argument("reference")
    show.add_argument("--json", action="store_true", help="print as JSON")
    _actor(show)  # reading a person's data is recorded in the audit trail

    for name, help_text, handler in (("claim", "take an unassigned case", claim_case),
                                     ("fulfil", "mark the request carried out and tell the requester", fulfil_case),
                                     ("withdraw", "close a case the requester withdrew", withdraw_case)):
        parser = _command(sub.add_parser(name, help=help_text), f"case {name}", handler)
        parser.add_argument("reference")
        if name != "claim":
            parser.add_argument("--note" if name == "fulfil" else "--reason", dest="text", default="",
                                help="what was done" if name == "fulfil" else "why")
        if name == "fulfil":
            parser.add_argument("--erase-own-data", action="store_true",
                                help="an erasure case: also reduce what Privacy Desk holds about the person (their "
                                     "other, closed cases, chats, letters and emails); refused while another case "
                                     "of theirs is open")
        _actor(parser)

    assign = _command(sub.add_parser("assign", help="give a case to a member of staff"), "case assign", assign_case)
    assign.add_argument("reference")
    assign.add_argument("--to", required=True, metavar="NAME")
    _actor(assign)

    note = _command(sub.add_parser("note", help="add a note to the audit trail"), "case note", note_case)
    note.add_argument("reference")
    note.add_argument("text")
    _actor(note)

    extend = _command(sub.add_parser("extend", help="extend the deadline by up to two months (Art. 12(3))"),
                      "case extend", extend_case)
    extend.add_argument("reference")
    extend.add_argument("--months", type=int, required=True, choices=(1, 2))
    extend.add_argument("--reason", required=True, help="told to the requester")
    _actor(extend)

    deny = _command(sub.add_parser("deny", help="refuse the request, with the reason the requester is told"),
                    "case deny", deny_case)
    deny.add_argument("reference")
    deny.add_argument("--reason", required=True)
    _actor(deny)

    split = _command(sub.add_parser("split", help="make an attached request a case of its own"),
                     "case split", split_case)
    split.add_argument("reference")
    split.add_argument("--request", type=int, required=True, metavar="ID",
                       help="the request number shown by `case show`")
    _actor(split)
    from bot.cli_verification import add_case_commands as verification_commands  # identity verification
    verification_commands(sub, _command, _actor)
    from bot.cli_export import add_case_commands as export_commands  # the copy of a person's data
    export_commands(sub, _command, _actor)


def _queue_list(parser: argparse.ArgumentParser) -> None:
    _command(parser, "queue list", queue_list)
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.add_argument("--status", choices=[s.value for s in Status])
    parser.add_argument("--overdue", action="store_true", help="only cases past their deadline")
    parser.add_argument("--due-within", type=int, metavar="DAYS", help="only cases due within DAYS days")
    parser.add_argument("--all", action="store_true", help="include closed cases")


def actor_of(args, permission: Permission = Permission.WORK_CASES) -> str:
    name = (args.actor or settings.get("staff_name") or getpass.getuser() or "").strip()
    if not name or len(name) > 100 or not name.isprintable():
        raise CliError("Say who is acting with --as NAME (printable, at most 100 characters).")
    with db.session_scope() as session:
        staff.check_acting(session, name, permission)
    return name


def _where() -> str:
    url = db.database_url()
    return url.split("@")[-1] if "@" in url else url


def _received(value: str | None) -> datetime:
    if not value:
        return datetime.now(timezone.utc)
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise CliError(f"--received must be a date like 2026-03-03, not {value!r}.") from None
    if day > date.today():
        raise CliError(f"--received {value} is in the future.")
    return datetime.combine(day, time(), tzinfo=timezone.utc)


def _details(pairs: list[str]) -> dict:
    details = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or not key.strip().replace("_", "").isalnum():
            raise CliError(f"--detail must look like key=value, not {pair!r}.")
        details[key.strip()] = value.strip()
    if "call_date" in details:
        try:
            date.fromisoformat(details["call_date"])
        except ValueError:
            raise CliError(f"call_date must be a date like 2026-03-03, not {details['call_date']!r}.") from None
    return details


def open_case(args) -> None:
    new = cases.NewRequest(
        request_types=[parse_request_type(t) for t in args.types], channel=parse_channel(args.channel),
        language=(args.language or settings.get("default_language")).lower()[:2],
        name=(args.name or "").strip() or None,
        email=normalise_email(args.email) if args.email else None,
        phone=normalise_phone(args.phone) if args.phone else None,
        details=_details(args.detail), received_at=_received(args.received))
    if not (new.email or new.phone or new.name):
        raise CliError("Give at least one way to identify the requester: --name, --email or --phone.")
    actor = actor_of(args)
    with db.session_scope() as session:
        opened = cases.open_case(session, new, actor=actor)
        if args.json:
            print(json.dumps(case_as_dict(opened.case), indent=2))
        elif opened.attached:
            print(f"Attached to open case {opened.case.reference} of the same requester "
                  f"(split it with `privacy-desk case split`).")
        else:
            print(f"Opened case {opened.case.reference}, due {opened.case.due_at:%Y-%m-%d}.")
        log.info("case %s %s", opened.case.reference, "attached" if opened.attached else "opened")


def show_case(args) -> None:
    actor = actor_of(args)
    with db.session_scope() as session:
        case = cases.get_case(session, args.reference)
        audit.record_view(session, case, actor=actor, via="cli")
        if args.json:
            print(json.dumps(case_as_dict(case), indent=2))
        else:
            print_case(case)


def queue_list(args) -> None:
    if args.due_within is not None and args.due_within < 0:
        raise CliError("--due-within takes a number of days, 0 or more.")
    wanted = QueueFilter(status=Status(args.status) if args.status else None, overdue=args.overdue,
                         due_within_days=args.due_within, include_closed=args.all)
    with db.session_scope() as session:
        rows = [summary(case) for case in list_queue(session, wanted)]
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        print_queue(rows)


def _act(verb: str, action, args, **kwargs) -> None:
    with db.session_scope() as session:
        case = action(session, args.reference, **kwargs)
        reference, status = case.reference, case.status
    log.info("case %s %s", reference, verb)
    print(f"Case {reference} {verb}; status: {status}.")


def claim_case(args):
    _act("claimed", cases.claim, args, staff=actor_of(args))


def assign_case(args):
    _act(f"assigned to {args.to}", cases.assign, args, to=args.to, by=actor_of(args))


def note_case(args):
    _act("noted", cases.add_note, args, text=args.text, actor=actor_of(args))


def extend_case(args):
    _act(f"extended by {args.months} month(s)", cases.extend, args, months=args.months, reason=args.reason,
         actor=actor_of(args, Permission.EXTEND))


def fulfil_case(args):
    if not args.erase_own_data:
        return _act("fulfilled", cases.fulfil, args, actor=actor_of(args, Permission.FULFIL), note=args.text)
    from bot.own_erasure import ERASED

    actor = actor_of(args, Permission.FULFIL)  # checked before the transaction, in a session of its own
    with db.session_scope() as session:
        case = cases.fulfil(session, args.reference, actor=actor, note=args.text, erase_own_data=True)
        result = next(e.data for e in reversed(case.events) if e.action == ERASED)
        reference = case.reference
    log.info("case %s fulfilled with erasure of own data", reference)
    counts = ", ".join(f"{kind.replace('_', ' ')}: {n}" for kind, n in sorted(result["counts"].items()) if n)
    print(f"Case {reference} fulfilled. Privacy Desk's own data about the requester erased "
          f"({counts or 'nothing else was held'}); other cases reduced: {', '.join(result['references']) or 'none'}.")


def deny_case(args):
    _act("denied", cases.deny, args, reason=args.reason, actor=actor_of(args, Permission.DENY))


def withdraw_case(args):
    _act("withdrawn", cases.withdraw, args, actor=actor_of(args, Permission.WITHDRAW), reason=args.text)


def split_case(args):
    actor = actor_of(args)
    with db.session_scope() as session:
        new = cases.split_request(session, args.reference, args.request, actor=actor)
        print(f"Request {args.request} is now case {new.reference}, due {new.due_at:%Y-%m-%d}.")


def classify_texts(args) -> None:
    import contextlib

    from assistant import classify  # only this command needs the trained model

    source, target = args.jsonl or ("-", "-")
    try:
        with contextlib.ExitStack() as files:
            lines = sys.stdin if source == "-" else files.enter_context(open(source, encoding="utf-8"))
            out = sys.stdout if target == "-" else files.enter_context(open(target, "w", encoding="utf-8"))
            classify.run_jsonl(lines, out)
    except classify.ModelMissing as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"{exc.filename}: {exc.strerror}.") from None


def run_all(_args) -> int:
    from bot import run  # only this command needs the process supervisor

    return run.main()


# ---- staff accounts (bot/staff.py) ----

def _staff_commands(sub) -> None:
    add = _command(sub.add_parser("add", help="create a console account (asks for the password)"), "staff add",
                   staff_add)
    add.add_argument("name", help="the name the audit trail will show, e.g. 'Ana Lopez'")
    add.add_argument("--role", required=True, choices=("dpo", "agent"),
                     help="agent: works cases; dpo: also extends, fulfils, denies and withdraws")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    _command(sub.add_parser("list", help="every staff account and its role"), "staff list", staff_list)
    disable = _command(sub.add_parser("disable", help="stop an account signing in (ends its sessions)"),
                       "staff disable", staff_disable)
    disable.add_argument("name")


def _new_password(args) -> str:
    """From stdin when asked (or piped), else typed twice without echo."""
    if args.password_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password (at least 12 characters): ")
    if getpass.getpass("The same password again: ") != first:
        raise CliError("The two passwords differ; nothing was created.")
    return first


def staff_add(args) -> None:
    from bot import staff

    password = _new_password(args)
    with db.session_scope() as session:
        member = staff.add_staff(session, args.name, args.role, password)
        print(f"Added {member.name} ({member.role}). They sign in to the staff console with this name.")


def staff_list(_args) -> None:
    from bot import staff

    with db.session_scope() as session:
        members = staff.list_staff(session)
        if not members:
            print("No staff accounts yet; add one with `privacy-desk staff add NAME --role dpo`.")
        for member in members:
            state = "active" if member.active else f"disabled {member.disabled_at:%Y-%m-%d}"
            print(f"{member.name:<30} {member.role:<6} {state}")


def staff_disable(args) -> None:
    from bot import staff

    with db.session_scope() as session:
        member = staff.disable_staff(session, args.name)
        print(f"{member.name} can no longer sign in; their open console sessions have ended.")


# ---- retention (bot/retention.py) ----

def _purge_command(parser: argparse.ArgumentParser) -> None:
    _command(parser, "purge", purge)
    parser.add_argument("--dry-run", action="store_true", help="only print how much would be deleted or reduced")
    _actor(parser)


def purge(args) -> None:
    from bot import retention

    actor = actor_of(args)
    with db.session_scope() as session:
        counts = retention.purge(session, now=datetime.now(timezone.utc), actor=actor, dry_run=args.dry_run)
    deleted, reduced = ("would be deleted", "would be reduced") if args.dry_run else ("deleted", "reduced")
    print(f"{counts['conversations']} chat(s) without a case ({counts['chat_events']} event(s)), "
          f"{counts['letters']} letter(s) and {counts['dead_letters']} dead letter(s) without a case {deleted}; "
          f"{counts['cases_reduced']} closed case(s) {reduced} to their minimal record.")


def show_settings(_args) -> None:
    for setting in settings.SETTINGS:
        value = os.environ.get(setting.env)
        shown = "(set)" if setting.secret and value else (value if value is not None else f"{setting.default} (default)")
        print(f"{setting.env}={shown}\n    {setting.help}")


if __name__ == "__main__":
    sys.exit(main())
