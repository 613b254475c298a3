"""A reply continues its case: by the thread headers, else by the reference in the subject when the
sender is the case's requester."""
from __future__ import annotations

from bot import cases
from bot.lifecycle import Status, transition
from bot.requests import Channel, RequestType
from mail_ingest import followup
from mail_ingest.intake import Source, take_in
from mail_ingest.models import InboundLetter
from mail_ingest.parse import parse
from mail_ingest.reading import Reader, one_by_one
from tests.mail.agent_standin import classify
from tests.mail.letters import OUR_ID, REFERENCE, case_we_wrote_to, fixture, letter

READER = Reader(classify=one_by_one(classify))


def test_in_reply_to_our_email_finds_the_case(session):
    case = case_we_wrote_to(session)
    assert followup.case_of(session, parse(fixture("reply_quoted_thread"))) is case


def test_references_alone_find_the_case_even_from_another_address(session):
    case = case_we_wrote_to(session)
    raw = letter("Partner <partner@example.net>", "Re: your question", "It was 14:00.", References=f"<a@b> {OUR_ID}")
    assert followup.case_of(session, parse(raw)) is case


def test_a_reply_to_a_letter_we_received_finds_its_case(store):
    first = letter("Kim <kim.example@example.org>", "Delete my data", "Please delete my data.")
    stored = take_in(first, Source(), READER)
    second = letter("Kim <kim.example@example.org>", "Re: Delete my data", "Also my old address.",
                    in_reply_to=parse(first).message_id)
    assert take_in(second, Source(), READER).case_reference == stored.case_reference


def test_reference_in_the_subject_counts_only_from_the_requester(session):
    case = case_we_wrote_to(session, email="robin.example@example.org")
    assert followup.case_of(session, parse(fixture("pdf_attachment"))) is case
    session.rollback()
    case_we_wrote_to(session, email="someone.else@example.org")
    assert followup.case_of(session, parse(fixture("pdf_attachment"))) is None


def test_reference_typed_with_other_separators_is_still_read(session):
    case = case_we_wrote_to(session)
    raw = letter("Jordan <JORDAN.EXAMPLE@example.org>", f"Re: case {REFERENCE.lower().replace('-', ' ')}", "14:00")
    assert followup.case_of(session, parse(raw)) is case


def test_unrelated_letter_finds_no_case(session):
    case_we_wrote_to(session)
    assert followup.case_of(session, parse(fixture("german_access"))) is None


def test_a_new_letter_after_the_case_was_closed_opens_a_new_case(store):
    from bot import db
    with db.session_scope(store) as session:
        case = case_we_wrote_to(session, request_type=RequestType.COMPLAINT)
        transition(session, case, Status.WITHDRAWN, actor="test")
    stored = take_in(fixture("reply_quoted_thread"), Source(), READER)
    assert stored.case_reference not in (None, REFERENCE)
    with db.session_scope(store) as session:
        new = cases.get_case(session, stored.case_reference)
        assert new.channel == Channel.EMAIL.value
        assert any(e.action == "note" and REFERENCE in e.reason for e in new.events)
        assert session.query(InboundLetter).one().case_id == new.id
