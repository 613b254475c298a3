"""`privacy-desk` end to end, as staff use it: clear output, clear errors, never a traceback."""
import json
import os
import subprocess
import sys
from datetime import date, timedelta

import pytest

from bot.cli import main


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def open_case(capsys, *extra) -> str:
    code, out, err = run(capsys, "case", "open", "--type", "access", "--email", "jane@example.org",
                         "--channel", "post", "--json", "--as", "alice", *extra)
    assert code == 0, err
    return json.loads(out)["reference"]


def test_open_then_queue_list_shows_the_case_due_in_one_month(store, capsys):
    reference = open_case(capsys)
    code, out, _ = run(capsys, "queue", "list", "--json")
    rows = json.loads(out)
    assert code == 0 and [r["reference"] for r in rows] == [reference]
    row = rows[0]
    assert set(row) >= {"reference", "request_types", "status", "channel", "language", "received_at", "due_at",
                        "days_left", "assignee"}
    assert row["request_types"] == ["access"] and row["channel"] == "post"
    assert 28 <= row["days_left"] <= 31
    assert "jane@example.org" not in out  # the queue shows no requester details


def test_queue_is_ordered_by_due_date_and_filters(store, capsys):
    late = open_case(capsys, "--received", (date.today() - timedelta(days=40)).isoformat())
    soon = open_case(capsys, "--received", (date.today() - timedelta(days=25)).isoformat(),
                     "--email", "other@example.org")
    fresh = open_case(capsys, "--email", "third@example.org")
    rows = json.loads(run(capsys, "queue", "list", "--json")[1])
    assert [r["reference"] for r in rows] == [late, soon, fresh]
    assert [r["reference"] for r in json.loads(run(capsys, "queue", "list", "--json", "--overdue")[1])] == [late]
    due_soon = json.loads(run(capsys, "queue", "list", "--json", "--due-within", "7")[1])
    assert [r["reference"] for r in due_soon] == [late, soon]
    assert json.loads(run(capsys, "queue", "list", "--json", "--status", "verified")[1]) == []
    code, out, _ = run(capsys, "queue", "list")
    assert code == 0 and "OVERDUE" in out and late in out


def test_extend_deny_fulfil_show_in_case_show(store, capsys):
    reference = open_case(capsys)
    assert run(capsys, "case", "extend", reference, "--months", "1", "--reason", "Many recordings to review",
               "--as", "dpo")[0] == 0
    case = json.loads(run(capsys, "case", "show", reference, "--json")[1])
    assert case["extension_months"] == 1 and case["extension_reason"] == "Many recordings to review"
    code, out, err = run(capsys, "case", "fulfil", reference, "--as", "dpo")
    assert code == 1 and "awaiting_verification and cannot become fulfilled" in err and "Traceback" not in err
    assert run(capsys, "case", "deny", reference, "--reason", "Identity could not be confirmed", "--as", "dpo")[0] == 0
    code, out, _ = run(capsys, "case", "show", reference)
    assert "status: denied" in out and "Identity could not be confirmed" in out
    assert "deadline_extended" in out and "Extended by 1 month(s)" in out


def test_claim_note_fulfil_lifecycle(store, capsys):
    code, out, _ = run(capsys, "case", "open", "--type", "complaint", "--name", "Jan Jansen", "--channel", "phone",
                       "--phone", "+31 20 123 4567", "--language", "nl", "--as", "agent1")
    reference = out.split()[2].rstrip(",")
    assert run(capsys, "case", "claim", reference, "--as", "agent1")[0] == 0
    assert run(capsys, "case", "note", reference, "Called back, explained the AP's role", "--as", "agent1")[0] == 0
    code, out, _ = run(capsys, "case", "fulfil", reference, "--note", "Authority contact given", "--as", "dpo")
    assert code == 0 and "fulfilled" in out
    case = json.loads(run(capsys, "case", "show", reference, "--json", "--as", "agent1")[1])
    assert case["requester"]["phone"] == "+31201234567"
    assert [e["action"] for e in case["events"]] == ["opened", "claimed", "status_changed", "note", "status_changed",
                                                      "notice_needs_post", "viewed"]
    code, _, err = run(capsys, "case", "claim", reference, "--as", "agent2")
    assert code == 1 and "closed cases cannot be claimed" in err


@pytest.mark.parametrize("argv, message", [
    (["case", "open", "--type", "nonsense", "--email", "a@example.org", "--channel", "post"], "Unknown request type"),
    (["case", "open", "--type", "access", "--email", "not-an-email", "--channel", "post"], "email address"),
    (["case", "open", "--type", "access", "--email", "a@example.org", "--channel", "fax"], "Unknown channel"),
    (["case", "open", "--type", "access", "--phone", "12", "--channel", "phone"], "phone number"),
    (["case", "open", "--type", "access", "--channel", "post"], "identify the requester"),
    (["case", "open", "--type", "access", "--name", "A", "--channel", "post", "--received", "31/01/2026"],
     "date like 2026-03-03"),
    (["case", "open", "--type", "access", "--name", "A", "--channel", "post", "--received", "2999-01-01"],
     "in the future"),
    (["case", "open", "--type", "call_recording", "--name", "A", "--channel", "post", "--detail", "call_date=yesterday"],
     "call_date must be a date"),
    (["case", "open", "--type", "access", "--name", "A", "--channel", "post", "--detail", "nokey"], "key=value"),
    (["case", "show", "PD-AAAA-AAAA"], "No case"),
    (["case", "show", "x" * 100_000], "No case"),
    (["case", "note", "PD-AAAA-AAAA", "hello", "--as", "a\nb"], "--as NAME"),
    (["case", "deny", "PD-AAAA-AAAA", "--reason", "r", "--as", "dpo"], "No case"),
    (["queue", "list", "--due-within", "-3"], "0 or more"),
])
def test_bad_input_gets_a_clear_one_line_error(store, capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 1
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert json.loads(run(capsys, "queue", "list", "--json")[1]) == []  # nothing was stored


def test_hostile_text_is_stored_as_text(store, capsys):
    reference = open_case(capsys, "--name", "Robert'); DROP TABLE cases;-- <script>alert(1)</script>")
    case = json.loads(run(capsys, "case", "show", reference, "--json")[1])
    assert case["requester"]["name"] == "Robert'); DROP TABLE cases;-- <script>alert(1)</script>"


def test_argument_errors_exit_2_with_usage(store, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["case", "extend", "PD-AAAA-AAAA", "--months", "5", "--reason", "x"])
    assert exit_.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_installed_command_has_help_on_every_command(store):
    commands = [[], ["case"], ["case", "open"], ["case", "show"], ["case", "claim"], ["case", "assign"],
                ["case", "note"], ["case", "extend"], ["case", "fulfil"], ["case", "deny"], ["case", "withdraw"],
                ["case", "split"], ["queue"], ["queue", "list"], ["db"], ["db", "upgrade"], ["settings"]]
    exe = os.path.join(os.path.dirname(sys.executable), "privacy-desk")
    for command in commands:
        result = subprocess.run([exe, *command, "--help"], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and "usage: privacy-desk" in result.stdout, command


def test_unreachable_database_is_a_clear_error(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("PRIVACY_DESK_DATABASE_URL", "postgresql+psycopg2://nobody@127.0.0.1:1/none")
    code, _, err = run(capsys, "queue", "list")
    assert code == 1 and "PRIVACY_DESK_DATABASE_URL" in err and "Traceback" not in err


def test_reading_a_case_is_in_its_audit_trail_once_an_hour_per_person(store, capsys):
    code, out, _ = run(capsys, "case", "open", "--type", "access", "--email", "jane@example.org", "--channel", "post",
                       "--as", "agent1")
    reference = out.split()[2].rstrip(",")
    for reader in ("agent1", "agent1", "dpo"):
        assert run(capsys, "case", "show", reference, "--as", reader)[0] == 0
    events = json.loads(run(capsys, "case", "show", reference, "--json", "--as", "dpo")[1])["events"]
    assert [(e["actor"], e["action"]) for e in events if e["action"] == "viewed"] == [("agent1", "viewed"),
                                                                                      ("dpo", "viewed")]


def test_once_staff_accounts_exist_the_named_actor_must_be_one_whose_role_allows_the_action(store, capsys):
    from bot import db, staff
    with db.session_scope(store) as session:
        staff.add_staff(session, "Ana Agent", "agent", "a long enough password")
        staff.add_staff(session, "Dana Officer", "dpo", "a long enough password")
    code, out, _ = run(capsys, "case", "open", "--type", "erasure", "--email", "jane@example.org", "--channel",
                       "post", "--as", "Ana Agent")
    reference = out.split()[2].rstrip(",")
    code, _, err = run(capsys, "case", "deny", reference, "--reason", "kept for tax law", "--as", "Ana Agent")
    assert code == 1 and err.count("\n") == 1 and "Only the DPO can deny a request" in err
    code, _, err = run(capsys, "case", "claim", reference, "--as", "Someone Else")
    assert code == 1 and "'Someone Else' is not an active staff account" in err
    assert run(capsys, "case", "claim", reference, "--as", "ana agent")[0] == 0  # names match as the console's do
    assert run(capsys, "case", "deny", reference, "--reason", "kept for tax law", "--as", "Dana Officer")[0] == 0
