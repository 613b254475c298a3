"""Identity verification rules, as a requester and the DPO would notice them: codes, their limits, links,
phone, documents, and the case reaching the DPO queue only once the policy is satisfied."""
from __future__ import annotations

import hmac
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot import cases, challenges, db, outbox, verification
from bot.lifecycle import Status
from bot.models import CaseEvent, OutboundEmail, utcnow
from bot.requests import Channel, RequestType
from bot.verification import CodeCheck, ResendLimit, VerificationLocked

EMAIL, PHONE = "jane@example.org", "+447700900123"


@pytest.fixture(autouse=True)
def _secret(monkeypatch):
    monkeypatch.setenv("PRIVACY_DESK_SECRET_KEY", "test-secret-" + "k" * 40)
    monkeypatch.setenv("PRIVACY_DESK_DPO_EMAIL", "dpo@company.example")


def new_case(session, *types, email=EMAIL, phone=None, language="en"):
    new = cases.NewRequest([RequestType(t) for t in types], Channel.CHAT, language=language, name="Jane Doe",
                           email=email, phone=phone)
    return cases.open_case(session, new).case


def rows(session, kind, case=None):
    query = select(OutboundEmail).where(OutboundEmail.kind == kind).order_by(OutboundEmail.id)
    if case is not None:
        query = query.where(OutboundEmail.case_id == case.id)
    return list(session.execute(query).scalars())


def last_code(session, case, kind="verification_code"):
    """The code as the requester reads it in the newest message (the store itself only holds it sealed)."""
    _, body, _ = outbox.opened_texts(session, rows(session, kind, case)[-1])
    return re.search(r"\b(\d{6})\b", body).group(1)


def last_link_token(session, case):
    _, body, _ = outbox.opened_texts(session, rows(session, "verification_code", case)[-1])
    return re.search(r"/verify/(\S+)", body).group(1)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def actions(case):
    return [e.action for e in case.events]


def test_email_code_verifies_an_erasure_and_hands_it_to_the_dpo(session):
    case = new_case(session, "erasure")
    assert verification.start(session, case) == ["email"]
    email = rows(session, "verification_code", case)[0]
    assert email.to_address == EMAIL and case.reference in email.subject
    result = verification.check_email_code(session, case, last_code(session, case))
    assert result == CodeCheck(ok=True, tries_left=5)
    assert case.status == Status.VERIFIED.value and case.verified_levels == {"email"}
    assert {"identity_verified", "handed_off"} <= set(actions(case))
    assert [e.to_address for e in rows(session, "staff_new_case", case)] == ["dpo@company.example"]


def test_code_is_six_digits_and_valid_for_fifteen_minutes(session):
    t0 = utcnow()
    case = new_case(session, "erasure")
    verification.issue_email_code(session, case, now=t0)
    code = last_code(session, case)
    assert re.fullmatch(r"\d{6}", code)
    assert verification.check_email_code(session, case, code, now=t0 + timedelta(minutes=15)) == \
        CodeCheck(ok=False, tries_left=5, expired=True)
    assert case.status == Status.AWAITING_VERIFICATION.value
    assert verification.check_email_code(session, case, code, now=t0 + timedelta(minutes=14, seconds=59)).ok


def test_expired_code_costs_no_try_and_a_new_one_works(session):
    t0 = utcnow()
    case = new_case(session, "erasure")
    verification.issue_email_code(session, case, now=t0)
    late = t0 + timedelta(minutes=20)
    assert verification.check_email_code(session, case, "000000", now=late).expired
    verification.issue_email_code(session, case, now=late)
    assert verification.check_email_code(session, case, last_code(session, case), now=late).ok


def test_five_wrong_codes_lock_the_check_and_tell_staff(session):
    t0 = utcnow()
    case = new_case(session, "erasure")
    verification.issue_email_code(session, case, now=t0)
    code = last_code(session, case)
    left = [verification.check_email_code(session, case, wrong(code), now=t0).tries_left for _ in range(4)]
    assert left == [4, 3, 2, 1]
    assert verification.check_email_code(session, case, wrong(code), now=t0) == \
        CodeCheck(ok=False, tries_left=0, locked=True)
    # Locked means locked: even the right code is refused now, and no new code is sent.
    assert verification.check_email_code(session, case, code, now=t0).locked
    with pytest.raises(VerificationLocked):
        verification.issue_email_code(session, case, now=t0)
    assert case.status == Status.AWAITING_VERIFICATION.value
    assert actions(case).count("verification_failed") == 4 and actions(case).count("verification_locked") == 1
    [alert] = rows(session, "staff_verification_locked", case)
    assert alert.to_address == "dpo@company.example" and "email address" in alert.body_text


def test_staff_can_lift_a_lock_and_the_requester_gets_fresh_tries(session):
    t0 = utcnow()
    case = new_case(session, "erasure")
    verification.issue_email_code(session, case, now=t0)
    for _ in range(5):
        verification.check_email_code(session, case, wrong(last_code(session, case)), now=t0)
    assert verification.unlock(session, case, level="email", staff="alice")
    verification.issue_email_code(session, case, now=t0)
    assert verification.check_email_code(session, case, wrong(last_code(session, case)), now=t0).tries_left == 4
    assert verification.check_email_code(session, case, last_code(session, case), now=t0).ok
    assert any(e.action == "verification_unlocked" and e.actor == "alice" for e in case.events)


def test_asking_for_a_new_code_does_not_buy_new_guesses(session):
    t0 = utcnow()
    case = new_case(session, "erasure")
    verification.issue_email_code(session, case, now=t0)
    for _ in range(3):
        verification.check_email_code(session, case, wrong(last_code(session, case)), now=t0)
    verification.issue_email_code(session, case, now=t0 + timedelta(minutes=1))
    assert verification.check_email_code(session, case, wrong(last_code(session, case)),
                                         now=t0 + timedelta(minutes=1)).tries_left == 1


def test_a_new_code_replaces_the_old_one(session):
    t0 = utcnow()
    case = new_case(session, "erasure")
    verification.issue_email_code(session, case, now=t0)
    first = last_code(session, case)
    verification.issue_email_code(session, case, now=t0)
    if last_code(session, case) != first:
        assert not verification.check_email_code(session, case, first, now=t0).ok
    assert verification.check_email_code(session, case, last_code(session, case), now=t0).ok


def test_at_most_three_codes_an_hour(session):
    t0 = utcnow()
    case = new_case(session, "erasure")
    for minute in range(3):
        verification.issue_email_code(session, case, now=t0 + timedelta(minutes=minute))
    with pytest.raises(ResendLimit) as refused:
        verification.issue_email_code(session, case, now=t0 + timedelta(minutes=30))
    assert refused.value.retry_at == t0 + timedelta(hours=1)
    verification.issue_email_code(session, case, now=t0 + timedelta(hours=1, seconds=1))
    assert len(rows(session, "verification_code", case)) == 4


def test_typed_codes_are_read_generously_and_slips_cost_no_try(session):
    t0 = utcnow()
    case = new_case(session, "erasure")
    verification.issue_email_code(session, case, now=t0)
    code = last_code(session, case)
    assert verification.check_email_code(session, case, code[:5], now=t0) == \
        CodeCheck(ok=False, tries_left=5, malformed=True)
    assert "verification_failed" not in actions(case)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    for typed in (full_width, f"{code[:3]} {code[3:]}", f"{code[:3]}-{code[3:]}", f" {code}\n"):
        assert challenges.normalise_code(typed) == code
    assert verification.check_email_code(session, case, f" {code[:3]}-{code[3:]} ", now=t0).ok


def test_the_comparison_is_constant_time(session, monkeypatch):
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)
    monkeypatch.setattr(hmac, "compare_digest", spy)
    case = new_case(session, "erasure")
    verification.issue_email_code(session, case)
    verification.check_email_code(session, case, "12345x")
    verification.check_email_code(session, case, last_code(session, case))
    assert len(calls) == 2 and all(len(a) == len(b) == 64 for a, b in calls)


def test_the_link_works_once(session):
    case = new_case(session, "rectification")
    verification.start(session, case)
    token = last_link_token(session, case)
    assert verification.redeem_link_token(session, token) is case
    assert case.status == Status.VERIFIED.value
    assert verification.redeem_link_token(session, token) is None
    assert verification.redeem_link_token(session, "not-a-token") is None


def test_the_link_expires_with_the_code_and_dies_when_the_code_is_used(session):
    t0 = utcnow()
    first, second = new_case(session, "erasure"), new_case(session, "objection", email="joe@example.org")
    verification.issue_email_code(session, first, now=t0)
    assert verification.redeem_link_token(session, last_link_token(session, first),
                                          now=t0 + timedelta(minutes=15)) is None
    verification.issue_email_code(session, second, now=t0)
    verification.check_email_code(session, second, last_code(session, second), now=t0)
    assert verification.redeem_link_token(session, last_link_token(session, second), now=t0) is None


@pytest.mark.parametrize("types, email, phone, first", [
    (["erasure"], EMAIL, None, ["email"]),
    (["withdraw_consent", "objection"], EMAIL, PHONE, ["email"]),
    (["erasure"], None, PHONE, ["document"]),
    (["access"], EMAIL, PHONE, ["email"]),
    (["call_recording"], EMAIL, None, ["email"]),
    (["access"], None, PHONE, []),
    (["complaint"], EMAIL, None, []),
])
def test_what_start_asks_for_follows_the_policy(session, types, email, phone, first):
    case = new_case(session, *types, email=email, phone=phone)
    assert verification.start(session, case) == first
    assert verification.start(session, case) == first  # idempotent: no second code, no second task
    assert len(rows(session, "verification_code", case)) == (1 if first == ["email"] else 0)


def test_a_complaint_needs_no_proof_and_goes_straight_to_the_queue(session):
    case = new_case(session, "complaint")
    assert verification.start(session, case) == []
    assert case.status == Status.VERIFIED.value
    assert [e.data for e in case.events if e.action == "handed_off"] == [{"reason": "no_verification_needed"}]


def test_access_needs_email_then_phone(session):
    case = new_case(session, "access", phone=PHONE)
    verification.start(session, case)
    after_email = verification.check_email_code(session, case, last_code(session, case))
    assert after_email.ok and after_email.next_levels == ("phone",)
    assert case.status == Status.AWAITING_VERIFICATION.value  # email alone is not enough to disclose data
    [sms] = rows(session, "sms_dev", case)
    assert sms.to_address == PHONE and sms.status == "logged" and "⟦code⟧" in sms.body_text
    assert verification.check_phone_code(session, case, last_code(session, case, "sms_dev")).ok
    assert case.status == Status.VERIFIED.value and case.verified_levels == {"email", "phone"}


def test_access_without_a_phone_asks_for_a_document_checked_by_staff(session):
    case = new_case(session, "access")
    verification.start(session, case)
    result = verification.check_email_code(session, case, last_code(session, case))
    assert result.next_levels == ("document",)
    assert len(rows(session, "document_requested", case)) == 1
    [task] = rows(session, "staff_task", case)
    assert "identity document" in task.body_text and "Jane" not in task.body_text
    assert verification.mark_document_verified(session, case, staff="alice", seen="passport, last 4 digits 1234")
    assert case.status == Status.VERIFIED.value
    [event] = [e for e in case.events if e.action == "identity_verified" and e.data["level"] == "document"]
    assert event.actor == "alice" and event.data["seen"] == "passport, last 4 digits 1234" and event.at


def test_a_document_check_needs_words_and_an_open_case(session):
    case = new_case(session, "erasure")
    with pytest.raises(ValueError, match="which document"):
        verification.mark_document_verified(session, case, staff="alice", seen="  ")
    cases.withdraw(session, case.reference, actor="alice")
    with pytest.raises(ValueError, match="closed"):
        verification.mark_document_verified(session, case, staff="alice", seen="passport")


def test_no_email_address_means_a_task_for_staff(session):
    case = new_case(session, "access", email=None, phone=PHONE)
    assert verification.start(session, case) == []
    assert [e.data for e in case.events if e.action == "task_opened"] == [{"task": "email_address_needed"}]


def test_a_pluggable_phone_sender_gets_the_text_and_the_code_apart(session):
    sent = []

    class Gateway:
        def send(self, session, case, *, to, text, sealed, valid_until):
            sent.append((to, text, sealed, valid_until))
    case = new_case(session, "access", phone=PHONE, language="de")
    verification.issue_phone_code(session, case, sender=Gateway())
    [(to, text, sealed, valid_until)] = sent
    assert to == PHONE and "Bestätigungscode" in text and "⟦code⟧" in text and re.fullmatch(r"\d{6}", sealed["code"])
    assert verification.check_phone_code(session, case, sealed["code"]).ok
    assert rows(session, "sms_dev", case) == []


def test_a_call_back_is_a_task_and_staff_confirm_the_number(session):
    case = new_case(session, "access", phone=PHONE)
    verification.check_email_code(session, case, "000000")  # nothing issued yet: nothing to check
    verification.start(session, case)
    verification.check_email_code(session, case, last_code(session, case))
    assert verification.request_call_back(session, case)
    assert not verification.request_call_back(session, case)  # one task, not two
    assert len(rows(session, "staff_task", case)) == 1
    verification.confirm_call_back(session, case, staff="bob")
    assert case.status == Status.VERIFIED.value
    assert any(e.actor == "bob" and e.data.get("by") == "call_back" for e in case.events)


def test_unverified_cases_expire_as_withdrawn_after_thirty_days(session):
    now = utcnow()
    old, recent, escalated, verified = (new_case(session, "erasure", email=f"p{i}@example.org") for i in range(4))
    old.received_at = escalated.received_at = verified.received_at = now - timedelta(days=31)
    recent.received_at = now - timedelta(days=29)
    escalated.needs_human = True  # waiting on staff, not on the requester
    verification.start(session, verified)
    verification.check_email_code(session, verified, last_code(session, verified))
    assert verification.expire_unverified(session, now=now) == [old.reference]
    assert old.status == Status.WITHDRAWN.value and old.closed_at is not None
    assert "expired_unverified" in actions(old)
    assert {recent.status, escalated.status} == {Status.AWAITING_VERIFICATION.value}
    assert verification.check_email_code(session, old, "123456").expired


def test_expiry_follows_the_setting(session, monkeypatch):
    monkeypatch.setenv("PRIVACY_DESK_UNVERIFIED_EXPIRY_DAYS", "10")
    case = new_case(session, "erasure")
    case.received_at = utcnow() - timedelta(days=11)
    assert verification.expire_unverified(session) == [case.reference]


def test_only_hashes_are_stored_never_a_code_or_a_link(session, store):
    case = new_case(session, "access", phone=PHONE)
    verification.start(session, case)
    secrets_seen = {last_code(session, case), last_link_token(session, case)}
    verification.check_email_code(session, case, wrong(last_code(session, case)))
    verification.check_email_code(session, case, last_code(session, case))
    secrets_seen.add(last_code(session, case, "sms_dev"))
    session.commit()
    found = []
    for table, column, value in every_stored_value(session):
        found += [(table, column) for secret in secrets_seen if secret in value]
    assert found == []


def every_stored_value(session):
    from bot.schema import Base
    for table in Base.metadata.sorted_tables:
        for row in session.execute(table.select()).mappings():
            for column, value in row.items():
                if value is not None and not hasattr(value, "isoformat"):  # a code is never a date
                    yield table.name, column, str(value)


def test_the_audit_trail_shows_every_step_without_the_code(session):
    case = new_case(session, "erasure")
    verification.start(session, case)
    code = last_code(session, case)
    verification.check_email_code(session, case, wrong(code))
    verification.check_email_code(session, case, code)
    trail = session.execute(select(CaseEvent).where(CaseEvent.case_id == case.id)).scalars().all()
    assert [e.action for e in trail if e.action.startswith(("verification", "identity"))] == \
        ["verification_code_sent", "verification_failed", "identity_verified"]
    assert all(code not in str(e.data) + str(e.reason) for e in trail)


def test_the_server_secret_is_generated_once_with_owner_only_access(tmp_path, monkeypatch):
    from bot.secret import server_secret
    monkeypatch.setenv("PRIVACY_DESK_SECRET_KEY", "")
    path = tmp_path / "var" / "secret_key"
    first = server_secret(path)
    assert len(first) >= 32 and (path.stat().st_mode & 0o777) == 0o600
    assert server_secret(path) == first


def test_the_rules_hold_on_both_databases(any_store):
    """Counting, locking and the resend window rely on the database (atomic updates, time comparisons)."""
    t0 = utcnow()
    with db.session_scope(any_store) as session:
        locked, verified = new_case(session, "erasure"), new_case(session, "objection", email="joe@example.org")
        for minute in range(3):
            verification.issue_email_code(session, locked, now=t0 + timedelta(minutes=minute))
        with pytest.raises(ResendLimit):
            verification.issue_email_code(session, locked, now=t0 + timedelta(minutes=59))
        results = [verification.check_email_code(session, locked, wrong(last_code(session, locked)), now=t0)
                   for _ in range(5)]
        verification.start(session, verified)
        assert verification.redeem_link_token(session, last_link_token(session, verified)) is verified
    assert [r.tries_left for r in results] == [4, 3, 2, 1, 0] and results[-1].locked
    with db.session_scope(any_store) as session:
        assert cases.get_case(session, verified.reference).status == Status.VERIFIED.value
        assert cases.get_case(session, locked.reference).status == Status.AWAITING_VERIFICATION.value


def test_sealed_codes_are_purged_once_expired_unless_their_email_still_waits(session):
    from bot.verification_models import SealedPart
    case = new_case(session, "access", phone=PHONE)
    verification.start(session, case)             # an email waiting in the outbox
    verification.issue_phone_code(session, case)  # a development text message, never sent by email
    assert outbox.purge_sealed(session, utcnow()) == 0
    assert outbox.purge_sealed(session, utcnow() + timedelta(minutes=16)) == 1
    [kept] = session.execute(select(SealedPart)).scalars().all()
    assert kept.outbound_email_id == rows(session, "verification_code", case)[0].id
