"""The email channel of the assistant: a stored letter goes to the Rasa agent as a message of the
conversation its case belongs to, and what the agent says comes back as one threaded email in the outbox.

The agent is any callable taking an AgentMessage and returning Rasa's REST-channel reply list; the default
posts to Rasa's REST webhook. When it is down the letter waits (status to_answer) and is tried again;
after many failures a person is asked to answer. A requester never gets an error they cannot act on.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Callable

import httpx
from sqlalchemy import select, update

from bot import cases, db, outbox, settings
from bot.audit import SYSTEM, record
from bot.models import Case, utcnow
from mail_ingest import filters, reply
from mail_ingest.intake import conversation_of
from mail_ingest.models import ANSWERED, NEEDS_STAFF, NOT_ANSWERED, TO_ANSWER, InboundLetter
from mail_ingest.reading import what_to_read

log = logging.getLogger("privacy_desk.mail")

GIVE_UP_AFTER_ATTEMPTS = 12  # about seven hours of retries; then a person answers, the deadline is running
LONGEST_MESSAGE = 8000


class AssistantUnavailable(RuntimeError):
    """The assistant could not be asked; the letter waits and is tried again."""


@dataclass(frozen=True)
class AgentMessage:
    sender: str      # the conversation: one per case, so a reply continues it
    text: str
    metadata: dict


Agent = Callable[[AgentMessage], list]


def assistant_url() -> str:
    host = settings.get("rasa_host")
    host = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
    return f"http://{host}:{settings.get('rasa_port')}/webhooks/rest/webhook"


class RestWebhook:
    """Rasa's REST channel: POST {sender, message, metadata}, answered by a list of bot messages."""

    def __init__(self, url: str | None = None, timeout: float = 60.0):
        self.url = url or assistant_url()
        # One client for every letter: building one (its TLS context) costs more than a local request.
        self.client = httpx.Client(timeout=timeout)

    def __call__(self, message: AgentMessage) -> list:
        payload = {"sender": message.sender, "message": message.text, "metadata": message.metadata}
        try:
            response = self.client.post(self.url, json=payload)
        except httpx.HTTPError as exc:
            raise AssistantUnavailable(f"the assistant at {self.url} could not be reached "
                                       f"({type(exc).__name__})") from None
        if response.status_code != 200:
            raise AssistantUnavailable(f"the assistant at {self.url} answered HTTP {response.status_code}")
        try:
            replies = response.json()
        except ValueError:
            raise AssistantUnavailable(f"the assistant at {self.url} did not answer in JSON") from None
        if not isinstance(replies, list):
            raise AssistantUnavailable(f"the assistant at {self.url} did not answer with a list of messages")
        return [r for r in replies if isinstance(r, dict)]


@dataclass
class Answers:
    answered: list[int] = field(default_factory=list)
    waiting: list[int] = field(default_factory=list)
    for_staff: list[int] = field(default_factory=list)


def answer_due(agent: Agent, *, url: str | None = None, chunk: int = 100,
               keep_lease: Callable[[], None] = lambda: None) -> Answers:
    """Answer every letter waiting for the assistant, oldest first; stop at the first sign it is down.
    Each pass leaves every letter it saw answered, postponed or with staff, so the passes end."""
    answers = Answers()
    while True:
        with db.session_scope(url) as session:
            due = list(session.execute(
                select(InboundLetter.id).where(InboundLetter.status == TO_ANSWER,
                                               InboundLetter.next_answer_at <= utcnow())
                .order_by(InboundLetter.id).limit(chunk)).scalars())
        for letter_id in due:
            keep_lease()
            outcome = answer(letter_id, agent, url=url)
            if outcome != "done":
                getattr(answers, outcome).append(letter_id)
            if outcome == "waiting":
                return answers
        if len(due) < chunk:
            return answers


def answer(letter_id: int, agent: Agent, *, url: str | None = None) -> str:
    """answered | waiting | for_staff | done (someone else answered it)."""
    with db.session_scope(url) as session:
        letter = session.get(InboundLetter, letter_id)
        if letter is None or letter.status != TO_ANSWER:
            return "done"
        if filters.reply_limit_reached(session, letter.from_address, now=utcnow(),
                                       limit=settings.get_int("mail_reply_limit_per_hour")):
            _leave_to_staff(session, letter, NOT_ANSWERED, "reply_limit",
                            "The sender reached the hourly limit of automatic replies.")
            return "for_staff"
        message = message_for(letter, letter.case)
    try:
        replies = agent(message)
    except AssistantUnavailable as exc:
        return _postpone(letter_id, str(exc), url)
    except Exception as exc:  # noqa: BLE001 - whatever broke, the letter waits; it is never lost
        return _postpone(letter_id, f"the assistant failed ({type(exc).__name__})", url)
    with db.session_scope(url) as session:
        return _queue_reply(session, letter_id, replies)


def message_for(letter: InboundLetter, case: Case) -> AgentMessage:
    """The letter as a message of the case's email conversation, with what the poller already knows, so the
    assistant continues the case the letter opened and does not ask again for details the letter gave."""
    details = {"phone": case.requester_phone}
    for request in case.requests:
        if request.request_type == "call_recording":
            details.update({k: (request.details or {}).get(k) for k in ("call_date", "call_time")})
    metadata = {"channel": "email", "from_address": letter.from_address, "from_name": case.requester_name,
                "subject": letter.subject, "message_id": letter.message_id, "in_reply_to": letter.in_reply_to,
                "references": (letter.references or "").split(), "language": case.language,
                "detected_language": letter.language, "case_reference": case.reference,
                "request_types": letter.request_types, "details": {k: v for k, v in details.items() if v},
                "attachments": [a.get("name") for a in letter.attachments or []]}
    # Its own conversation per case: a letter must not step into a chat the person may still have open.
    return AgentMessage(sender=conversation_of(case), metadata=metadata,
                        text=what_to_read(letter.body_text, letter.subject)[:LONGEST_MESSAGE])


def _queue_reply(session, letter_id: int, replies: list) -> str:
    # Only one answer per letter, even if two workers got this far: the status moves once.
    won = session.execute(update(InboundLetter).where(InboundLetter.id == letter_id,
                                                      InboundLetter.status == TO_ANSWER)
                          .values(status=ANSWERED).execution_options(synchronize_session=False)).rowcount
    if not won:
        return "done"
    letter = session.get(InboundLetter, letter_id)
    session.refresh(letter)
    case = letter.case
    body = reply.compose(replies, case.language, case.reference)
    if body is None:
        _leave_to_staff(session, letter, NEEDS_STAFF, "assistant_silent",
                        "The assistant had nothing to say to this letter.")
        return "for_staff"
    email = outbox.enqueue(session, case=case, kind=filters.REPLY_KIND, to=letter.from_address,
                           subject=reply.subject(letter.subject, case.language), body_text=body,
                           language=case.language, in_reply_to=letter.message_id,
                           references=reply.references(letter.references, letter.message_id))
    session.flush()
    record(session, case, actor=SYSTEM, action="reply_queued", data={"letter": letter.id, "email": email.id})
    log.info("letter %s answered on case %s", letter.id, case.reference)
    return "answered"


def _postpone(letter_id: int, error: str, url: str | None) -> str:
    with db.session_scope(url) as session:
        letter = session.get(InboundLetter, letter_id)
        if letter is None or letter.status != TO_ANSWER:
            return "done"
        letter.answer_attempts += 1
        letter.last_error = error[:500]
        if letter.answer_attempts >= GIVE_UP_AFTER_ATTEMPTS:
            _leave_to_staff(session, letter, NEEDS_STAFF, "assistant_unavailable",
                            f"The assistant could not be reached for {letter.answer_attempts} attempts.")
            return "for_staff"
        letter.next_answer_at = utcnow() + timedelta(minutes=min(60, 2 ** (letter.answer_attempts - 1)))
    log.warning("letter %s waits for the assistant (attempt %s): %s", letter_id, letter.answer_attempts, error)
    return "waiting"


def _leave_to_staff(session, letter: InboundLetter, status: str, reason_code: str, reason: str) -> None:
    letter.status = status
    letter.no_reply_reasons = [*(letter.no_reply_reasons or []), reason_code]
    case = letter.case
    cases.escalate(session, reason=reason, reference=case.reference,
                   transcript=[{"from": "requester", "text": what_to_read(letter.body_text, letter.subject)[:4000],
                                "at": letter.received_at.isoformat()}])
    log.info("letter %s left to staff on case %s: %s", letter.id, case.reference, reason_code)
