"""The case page: what staff see of a case, and every action on it, each landing in the audit trail."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot import cases, db
from bot.lifecycle import Status
from bot.models import Case, CaseEvent, OutboundEmail
from bot.requests import Channel, RequestType
from tests.test_console_support import (AGENT, DPO, ago, agent, app, client, dpo, events, in_review,  # noqa: F401
                                        open_case, post, staff_accounts, status_of)

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_the_case_page_shows_requester_requests_details_and_verification(dpo, staff_accounts):
    reference = open_case(staff_accounts, types=(RequestType.CALL_RECORDING,), phone="+447700900123",
                          details={"call_date": ago(3).date().isoformat(), "call_time": "14:00"})
    html = dpo.get(f"/console/cases/{reference}").text
    for text in ("Jane Requester", "jane@example.org", "+447700900123", "Copy of a call recording",
                 "call time", "14:00", "Still needed:", "Awaiting identity check"):
        assert text in html, text
    assert "Nothing about the requester's data may be disclosed" in html


def test_the_case_page_shows_the_chat_transcript_and_the_emails_sent(dpo, staff_accounts):
    reference = open_case(staff_accounts)
    with db.session_scope(staff_accounts) as session:
        cases.escalate(session, reason="asked for a person", reference=reference,
                       transcript=[{"from": "requester", "text": "I want my recording", "at": "2026-03-03T10:00"},
                                   {"from": "assistant", "text": "Which date was the call?", "at": "2026-03-03T10:01"}])
        cases.extend(session, reference, months=1, reason="Many recordings to review", actor=DPO)
    html = dpo.get(f"/console/cases/{reference}").text
    assert "Conversation with the assistant" in html and "asked for a person" in html
    assert html.index("I want my recording") < html.index("Which date was the call?")
    assert "We need more time to answer your request" in html and "To jane@example.org" in html


def test_notices_to_staff_are_not_part_of_the_requesters_email_thread(dpo, staff_accounts):
    from bot import outbox
    reference = open_case(staff_accounts)
    with db.session_scope(staff_accounts) as session:
        outbox.enqueue(session, case=cases.get_case(session, reference), kind="staff_new_case",
                       to="dpo@example.com", subject="New case", body_text="for staff")
    assert "dpo@example.com" not in dpo.get(f"/console/cases/{reference}").text


def test_everything_the_requester_wrote_is_shown_as_text(dpo, staff_accounts):
    reference = open_case(staff_accounts, name=XSS, details={"note": XSS})
    with db.session_scope(staff_accounts) as session:
        cases.escalate(session, reason=XSS, reference=reference,
                       transcript=[{"from": "requester", "text": XSS, "at": "2026-03-03T10:00"}])
    html = dpo.get(f"/console/cases/{reference}").text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert html.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") >= 4


def test_a_case_that_does_not_exist_is_a_plain_404(dpo):
    response = dpo.get("/console/cases/PD-ZZZZ-ZZZZ")
    assert response.status_code == 404 and "No case" in response.text


# ---- actions: each goes through bot/ and is in the audit trail under the staff member's name ----

def test_claim_assign_and_note(agent, staff_accounts):
    reference = open_case(staff_accounts)
    response = post(agent, f"/console/cases/{reference}/claim")
    assert response.status_code == 303 and response.headers["location"] == f"/console/cases/{reference}"
    assert f"Case {reference} claimed." in agent.get(response.headers["location"]).text
    post(agent, f"/console/cases/{reference}/assign", to=DPO)
    post(agent, f"/console/cases/{reference}/note", text="Called the requester back.\nLeft a message.")
    trail = events(staff_accounts, reference)
    assert (AGENT, "claimed", None) in trail
    assert (AGENT, "assigned", None) in trail
    assert (AGENT, "note", "Called the requester back.\nLeft a message.") in trail


def test_ask_the_requester_queues_an_email_and_waits_for_the_answer(agent, staff_accounts):
    reference = open_case(staff_accounts)
    in_review(staff_accounts, reference)
    post(agent, f"/console/cases/{reference}/ask", question="Which phone number did you call us from?")
    assert status_of(staff_accounts, reference) == Status.AWAITING_REQUESTER.value
    assert (AGENT, "information_requested", "Which phone number did you call us from?") in events(staff_accounts,
                                                                                                 reference)
    with db.session_scope(staff_accounts) as session:
        email = session.execute(select(OutboundEmail).where(OutboundEmail.kind == "information_request")).scalar_one()
        assert email.to_address == "jane@example.org" and reference in email.subject
        assert "Which phone number did you call us from?" in email.body_text


def test_asking_an_unclaimed_case_says_to_claim_it_first(agent, staff_accounts):
    reference = open_case(staff_accounts, types=(RequestType.COMPLAINT,))  # verified at once, not claimed
    response = post(agent, f"/console/cases/{reference}/ask", question="Anything?")
    assert response.status_code == 409 and "claim it first" in response.text
    assert "Anything?" in response.text  # what was typed is kept in the form


def test_mark_identity_verified_by_document(agent, staff_accounts):
    reference = open_case(staff_accounts, types=(RequestType.ERASURE,), email=None, phone="+447700900123")
    response = post(agent, f"/console/cases/{reference}/verify-document", seen="passport, last 4 digits 1234")
    assert response.status_code == 303, response.text
    with db.session_scope(staff_accounts) as session:
        case = cases.get_case(session, reference)
        assert "document" in case.verified_levels
        assert any(e.actor == AGENT and "passport, last 4 digits 1234" in str(e.data) for e in case.events)


def test_the_dpo_extends_fulfils_denies_and_withdraws(dpo, staff_accounts):
    extended, fulfilled, denied, withdrawn = (open_case(staff_accounts, email=f"{n}@example.org") for n in "abcd")
    for reference in (extended, fulfilled, denied):
        in_review(staff_accounts, reference)
    post(dpo, f"/console/cases/{extended}/extend", months="2", reason="Two years of recordings to review")
    post(dpo, f"/console/cases/{fulfilled}/fulfil", note="Recording sent by secure link")
    post(dpo, f"/console/cases/{denied}/deny", reason="The recording was erased after 12 months")
    post(dpo, f"/console/cases/{withdrawn}/withdraw", reason="Requester withdrew by phone")
    assert (DPO, "deadline_extended", "Two years of recordings to review") in events(staff_accounts, extended)
    assert [status_of(staff_accounts, r) for r in (fulfilled, denied, withdrawn)] == ["fulfilled", "denied",
                                                                                      "withdrawn"]
    for reference, reason in ((fulfilled, "Recording sent by secure link"),
                              (denied, "The recording was erased after 12 months"),
                              (withdrawn, "Requester withdrew by phone")):
        assert (DPO, "status_changed", reason) in events(staff_accounts, reference)


@pytest.mark.parametrize("action, fields", [("extend", {"months": "1", "reason": "complex"}),
                                            ("fulfil", {"note": "done"}), ("deny", {"reason": "no"}),
                                            ("withdraw", {"reason": "asked"})])
def test_an_agent_cannot_decide_a_case(agent, staff_accounts, action, fields):
    reference = open_case(staff_accounts)
    in_review(staff_accounts, reference)
    before = events(staff_accounts, reference)
    response = post(agent, f"/console/cases/{reference}/{action}", **fields)
    assert response.status_code == 403 and "Only the DPO can" in response.text
    assert events(staff_accounts, reference) == before and status_of(staff_accounts, reference) == "in_review"


def test_an_agent_sees_no_decision_buttons(agent, dpo, staff_accounts):
    reference = open_case(staff_accounts)
    assert "/deny" not in agent.get(f"/console/cases/{reference}").text
    assert "/deny" in dpo.get(f"/console/cases/{reference}").text


# ---- refusals from bot/ are messages on the page, never tracebacks ----

def test_fulfilling_a_case_not_yet_verified_explains_why_not(dpo, staff_accounts):
    reference = open_case(staff_accounts)
    response = post(dpo, f"/console/cases/{reference}/fulfil", note="typed text kept")
    assert response.status_code == 409
    assert "cannot become fulfilled" in response.text and "typed text kept" in response.text


def test_claiming_a_claimed_case_names_who_has_it(dpo, staff_accounts):
    reference = open_case(staff_accounts)
    in_review(staff_accounts, reference)
    response = post(dpo, f"/console/cases/{reference}/claim")
    assert response.status_code == 409 and "already claimed by Alex Agent" in response.text


def test_an_extension_the_law_does_not_allow_is_refused_with_the_reason(dpo, staff_accounts):
    reference = open_case(staff_accounts, received_at=ago(40))
    in_review(staff_accounts, reference)
    response = post(dpo, f"/console/cases/{reference}/extend", months="1", reason="late")
    assert response.status_code == 422 and "within the first month" in response.text


def test_assigning_to_someone_who_is_not_staff_is_refused(dpo, staff_accounts):
    reference = open_case(staff_accounts)
    response = post(dpo, f"/console/cases/{reference}/assign", to="Mallory")
    assert response.status_code == 422 and "not an active staff member" in response.text


# ---- hostile and huge form values ----

@pytest.mark.parametrize("fields, status, message", [
    ({"text": ""}, 422, "The note is required"),
    ({"text": "x" * 5001}, 422, "at most 5000 fit"),
    ({"text": "bell\x07"}, 400, "control characters"),
    ({"text": "nul\x00byte"}, 400, "control characters"),
])
def test_bad_note_values_get_a_clear_page_and_nothing_is_stored(dpo, staff_accounts, fields, status, message):
    reference = open_case(staff_accounts)
    before = events(staff_accounts, reference)
    response = post(dpo, f"/console/cases/{reference}/note", **fields)
    assert response.status_code == status and message in response.text
    assert f'href="/console/cases/{reference}"' in response.text  # a way back to the case
    assert events(staff_accounts, reference) == before


def test_a_huge_body_is_refused_before_it_is_read(dpo, staff_accounts):
    reference = open_case(staff_accounts)
    response = post(dpo, f"/console/cases/{reference}/note", text="x" * 200_000)
    assert response.status_code == 413 and "too large" in response.text


def test_only_plain_forms_are_accepted(dpo, staff_accounts):
    reference = open_case(staff_accounts)
    response = dpo.post(f"/console/cases/{reference}/note", json={"text": "x"})
    assert response.status_code == 415
    response = dpo.post(f"/console/cases/{reference}/note", content=b"text=%ff%fe",
                        headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 400 and "UTF-8" in response.text


def test_a_month_that_is_not_offered_is_refused(dpo, staff_accounts):
    reference = open_case(staff_accounts)
    response = post(dpo, f"/console/cases/{reference}/extend", months="12", reason="x")
    assert response.status_code == 422 and "choose one of 1, 2" in response.text


def test_a_note_with_markup_is_stored_as_typed_and_shown_as_text(dpo, staff_accounts):
    reference = open_case(staff_accounts)
    post(dpo, f"/console/cases/{reference}/note", text=XSS)
    assert (DPO, "note", XSS) in events(staff_accounts, reference)
    html = dpo.get(f"/console/cases/{reference}").text
    assert XSS not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_actions_on_a_case_reference_typed_oddly_reach_the_case(dpo, staff_accounts):
    reference = open_case(staff_accounts)
    response = post(dpo, f"/console/cases/{reference.lower()}/note", text="lower-case reference")
    assert response.headers["location"] == f"/console/cases/{reference}"
    with db.session_scope(staff_accounts) as session:
        case = session.execute(select(Case).where(Case.reference == reference)).scalar_one()
        assert session.execute(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                       CaseEvent.action == "note")).scalar_one()


def test_opening_a_case_page_is_recorded_once_an_hour_for_each_member_of_staff(dpo, agent, staff_accounts):
    reference = open_case(staff_accounts)
    for reader in (dpo, dpo, agent):
        assert reader.get(f"/console/cases/{reference}").status_code == 200
    with db.session_scope(staff_accounts) as session:
        viewers = session.execute(select(CaseEvent.actor).join(Case).where(
            Case.reference == reference, CaseEvent.action == "viewed").order_by(CaseEvent.id)).scalars().all()
    assert viewers == [DPO, AGENT]
