"""The hand-off to the DPO: a notification per case that names no requester, the daily digest, and the
scheduler that sends it once a day and withdraws cases never verified."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot import cases, db, handoff, verification
from bot.lifecycle import Status
from bot.models import OutboundEmail, utcnow
from bot.requests import Channel, RequestType
from bot.scheduler import Scheduler

PERSONAL = ("Jane", "Doe", "jane@example.org", "+447700900123")


@pytest.fixture(autouse=True)
def _settings(monkeypatch):
    monkeypatch.setenv("PRIVACY_DESK_SECRET_KEY", "test-secret-" + "k" * 40)
    monkeypatch.setenv("PRIVACY_DESK_DPO_EMAIL", "dpo@company.example")
    monkeypatch.setenv("PRIVACY_DESK_PUBLIC_URL", "https://desk.example")


def new_case(session, *types, received=None, needs_human=False, email="jane@example.org", phone=None):
    new = cases.NewRequest([RequestType(t) for t in types], Channel.EMAIL, name="Jane Doe", email=email,
                           phone=phone, received_at=received or utcnow(), needs_human=needs_human)
    return cases.open_case(session, new).case


def staff_emails(session, kind):
    return list(session.execute(select(OutboundEmail).where(OutboundEmail.kind == kind)
                                .order_by(OutboundEmail.id)).scalars())


def test_a_new_case_in_the_queue_is_announced_without_personal_data(session):
    case = new_case(session, "complaint", phone="+447700900123")
    verification.start(session, case)
    [email] = staff_emails(session, "staff_new_case")
    assert email.to_address == "dpo@company.example" and case.reference in email.subject
    assert "complaint" in email.body_text and f"https://desk.example/console/cases/{case.reference}" in email.body_text
    assert "needs no proof of identity" in email.body_text
    assert not any(p in email.body_text + email.subject for p in PERSONAL)


def test_one_notification_per_case_and_reason(session):
    case = new_case(session, "complaint")
    verification.start(session, case)
    assert handoff.hand_off(session, case, reason="no_verification_needed") is None
    case.needs_human = True
    assert handoff.hand_off(session, case, reason="asked_for_human") is not None
    assert len(staff_emails(session, "staff_new_case")) == 2


def test_unverified_cases_stay_out_of_the_queue_unless_escalated(session):
    case = new_case(session, "access")
    with pytest.raises(ValueError, match="awaiting_verification"):
        handoff.hand_off(session, case, reason="verified")
    with pytest.raises(ValueError, match="hand-off reason"):
        handoff.hand_off(session, case, reason="Jane was upset")  # free text never reaches staff email
    escalated = new_case(session, "access", needs_human=True, email="joe@example.org")
    assert handoff.hand_off(session, escalated, reason="not_understood") is not None


def test_the_digest_lists_due_soon_overdue_and_unclaimed(session):
    now = utcnow()
    soon = new_case(session, "erasure", received=now - timedelta(days=26), email="a@example.org")
    late = new_case(session, "access", received=now - timedelta(days=40), email="b@example.org")
    waiting = new_case(session, "complaint", received=now - timedelta(days=1), email="c@example.org")
    verification.start(session, waiting)  # in the queue from now
    fine = new_case(session, "objection", received=now, email="d@example.org")
    email = handoff.daily_digest(session, now + timedelta(days=6))
    body = email.body_text
    due_soon, overdue, unclaimed = (body.split("\n\n")[i] for i in range(3))
    assert late.reference in overdue and late.reference not in due_soon
    assert waiting.reference in unclaimed and soon.reference not in unclaimed
    assert fine.reference not in body
    assert email.to_address == "dpo@company.example" and email.case_id is None
    assert not any(p in body for p in PERSONAL)
    cases.claim(session, waiting.reference, staff="alice")
    assert waiting.reference not in handoff.daily_digest(session, now + timedelta(days=6)).body_text.split("\n\n")[2]


def test_no_digest_when_nothing_needs_attention(session):
    new_case(session, "erasure")
    assert handoff.daily_digest(session, utcnow()) is None


def test_the_scheduler_sends_the_digest_once_a_day_after_its_time(store, monkeypatch):
    monkeypatch.setenv("PRIVACY_DESK_DIGEST_TIME", "08:00")
    monkeypatch.setenv("PRIVACY_DESK_DIGEST_TIMEZONE", "Europe/Paris")
    with db.session_scope(store) as session:
        verification.start(session, new_case(session, "complaint", received=utcnow() - timedelta(days=40)))
    day = datetime(2030, 6, 3, tzinfo=timezone.utc)  # Paris is UTC+2 in June: 08:00 there is 06:00 UTC
    scheduler, sent = Scheduler(store), []
    for moment in (day.replace(hour=5, minute=59), day.replace(hour=6), day.replace(hour=6, minute=1),
                   day.replace(hour=12), day.replace(hour=6) + timedelta(days=1)):
        scheduler.tick(moment)
        with db.session_scope(store) as session:
            sent.append(len(staff_emails(session, "staff_digest")))
    assert sent == [0, 1, 1, 1, 2]


def test_a_restarted_scheduler_sends_no_second_digest_the_same_day(store, monkeypatch):
    monkeypatch.setenv("PRIVACY_DESK_DIGEST_TIME", "00:00")
    monkeypatch.setenv("PRIVACY_DESK_DIGEST_TIMEZONE", "UTC")
    with db.session_scope(store) as session:
        verification.start(session, new_case(session, "complaint", received=utcnow() - timedelta(days=40)))
    Scheduler(store).tick()
    Scheduler(store).tick()  # a new process: only the outbox remembers that today's digest went out
    with db.session_scope(store) as session:
        assert len(staff_emails(session, "staff_digest")) == 1


def test_the_scheduler_withdraws_unverified_cases_every_hour(store):
    with db.session_scope(store) as session:
        reference = new_case(session, "erasure", received=utcnow() - timedelta(days=31)).reference
    Scheduler(store).tick()
    with db.session_scope(store) as session:
        assert cases.get_case(session, reference).status == Status.WITHDRAWN.value
