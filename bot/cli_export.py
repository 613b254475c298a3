"""`privacy-desk case export REF [--out DIR]`: the copy of a person's data for an access or portability case.

It writes one zip file (export.json and summary.html), the same package the console offers for download:
one file is what the DPO reviews, attaches or puts on a medium, and deletes afterwards, where a folder of
loose files is easily left behind or half copied. The file is written under a temporary name and renamed
when complete, readable by its owner only, and the export is recorded in the audit trail only once the
file is there.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bot import db, export
from bot.staff import Permission


def add_case_commands(sub, command, actor) -> None:
    parser = command(sub.add_parser("export", help="a zip of everything Privacy Desk holds about the requester "
                                    "of a verified access or portability case, for the DPO to review and send"),
                     "case export", export_case)
    parser.add_argument("reference")
    parser.add_argument("--out", default=".", metavar="DIR",
                        help="the folder to write the zip file into (default: the current folder)")
    actor(parser)


class FolderRefused(ValueError):
    """--out names no folder we can write the zip into; the message says which and what to do."""


def _cli():
    from bot import cli  # the shared helpers; imported late because bot.cli imports this module
    return cli


def export_case(args) -> None:
    folder = _folder(args.out)
    actor = _cli().actor_of(args, Permission.EXPORT_PERSONAL_DATA)
    with db.session_scope() as session:
        package = export.export_case(session, args.reference, actor=actor, via="cli")
        path = _write(folder, package)  # inside the transaction: no file, no export in the audit trail
    held = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in package.counts.items())
    print(f"Wrote {path} ({held}). Review it before you send it to the requester; nothing was sent.")


def _folder(out: str) -> Path:
    folder = Path(out).expanduser()
    if not folder.exists():
        raise FolderRefused(f"--out {out}: no such folder; create it first or choose another.")
    if not folder.is_dir():
        raise FolderRefused(f"--out {out} is a file, not a folder; give the folder to write the zip into.")
    return folder


def _write(folder: Path, package: export.Package) -> Path:
    target = folder / package.filename
    try:
        handle, partial = tempfile.mkstemp(dir=folder, prefix=".export-", suffix=".part")  # mode 0600
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(package.zip_bytes())
                file.flush()
                os.fsync(file.fileno())
            os.replace(partial, target)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise FolderRefused(f"Cannot write the export into {folder}: {exc.strerror or exc}. "
                              "Choose a folder you may write to with --out.") from None
    return target
