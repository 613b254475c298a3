"""The link in a verification email: opening it changes nothing; the button confirms, once."""
import re

from sqlalchemy import select
from starlette.testclient import TestClient

from bot import cases, db, outbox, verification
from bot.cases import NewRequest
from bot.console.app import create_app
from bot.models import OutboundEmail
from bot.requests import Channel, RequestType


def _case_with_link(store) -> tuple[str, str]:
    with db.session_scope(store) as session:
        case = cases.open_case(session, NewRequest([RequestType.ERASURE], Channel.CHAT,
                                                   email="jane@example.org")).case
        verification.start(session, case)
        reference = case.reference
    with db.session_scope(store) as session:
        email = session.execute(select(OutboundEmail).where(OutboundEmail.kind != "staff_notification")).scalars()
        texts = [outbox.opened_texts(session, e)[1] for e in email]
    link = next(m.group(0) for t in texts if (m := re.search(r"/verify/\S+", t)))
    return reference, link


def _status(store, reference) -> str:
    with db.session_scope(store) as session:
        return cases.get_case(session, reference).status


def test_opening_the_link_changes_nothing_and_the_button_confirms_once(store):
    reference, link = _case_with_link(store)
    client = TestClient(create_app(store))
    page = client.get(link)
    assert page.status_code == 200 and "<form method=\"post\">" in page.text
    assert _status(store, reference) == "awaiting_verification"
    confirmed = client.post(link)
    assert confirmed.status_code == 200 and reference in confirmed.text
    assert _status(store, reference) == "verified"  # erasure needs only the email address
    again = client.post(link)
    assert again.status_code == 410 and "6-digit code" in again.text


def test_a_made_up_or_hostile_token_is_refused_plainly(store):
    client = TestClient(create_app(store))
    for token in ("nope", "x" * 5000, "<script>alert(1)</script>", "' OR 1=1 --"):
        response = client.post(f"/verify/{token}")
        assert response.status_code in (404, 410) and "Traceback" not in response.text
        assert "<script>alert" not in response.text
