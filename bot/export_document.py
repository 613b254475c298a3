"""A person's records as one structured document: what export.json holds and summary.html shows.

Keys are stable (a portability copy is read by programs), dates are ISO 8601 in UTC, and every text passes
through bot/withheld.py, so no verification code or link token reaches the package. The requests, their
details, the person's messages and letters are what they provided (GDPR Art. 20); the rest (the audit trail,
the assistant's answers, our emails) completes the copy of what is held (Art. 15).
"""
from __future__ import annotations

from datetime import datetime

from bot.chat_history import PERSON
from bot.models import Case, OutboundEmail
from bot.person_records import AuditEntry, PersonRecords
from bot.phone import SMS_DEV
from bot.withheld import withhold

FORMAT = "privacy-desk/personal-data-export"
VERSION = 1


def document(case: Case, records: PersonRecords, now: datetime) -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _iso(now),
        "request_reference": case.reference,
        "language": case.language,
        "person": _person(records),
        "cases": [_case(c) for c in records.cases],
        "conversations": _conversations(records),
        "letters_received": [_letter(letter) for letter in records.letters],
        "messages_sent": [_sent(email) for email in records.emails_sent],
        "audit_trail": [_audit(entry) for entry in records.audit_trail],
    }


def counts(doc: dict) -> dict[str, int]:
    """How much the package holds, by kind: what the audit trail records of an export (never the data)."""
    return {"cases": len(doc["cases"]), "requests": sum(len(c["requests"]) for c in doc["cases"]),
            "chat_messages": sum(len(c["messages"]) for c in doc["conversations"]),
            "letters_received": len(doc["letters_received"]), "messages_sent": len(doc["messages_sent"]),
            "audit_entries": len(doc["audit_trail"])}


def _person(records: PersonRecords) -> dict:
    names = sorted({c.requester_name for c in records.cases if c.requester_name})
    return {"names": [withhold(n) for n in names], "email": records.person.email, "phone": records.person.phone}


def _case(case: Case) -> dict:
    return {
        "reference": case.reference, "channel": case.channel, "language": case.language, "status": case.status,
        "received_at": _iso(case.received_at), "due_at": _iso(case.due_at), "closed_at": _iso(case.closed_at),
        "requester": {"name": withhold(case.requester_name) or None, "email": case.requester_email,
                      "phone": case.requester_phone},
        "identity_proven_by": sorted(case.verified_levels),
        "extension_months": case.extension_months or 0,
        "extension_reason": _text(case.extension_reason),
        "outcome_reason": _text(case.outcome_reason),
        "requests": [{"id": r.id, "type": r.request_type, "channel": r.channel,
                      "received_at": _iso(r.received_at), "details": _clean(r.details or {})}
                     for r in case.requests],
    }


def _conversations(records: PersonRecords) -> list[dict]:
    grouped: dict[str, list[dict]] = {}
    for message in records.chat:
        text = withhold(message.text, answering=message.asked_for) if message.speaker == PERSON \
            else withhold(message.text)
        grouped.setdefault(message.conversation_id, []).append(
            {"at": _iso(message.at), "from": "requester" if message.speaker == PERSON else "privacy_desk",
             "text": text})
    return [{"conversation_id": cid, "messages": messages} for cid, messages in grouped.items()]


def _letter(letter) -> dict:
    return {"case_reference": letter.case.reference if letter.case else None,
            "received_at": _iso(letter.received_at), "sent_at": _iso(letter.sent_at),
            "from": letter.from_address, "subject": withhold(letter.subject), "text": withhold(letter.body_text),
            "attachments": [{"name": withhold(str(a.get("name") or "")), "type": a.get("type"),
                             "size": a.get("size")} for a in letter.attachments or [] if isinstance(a, dict)]}


def _sent(email: OutboundEmail) -> dict:
    return {"case_reference": email.case.reference if email.case else None,
            "channel": "sms" if email.kind == SMS_DEV else "email", "kind": email.kind, "to": email.to_address,
            "subject": withhold(email.subject), "text": withhold(email.body_text), "status": email.status,
            "created_at": _iso(email.created_at), "sent_at": _iso(email.sent_at)}


def _audit(entry: AuditEntry) -> dict:
    return {"case_reference": entry.case_reference, "at": _iso(entry.at), "actor": entry.actor,
            "action": entry.action, "reason": _text(entry.reason), "details": _clean(entry.details),
            "transcript": [{"from": "requester" if line.get("from") == "requester" else "privacy_desk",
                            "text": withhold(str(line.get("text", ""))), "at": line.get("at")}
                           for line in entry.transcript]}


def _clean(value):
    """Every text inside details, however nested, with codes withheld."""
    if isinstance(value, str):
        return withhold(value)
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def _text(value: str | None) -> str | None:
    return withhold(value) if value else None


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
