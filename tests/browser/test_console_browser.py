"""A member of staff in a real browser: sign in, find the case in the queue, claim it, note, fulfil.

Screenshots land in test-output/ (console-*.png) for a person to look at.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from playwright.sync_api import expect

from bot import cases, db
from bot.lifecycle import Status, transition
from bot.requests import Channel, RequestType
from tests.browser.conftest import AGENT, DPO, screenshot, sign_in

XSS = '<script>alert("pwned")</script><img src=x onerror=alert(2)>'
_phones = iter(range(100, 999))


def _verified_case(store: str, *, name="Jane Requester", email="jane@example.org", days_ago=3,
                   transcript_text="I would like the recording of my call on 3 March, please.") -> str:
    """A call-recording request whose requester proved email and phone: waiting in the DPO queue."""
    received = datetime.now(timezone.utc) - timedelta(days=days_ago)
    phone = f"+447700900{next(_phones)}"  # each its own requester: one person's requests join one case
    new = cases.NewRequest([RequestType.CALL_RECORDING], Channel.CHAT, name=name, email=email, phone=phone,
                           received_at=received,
                           details={"call_date": (received - timedelta(days=2)).date().isoformat(),
                                    "call_time": "14:30", "phone_number": phone})
    with db.session_scope(store) as session:
        case = cases.open_case(session, new).case
        cases.escalate(session, reason="The requester asked for a person", reference=case.reference,
                       transcript=[{"from": "requester", "text": transcript_text, "at": received.isoformat()},
                                   {"from": "assistant", "text": "I will pass this to our data-protection team.",
                                    "at": received.isoformat()}])
        case.verification_level = "email,phone"
        transition(session, case, Status.VERIFIED, actor="test")
        return case.reference


def test_staff_sign_in_find_the_case_claim_note_and_fulfil(staff_page, console_server):
    reference = _verified_case(console_server.store)
    _verified_case(console_server.store, name="Omar Older", email="omar@example.org", days_ago=27)
    sign_in(staff_page, console_server)
    row = staff_page.locator("tr", has=staff_page.get_by_role("link", name=reference))
    expect(row).to_contain_text("Copy of a call recording")
    expect(row.locator(".days")).to_have_class(re.compile("green"))
    screenshot(staff_page, "console-queue")

    staff_page.get_by_role("link", name=reference).click()
    expect(staff_page.get_by_role("heading", name=f"Case {reference}")).to_be_visible()
    staff_page.get_by_role("button", name="Claim this case").click()
    expect(staff_page.get_by_role("status")).to_have_text(f"Case {reference} claimed.")
    staff_page.get_by_label("Note for the audit trail").fill("Recording found: 14:31, 6 minutes.")
    staff_page.get_by_role("button", name="Add note").click()
    expect(staff_page.locator(".audit")).to_contain_text("Recording found: 14:31, 6 minutes.")
    screenshot(staff_page, "console-case")

    staff_page.get_by_label("What was done (told to the requester)").fill("Recording sent by secure link.")
    staff_page.get_by_role("button", name="Fulfil and close").click()
    expect(staff_page.get_by_role("status")).to_contain_text("fulfilled")
    expect(staff_page.locator(".badge.status")).to_have_text("Fulfilled")
    with db.session_scope(console_server.store) as session:
        trail = [(e.actor, e.action) for e in cases.get_case(session, reference).events]
    assert (DPO, "claimed") in trail and (DPO, "note") in trail and (DPO, "status_changed") in trail


def test_a_form_with_a_forged_token_is_refused(staff_page, console_server):
    reference = _verified_case(console_server.store, email="forged@example.org")
    sign_in(staff_page, console_server)
    staff_page.goto(f"{console_server.url}/console/cases/{reference}")
    staff_page.eval_on_selector_all("input[name=csrf_token]", "inputs => inputs.forEach(i => i.value = 'forged')")
    staff_page.get_by_label("Note for the audit trail").fill("should not be stored")
    staff_page.get_by_role("button", name="Add note").click()
    expect(staff_page.get_by_role("heading", name="This form was refused")).to_be_visible()
    expect(staff_page.get_by_role("alert")).to_contain_text("Nothing was changed")
    with db.session_scope(console_server.store) as session:
        assert "note" not in [e.action for e in cases.get_case(session, reference).events]


def test_what_a_requester_wrote_is_shown_as_text_and_never_runs(staff_page, console_server):
    dialogs = []
    staff_page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    reference = _verified_case(console_server.store, name=XSS, email="xss@example.org", transcript_text=XSS)
    sign_in(staff_page, console_server)
    staff_page.goto(f"{console_server.url}/console/cases/{reference}")
    expect(staff_page.locator(".transcript")).to_contain_text('<script>alert("pwned")</script>')
    expect(staff_page.locator("#h-requester + dl")).to_contain_text("<img src=x onerror=alert(2)>")
    assert staff_page.locator("main script, main img").count() == 0
    screenshot(staff_page, "console-case-escaped")
    assert dialogs == []


def test_an_agent_works_the_case_but_the_decision_is_the_dpos(staff_page, console_server):
    reference = _verified_case(console_server.store, email="agent-view@example.org")
    sign_in(staff_page, console_server, AGENT)
    staff_page.goto(f"{console_server.url}/console/cases/{reference}")
    expect(staff_page.get_by_role("button", name="Claim this case")).to_be_visible()
    expect(staff_page.get_by_role("button", name="Deny")).to_have_count(0)
    expect(staff_page.get_by_text("Only the DPO can extend the deadline")).to_be_visible()


def test_the_console_at_phone_width_and_with_the_keyboard(staff_phone, console_server):
    reference = _verified_case(console_server.store, email="phone@example.org")
    staff_phone.goto(f"{console_server.url}/console/login")
    expect(staff_phone.get_by_label("Name")).to_be_focused()  # the sign-in form is ready to type into
    staff_phone.keyboard.type(DPO)
    staff_phone.keyboard.press("Tab")
    staff_phone.keyboard.type("a long staff password")
    staff_phone.keyboard.press("Enter")
    staff_phone.wait_for_url("**/console/queue")
    staff_phone.keyboard.press("Tab")  # on every page the first stop skips the header
    expect(staff_phone.get_by_role("link", name="Skip to content")).to_be_focused()
    staff_phone.keyboard.press("Enter")
    expect(staff_phone.locator("main")).to_be_focused()
    assert staff_phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(staff_phone, "console-queue-phone")
    staff_phone.goto(f"{console_server.url}/console/cases/{reference}")
    assert staff_phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(staff_phone, "console-case-phone")


def test_the_dashboard_draws_its_charts(staff_page, console_server):
    _verified_case(console_server.store, email="dash@example.org", days_ago=12)
    sign_in(staff_page, console_server)
    staff_page.get_by_role("link", name="Dashboard").click()
    expect(staff_page.get_by_role("img", name="Open cases by status")).to_be_visible()
    expect(staff_page.get_by_role("img", name=re.compile("Requests per channel"))).to_be_visible()
    screenshot(staff_page, "console-dashboard")
