"""Abuse of verification through the doors a stranger can reach: the chat's status check (guessing a code,
asking again and again for codes, trying other people's references) and the /verify/<token> page. What the
core rules already prove (tests/test_verification.py) is not repeated; here they are tried from outside."""
from __future__ import annotations

import logging
import re
import secrets

import pytest
from sqlalchemy import func, select, update
from starlette.testclient import TestClient

from actions.status import ValidateStatusForm
from bot import cases, db, outbox, verification
from bot.console.app import create_app
from bot.models import OutboundEmail, utcnow
from bot.requests import Channel, RequestType
from bot.verification_models import VerificationChallenge
from tests.test_actions import run
from tests.test_actions_case import issue_code, open_erasure, secret, status_tracker  # noqa: F401 - fixture
from tests.test_verify_page import _status

pytestmark = pytest.mark.personal_data_free_logs


def codes_sent(store) -> int:
    with db.session_scope(store) as session:
        return session.execute(select(func.count()).select_from(OutboundEmail)
                               .where(OutboundEmail.kind == "verification_code")).scalar_one()


def ask_status(reference: str) -> tuple[dict, list]:
    return run(ValidateStatusForm(), status_tracker(reference, "status_reference"))


def try_code(reference: str, code: str, tries: int) -> dict:
    slots, _ = run(ValidateStatusForm(), status_tracker(code, "status_code", status_reference=reference,
                                                        status_tries=tries))
    return slots


def test_guessing_a_status_code_locks_the_check_and_then_even_the_right_code_is_refused(store):
    reference = open_erasure(store)
    code = issue_code(store, reference)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    results = []
    for _ in range(3):  # the person starts the status check again and again, five tries each time
        slots, _ = ask_status(reference)
        tries = slots["status_tries"]
        while tries:
            slots = try_code(reference, wrong, tries)
            tries = slots.get("status_tries")
        results.append(slots["status_result"])
    assert results == ["not_confirmed"] * 3
    assert try_code(reference, code, 5)["status_result"] == "not_confirmed"
    assert _status(store, reference) == "awaiting_verification"


def test_asking_again_and_again_sends_at_most_three_codes_and_always_the_same_answer(store, caplog):
    caplog.set_level(logging.INFO)
    reference = open_erasure(store)
    before = codes_sent(store)
    answers = {str(ask_status(reference)) for _ in range(10)}
    assert len(answers) == 1 and codes_sent(store) - before <= 3


def test_other_peoples_references_and_made_up_ones_get_the_same_answer_and_no_code_reaches_the_prober(store):
    real = open_erasure(store)
    made_up = "PD-" + "".join(secrets.choice("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(4)) + "-ZZZZ"
    answers = []
    for reference in (real, made_up):
        slots, said = ask_status(reference)
        answers.append((slots["status_tries"], [(r, {k: v.replace(reference, "REF") for k, v in f.items()})
                                                for r, f in said]))
    assert answers[0] == answers[1]
    with db.session_scope(store) as session:  # the code goes to the case's own address, never anywhere else
        assert set(session.execute(select(OutboundEmail.to_address)
                                   .where(OutboundEmail.kind == "verification_code")).scalars()) == \
            {"jane@example.org"}


def case_with_link(store, email: str) -> tuple[str, str]:
    """A new erasure case from `email` and the confirmation link its verification email carries."""
    with db.session_scope(store) as session:
        case = cases.open_case(session, cases.NewRequest([RequestType.ERASURE], Channel.CHAT, email=email)).case
        verification.start(session, case)
        session.flush()
        [sent] = session.execute(select(OutboundEmail).where(OutboundEmail.case_id == case.id,
                                                             OutboundEmail.kind == "verification_code")).scalars()
        return case.reference, re.search(r"/verify/\S+", outbox.opened_texts(session, sent)[1]).group(0)


def test_an_unknown_a_used_and_an_expired_link_get_the_same_page(store):
    client = TestClient(create_app(store))
    _, used = case_with_link(store, "first.person@example.org")
    assert client.post(used).status_code == 200
    reference, expired = case_with_link(store, "second.person@example.org")
    with db.session_scope(store) as session:
        session.execute(update(VerificationChallenge).where(VerificationChallenge.state == "open")
                        .values(expires_at=utcnow()))
    pages = [client.post(link) for link in (used, expired, "/verify/" + secrets.token_urlsafe(32))]
    assert len({(page.status_code, page.text) for page in pages}) == 1 and pages[0].status_code == 410
    assert _status(store, reference) == "awaiting_verification"
