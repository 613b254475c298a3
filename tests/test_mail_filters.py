"""Loop and abuse protection: which letters the assistant must not answer, and why."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from bot.models import OutboundEmail, utcnow
from mail_ingest import filters
from mail_ingest.parse import parse
from tests.mail.letters import case_we_wrote_to, fixture, letter


def reasons(session, raw: bytes) -> list[str]:
    return [f.reason for f in filters.screen(parse(raw), session)]


def test_a_persons_letter_passes_every_check(session):
    for name in ("german_access", "french_erasure", "html_only", "reply_quoted_thread", "pdf_attachment"):
        assert reasons(session, fixture(name)) == [], name


def test_out_of_office_is_not_answered(session):
    assert reasons(session, fixture("out_of_office")) == ["auto_submitted:auto-replied", "autoreply_header"]


def test_bounce_is_not_answered(session):
    assert reasons(session, fixture("bounce_dsn")) == ["auto_submitted:auto-replied", "empty_return_path",
                                                       "delivery_report", "robot_sender"]


@pytest.mark.parametrize("headers, reason", [
    ({"Auto_Submitted": "auto-generated"}, "auto_submitted:auto-generated"),
    ({"Precedence": "bulk"}, "precedence:bulk"),
    ({"Precedence": "junk"}, "precedence:junk"),
    ({"Precedence": "list"}, "precedence:list"),
    ({"List_Unsubscribe": "<mailto:leave@lists.example.org>"}, "mailing_list"),
    ({"X_Autorespond": "yes"}, "autoreply_header"),
    ({"X_Loop": "helpdesk@example.net"}, "autoreply_header"),
    ({"Return_Path": "<>"}, "empty_return_path"),
])
def test_machine_headers_stop_the_automatic_reply(session, headers, reason):
    found = filters.screen(parse(letter("Someone <someone@example.org>", "Hello", "Hi", **headers)), session)
    assert [f.reason for f in found] == [reason] and found[0].machine


def test_auto_submitted_no_is_a_person(session):
    assert reasons(session, letter("someone@example.org", "Hi", "Hello", Auto_Submitted="no")) == []


@pytest.mark.parametrize("sender", ["MAILER-DAEMON@mx.example.org", "postmaster@example.org",
                                    "noreply@shop.example.org", "no-reply@shop.example.org",
                                    "noreply-alerts@shop.example.org", "Privacy Desk <privacy@example.com>"])
def test_robots_and_ourselves_are_not_answered(session, sender):
    assert reasons(session, letter(sender, "Hello", "Hi")) in (["robot_sender"], ["from_ourselves"])


def test_a_letter_without_sender_address_goes_to_staff_as_a_persons_letter(session):
    [finding] = filters.screen(parse(b"Subject: delete my data\r\n\r\nplease\r\n"), session)
    assert finding == filters.Finding("no_sender_address", machine=False)


def test_our_own_message_coming_back_is_recognised_even_when_it_claims_auto_submitted_no(session):
    assert reasons(session, fixture("forged_own_message_id")) == []  # before we sent anything with that id
    case_we_wrote_to(session)
    assert reasons(session, fixture("forged_own_message_id")) == ["our_own_message"]


def test_reply_limit_counts_only_our_automatic_replies_of_the_last_hour(session, monkeypatch):
    case = case_we_wrote_to(session)
    address, now = "jordan.example@example.org", utcnow()

    def sent(kind="mail_reply", minutes_ago=1):
        session.add(OutboundEmail(case=case, kind=kind, language="en", message_id=f"<{uuid.uuid4().hex}@example.com>",
                                  to_address=address.upper(), subject="s",
                                  body_text="b", status="queued", attempts=0, next_attempt_at=now,
                                  created_at=now - timedelta(minutes=minutes_ago)))
        session.flush()

    for minutes in (1, 2, 3, 4):
        sent(minutes_ago=minutes)
    sent(minutes_ago=61)
    sent(kind="acknowledgement")
    assert not filters.reply_limit_reached(session, address, now=now, limit=5)
    sent(minutes_ago=5)
    assert filters.reply_limit_reached(session, address, now=now, limit=5)
