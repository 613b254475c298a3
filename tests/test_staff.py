"""Staff accounts and the permission table: who may decide a case, and how accounts are made and disabled."""
from __future__ import annotations

import io
import sys

import pytest

from bot import cli, db, staff
from bot.staff import Permission, Role
from bot.staff_models import StaffMember


def test_only_the_dpo_may_deny_extend_or_close():
    decisions = {Permission.DENY, Permission.EXTEND, Permission.FULFIL, Permission.WITHDRAW}
    assert all(staff.can(Role.DPO, p) for p in Permission)
    assert not any(staff.can(Role.AGENT, p) for p in decisions)
    assert staff.can("agent", Permission.WORK_CASES)
    assert not staff.can("agent", Permission.EXPORT_PERSONAL_DATA)


def test_an_unknown_role_may_do_nothing():
    assert not staff.can("superuser", Permission.WORK_CASES)
    with pytest.raises(staff.NotAllowed, match="Only the DPO can deny"):
        staff.require("agent", Permission.DENY)


def test_passwords_are_stored_as_argon2_hashes_and_checked(session):
    member = staff.add_staff(session, "Ana Lopez", "dpo", "correct horse battery")
    assert member.password_hash.startswith("$argon2id$")
    assert "correct horse" not in member.password_hash
    assert staff.verify_password(member, "correct horse battery")
    assert not staff.verify_password(member, "correct horse batterY")
    assert not staff.verify_password(None, "correct horse battery")


@pytest.mark.parametrize("name, password, message", [
    ("", "long enough password", "1 to 100 printable"),
    ("x" * 101, "long enough password", "1 to 100 printable"),
    ("tab\there", "long enough password", "printable"),
    ("Privacy-Desk", "long enough password", "assistant's own name"),
    ("Bob", "short", "at least 12"),
])
def test_names_and_passwords_are_checked(session, name, password, message):
    with pytest.raises(staff.StaffError, match=message):
        staff.add_staff(session, name, "agent", password)


def test_names_are_unique_whatever_their_case(session):
    staff.add_staff(session, "Ana Lopez", "agent", "long enough password")
    with pytest.raises(staff.StaffError, match="already a staff member"):
        staff.add_staff(session, "ana lopez", "dpo", "long enough password")


def test_disabled_staff_stay_on_record_and_the_last_dpo_cannot_be_disabled(session):
    staff.add_staff(session, "Ana Lopez", "dpo", "long enough password")
    staff.add_staff(session, "Bob Agent", "agent", "long enough password")
    with pytest.raises(staff.StaffError, match="only active DPO"):
        staff.disable_staff(session, "Ana Lopez")
    bob = staff.disable_staff(session, "bob agent")
    assert not bob.active and bob.disabled_at is not None
    assert staff.active_names(session) == ["Ana Lopez"]
    assert [m.name for m in staff.list_staff(session)] == ["Ana Lopez", "Bob Agent"]


def test_first_run_creates_one_dpo_and_prints_a_generated_password(session, monkeypatch):
    monkeypatch.delenv("PRIVACY_DESK_ADMIN_PASSWORD", raising=False)
    message = staff.ensure_admin(session)
    admin = staff.find(session, "admin")
    assert admin.role == "dpo"
    password = message.split("password ")[1].split(" ")[0]
    assert staff.verify_password(admin, password)
    assert staff.ensure_admin(session) is None  # only when there is no staff at all


def test_first_run_uses_the_configured_admin(session, monkeypatch):
    monkeypatch.setenv("PRIVACY_DESK_ADMIN_NAME", "Head of Privacy")
    monkeypatch.setenv("PRIVACY_DESK_ADMIN_PASSWORD", "configured password")
    assert "PRIVACY_DESK_ADMIN_PASSWORD" in staff.ensure_admin(session)
    assert staff.verify_password(staff.find(session, "head of privacy"), "configured password")


# ---- the CLI ----

def _cli(monkeypatch, capsys, argv, stdin=""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_adds_lists_and_disables_staff(store, monkeypatch, capsys):
    code, out, _ = _cli(monkeypatch, capsys, ["staff", "add", "Ana Lopez", "--role", "dpo", "--password-stdin"],
                        "a long enough password\n")
    assert code == 0 and "Added Ana Lopez (dpo)" in out
    _cli(monkeypatch, capsys, ["staff", "add", "Bob", "--role", "agent"], "another long password\n")
    code, out, _ = _cli(monkeypatch, capsys, ["staff", "list"])
    assert [line.split()[:2] for line in out.splitlines()] == [["Ana", "Lopez"], ["Bob", "agent"]]
    code, out, _ = _cli(monkeypatch, capsys, ["staff", "disable", "Bob"])
    assert code == 0 and "can no longer sign in" in out
    with db.session_scope(store) as session:
        assert staff.verify_password(staff.find(session, "Ana Lopez"), "a long enough password")
        assert not staff.find(session, "Bob").active


def test_cli_refuses_a_short_password_and_an_unknown_role(store, monkeypatch, capsys):
    code, _, err = _cli(monkeypatch, capsys, ["staff", "add", "Ana", "--role", "dpo", "--password-stdin"], "short\n")
    assert code == 1 and "at least 12 characters" in err
    with pytest.raises(SystemExit):
        _cli(monkeypatch, capsys, ["staff", "add", "Ana", "--role", "admin"], "a long enough password\n")
    with db.session_scope(store) as session:
        assert session.query(StaffMember).count() == 0


def test_cli_asks_twice_at_a_terminal_and_refuses_different_passwords(store, monkeypatch, capsys):
    answers = iter(["a long enough password", "a long enough passwort"])
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt: next(answers))
    monkeypatch.setattr(sys, "stdin", type("Tty", (io.StringIO,), {"isatty": lambda self: True})())
    assert cli.main(["staff", "add", "Ana", "--role", "dpo"]) == 1
    assert "passwords differ" in capsys.readouterr().err
