"""Letters from different people that quote the same phone number, read by the poller from a real Dovecot: each
opens a case of its own and is answered once, in that case's own conversation.

The mail benchmark's letters all quote one fixture's number. When a phone number alone joined an open case of the
same type (bot/cases.py), every eighth letter joined the first such letter's case: each writer was told a
stranger's case reference, and that case's one Rasa conversation grew by some ten events per letter until, from
about 4,000 letters on, Rasa spent most of its time replaying it and intake fell from ~550 to ~60 letters a minute.
"""
from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from bench import mail_bench
from bot import chat_store, db
from bot.models import Case
from mail_ingest.models import InboundLetter
from mail_ingest.parse import parse
from mail_ingest.poller import Limits, Poller

LIMITS = Limits(max_message_bytes=10 * 1024 * 1024, batch_size=25, max_attempts=3, poll_seconds=60)


def test_strangers_quoting_one_phone_number_each_get_a_case_and_conversation_of_their_own(store, mailbox, agent, reader):
    n = 3 * len(mail_bench.TEMPLATES)  # every template three times
    raws = mail_bench.letters(n, "regression")
    mailbox.append(*raws)
    report = Poller(mailbox.settings(), reader=reader, limits=LIMITS).poll_once()
    assert len(report.stored) == n and report.answered == n, report
    assert len(set(report.stored)) == n, Counter(report.stored).most_common(3)  # n cases, none joined
    senders = Counter(message["sender"] for message in agent.received)
    assert len(agent.received) == n and max(senders.values()) == 1, senders.most_common(3)
    with db.session_scope(store) as session:
        rows = session.execute(select(InboundLetter.message_id, Case.reference, Case.requester_phone)
                               .join(Case, InboundLetter.case_id == Case.id)).all()
    assert sorted(message_id for message_id, _, _ in rows) == sorted(parse(raw).message_id for raw in raws)
    assert set(senders) == {chat_store.mail_conversation(reference) for _, reference, _ in rows}
    phones = Counter(phone for _, _, phone in rows if phone)
    assert phones and min(phones.values()) > 1  # the number was shared, the cases were not

