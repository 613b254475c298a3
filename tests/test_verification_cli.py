"""The staff commands for verification and the outbox: clear output, clear errors, an audit trail."""
from __future__ import annotations

import json
import re

import pytest

from bot import cases, db, outbox, verification
from bot.cli import main
from bot.models import OutboundEmail


@pytest.fixture(autouse=True)
def _secret(monkeypatch):
    monkeypatch.setenv("PRIVACY_DESK_SECRET_KEY", "test-secret-" + "c" * 40)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def open_case(capsys, *types, phone=None):
    extra = [a for t in types for a in ("--type", t)] + (["--phone", phone] if phone else [])
    code, out, err = run(capsys, "case", "open", "--email", "jane@example.org", "--channel", "post", "--json",
                         "--as", "alice", *extra)
    assert code == 0, err
    return json.loads(out)["reference"]


def events(reference):
    with db.session_scope() as session:
        return [(e.actor, e.action, e.data) for e in cases.get_case(session, reference).events]


def test_verify_document_records_who_and_what_was_seen(store, capsys):
    reference = open_case(capsys, "erasure")
    code, out, err = run(capsys, "case", "verify-document", reference, "--seen", "passport, last 4 digits 1234",
                         "--as", "alice")
    assert code == 0, err
    assert f"Case {reference}" in out and "status: verified" in out
    assert ("alice", "identity_verified", {"level": "document", "by": "staff",
                                           "seen": "passport, last 4 digits 1234"}) in events(reference)


def test_verify_document_without_words_is_refused_clearly(store, capsys):
    reference = open_case(capsys, "erasure")
    code, _, err = run(capsys, "case", "verify-document", reference, "--seen", " ", "--as", "alice")
    assert code == 1 and "which document" in err and "Traceback" not in err


def test_resend_code_stops_at_three_an_hour_with_a_time_to_come_back(store, capsys):
    reference = open_case(capsys, "erasure")
    for _ in range(3):
        assert run(capsys, "case", "resend-code", reference, "--as", "alice")[0] == 0
    code, _, err = run(capsys, "case", "resend-code", reference, "--as", "alice")
    assert code == 1 and "At most 3 codes an hour" in err and "UTC" in err
    assert [a for _, a, _ in events(reference)].count("verification_code_resent") == 3


def test_resend_code_can_lift_a_lock(store, capsys):
    reference = open_case(capsys, "erasure")
    run(capsys, "case", "resend-code", reference, "--as", "alice")
    with db.session_scope() as session:
        case = cases.get_case(session, reference)
        [email] = session.query(OutboundEmail).filter_by(kind="verification_code").all()
        code = re.search(r"\b\d{6}\b", outbox.opened_texts(session, email)[1]).group(0)
        for _ in range(5):
            verification.check_email_code(session, case, f"{(int(code) + 1) % 1_000_000:06d}")
    code, _, err = run(capsys, "case", "resend-code", reference, "--as", "alice")
    assert code == 1 and "locked" in err
    code, out, err = run(capsys, "case", "resend-code", reference, "--unlock", "--as", "alice")
    assert code == 0 and "unlocked" in out, err


def test_confirm_call_back_verifies_the_phone(store, capsys):
    reference = open_case(capsys, "access", phone="+44 7911 123456")
    code, out, _ = run(capsys, "case", "confirm-call-back", reference, "--as", "bob")
    assert code == 0 and "phone number verified" in out
    assert ("bob", "identity_verified", {"level": "phone", "by": "call_back"}) in events(reference)


def test_outbox_list_shows_emails_without_addresses_and_retry_requeues_a_failed_one(store, capsys):
    reference = open_case(capsys, "erasure")
    run(capsys, "case", "resend-code", reference, "--as", "alice")
    code, out, _ = run(capsys, "outbox", "list", "--json")
    [row] = json.loads(out)
    assert code == 0 and row["kind"] == "verification_code" and row["case"] == reference
    assert "jane@example.org" not in out and "jane@example.org" not in run(capsys, "outbox", "list")[1]
    code, _, err = run(capsys, "outbox", "retry", str(row["id"]), "--as", "alice")
    assert code == 1 and "No failed email" in err
    with db.session_scope() as session:
        email = session.get(OutboundEmail, row["id"])
        email.status = "failed"
    code, _, err = run(capsys, "outbox", "retry", str(row["id"]), "--as", "alice")
    assert code == 0, err
    with db.session_scope() as session:
        assert session.get(OutboundEmail, row["id"]).status == "queued"
