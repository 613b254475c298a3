"""A copy of everything Privacy Desk holds about a person, for an access or portability request, in one action.

The package is a zip of export.json (structured, for portability) and summary.html (for reading). It is for
the DPO to review and send: nothing leaves on its own, no email is queued. Every export is in the case's
audit trail (who, when, how much of each kind), never with the data itself.

Only a case whose requester proved their identity as the policy requires is exported: until then nobody
learns anything about the person's data.
"""
from __future__ import annotations

import io
import json
import logging
import zipfile
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot import cases, export_document, export_summary, person_records
from bot.audit import record
from bot.lifecycle import Status
from bot.models import Case, utcnow
from bot.requests import RequestType
from bot.verification_policy import is_satisfied

log = logging.getLogger("privacy_desk.export")

COPY_REQUESTS = frozenset({RequestType.ACCESS.value, RequestType.PORTABILITY.value})
NOTHING_TO_ANSWER = frozenset({Status.DENIED.value, Status.WITHDRAWN.value})
EXPORTED = "personal_data_exported"


class ExportRefused(ValueError):
    """The case cannot be exported; the message says why in one line."""


@dataclass(frozen=True)
class Package:
    reference: str
    created_at: datetime
    files: dict[str, bytes]     # export.json, summary.html
    counts: dict[str, int]

    @property
    def filename(self) -> str:
        return f"privacy-desk-export-{self.reference}-{self.created_at:%Y%m%d-%H%M%S}.zip"

    def zip_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, content in self.files.items():
                entry = zipfile.ZipInfo(name, date_time=self.created_at.timetuple()[:6])
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o600 << 16  # unpacked, readable by its owner only
                archive.writestr(entry, content)
        return buffer.getvalue()


def refusal(case: Case) -> str | None:
    """Why this case cannot be exported, in one line; None when it can."""
    if not COPY_REQUESTS & set(case.request_types):
        asked = ", ".join(case.request_types) or "nothing yet"
        return (f"Case {case.reference} asks for {asked}; only an access or portability request is answered "
                "with a copy of the person's data.")
    if not case.verified_levels or not is_satisfied(case.verified_levels, case.request_types):
        return (f"Case {case.reference} is not verified: the requester must prove their identity "
                "(email address and phone, or email address and a document) before their data is exported.")
    if case.status in NOTHING_TO_ANSWER:
        return f"Case {case.reference} is {case.status}: there is no request left to answer with a copy."
    return None


def export_case(session: Session, reference: str, *, actor: str, via: str) -> Package:
    """Build the package for the case and record the export on it (in the caller's transaction, so a package
    that could not be delivered, e.g. an unwritable folder, leaves no export in the audit trail).
    Raises cases.CaseNotFound or ExportRefused."""
    case = cases.get_case(session, reference)
    problem = refusal(case)
    if problem:
        raise ExportRefused(problem)
    package = build(case, person_records.find(session, case), utcnow())
    record(session, case, actor=actor, action=EXPORTED,
           data={"via": via, "file": package.filename, "counts": package.counts})
    log.info("case %s: personal data exported (%s)", case.reference, via)
    return package


def build(case: Case, records: person_records.PersonRecords, now: datetime) -> Package:
    doc = export_document.document(case, records, now)
    as_json = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    files = {"export.json": as_json.encode("utf-8"), "summary.html": export_summary.render(doc).encode("utf-8")}
    return Package(reference=case.reference, created_at=now, files=files, counts=export_document.counts(doc))
