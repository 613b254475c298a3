"""The copy of a person's data for an access or portability request: everything held about them, nothing of
anyone else, no verification code, on SQLite and PostgreSQL; and `privacy-desk case export`."""
from __future__ import annotations

import io
import json
import os
import stat
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect

from bot import cases, chat_store, cli, db, export, notices
from bot.lifecycle import Status, transition
from bot.models import OutboundEmail
from bot.requests import Channel, RequestType
from bot.sealing import mark
from mail_ingest.models import InboundLetter

HOSTILE = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'
CODE, TOKEN = "493817", "Zq8ATokenOfTheLink_x1"
JANE, JANES_PHONE = "jane@example.org", "+447700900123"

# What the person wrote or was sent: every one must be in the export.
JANES = ["I would like a copy of everything you hold about me", "Please also delete my old account",
         "My letter about the old account", "Ask me anything about the erasure"]
# Someone else's: none may be in it.
OTHERS = ["Mallory wrote into Jane's thread", "mallory-passport.pdf", "Answer meant for Mallory",
          "The other Jane Doe's own chat", "The other Jane Doe's letter", "jane.doe@other.example",
          "mallory@evil.example", "Reply to the other Jane"]


@dataclass
class People:
    chat_case: str      # Jane's access case, opened in the chat (the one exported)
    email_case: str     # Jane's erasure case, opened by email, with Mallory's letter threaded in
    other_case: str     # the other Jane Doe's access case


def at(minutes: int) -> datetime:
    return datetime(2026, 3, 3, 10, 0, tzinfo=timezone.utc) + timedelta(minutes=minutes)


def new_request(types, channel, email, *, phone=None, conversation_id=None, name="Jane Doe"):
    return cases.NewRequest(request_types=list(types), channel=channel, name=name, email=email, phone=phone,
                            conversation_id=conversation_id, details={"note": JANES[0]} if email == JANE else {})


def verify(session, reference: str, levels: str = "email,phone") -> None:
    case = cases.get_case(session, reference)
    case.verification_level = levels
    transition(session, case, Status.VERIFIED, actor="test")


def letter(session, case_reference: str | None, sender: str, body: str, key: str, attachments=()):
    row = InboundLetter(dedupe_key=key, message_id=f"<{key}@mail.example>", from_address=sender,
                        subject=f"About my data {key}", received_at=at(30), language="en", status="answered",
                        body_text=body, attachments=[{"name": a, "type": "application/pdf", "size": 10}
                                                     for a in attachments],
                        case=cases.get_case(session, case_reference) if case_reference else None)
    session.add(row)
    session.flush()
    return row


def chat(url: str, conversation: str, *turns) -> None:
    """Rows as the assistant's SQL tracker store writes them: (type_name, data) in order."""
    chat_store.metadata.create_all(db.engine_for(url))
    with db.session_scope(url) as session:
        for i, (type_name, data) in enumerate(turns):
            moment = at(i).timestamp()
            session.execute(chat_store.events.insert().values(
                sender_id=conversation, type_name=type_name, timestamp=moment, intent_name=None, action_name=None,
                data=json.dumps({"event": type_name, "timestamp": moment, **data})))


def said(text: str, **metadata) -> tuple[str, dict]:
    return "user", {"text": text, "metadata": metadata, "parse_data": {"intent": {"name": "request_access"}}}


def answered(text: str) -> tuple[str, dict]:
    return "bot", {"text": text, "data": {}, "metadata": {}}


def make_people(url: str) -> People:
    with db.session_scope(url) as session:
        chat_case = cases.open_case(session, new_request([RequestType.ACCESS], Channel.CHAT, JANE, phone=JANES_PHONE,
                                                         conversation_id="chat-jane")).case.reference
        email_case = cases.open_case(session, new_request([RequestType.ERASURE], Channel.EMAIL,
                                                          "Jane@Example.org")).case
        email_case.conversation_id = f"email-{email_case.reference}"
        other_case = cases.open_case(session, new_request([RequestType.ACCESS], Channel.CHAT, "jane.doe@other.example",
                                                          conversation_id="chat-other")).case.reference
        verify(session, chat_case)
        verify(session, other_case)
        letter(session, email_case.reference, JANE, JANES[2], "jane-1")
        mallory = letter(session, email_case.reference, "mallory@evil.example", OTHERS[0], "mallory-1",
                         attachments=[OTHERS[1]])
        letter(session, other_case, "jane.doe@other.example", OTHERS[4], "other-1")
        cases.escalate(session, reason="A letter was not answered automatically (no request).",
                       reference=email_case.reference,
                       transcript=[{"from": "requester", "text": OTHERS[0], "at": at(30).isoformat()}])
        from bot.audit import SYSTEM, record
        record(session, email_case, actor=SYSTEM, action="letter_received",
               data={"letter": mallory.id, "attachments": [OTHERS[1]]})
        chat_case_row = cases.get_case(session, chat_case)
        notices.notify(session, chat_case_row, "verification_code", code=mark("code"), link=mark("link"),
                       minutes="15", sealed={"code": CODE, "link": f"https://desk.example/verify/{TOKEN}"},
                       sealed_until=at(45))
        notices.notify(session, email_case, "information_request", question=JANES[3])
        from bot import outbox
        outbox.enqueue(session, case=email_case, kind="mail_reply", to="mallory@evil.example",
                       subject="Re: your letter", body_text=OTHERS[2])
        outbox.enqueue(session, case=cases.get_case(session, other_case), kind="mail_reply",
                       to="jane.doe@other.example", subject="Your request", body_text=OTHERS[7])
        email_reference = email_case.reference
    chat(url, "chat-jane", ("session_started", {}), said(JANES[0]), answered("Please type the 6-digit code."),
         ("slot", {"name": "requested_slot", "value": "verification_code"}), said("493 817"),
         ("slot", {"name": "requested_slot", "value": None}), ("action", {"name": "action_listen"}), said(HOSTILE))
    chat(url, f"email-{email_reference}", said(JANES[1], from_address=JANE), answered("We will erase it."),
         said("Mallory chats in the thread", from_address="mallory@evil.example"), answered(OTHERS[2]))
    chat(url, "chat-other", said(OTHERS[3]), answered("Thank you, other Jane."))
    return People(chat_case, email_reference, other_case)


def exported(url: str, reference: str, actor: str = "Dana Officer") -> tuple[dict, str, export.Package]:
    with db.session_scope(url) as session:
        package = export.export_case(session, reference, actor=actor, via="test")
    with zipfile.ZipFile(io.BytesIO(package.zip_bytes())) as archive:
        assert sorted(archive.namelist()) == ["export.json", "summary.html"]
        return (json.loads(archive.read("export.json").decode("utf-8")), archive.read("summary.html").decode("utf-8"),
                package)


# ---- what the package holds ----

def test_the_export_holds_every_record_of_the_person_and_nothing_of_anyone_else(any_store):
    people = make_people(any_store)
    doc, html, _ = exported(any_store, people.chat_case)
    everything = json.dumps(doc, ensure_ascii=False)
    assert {c["reference"] for c in doc["cases"]} == {people.chat_case, people.email_case}
    for text in JANES:
        assert text in everything, text
        assert text in html, text
    for text in OTHERS + [people.other_case]:
        assert text not in everything, text
        assert text not in html, text
    assert doc["person"] == {"names": ["Jane Doe"], "email": JANE, "phone": JANES_PHONE}


def test_the_json_is_structured_for_portability(any_store):
    people = make_people(any_store)
    doc, _, _ = exported(any_store, people.chat_case)
    assert list(doc) == ["format", "version", "exported_at", "request_reference", "language", "person", "cases",
                         "conversations", "letters_received", "messages_sent", "audit_trail"]
    assert datetime.fromisoformat(doc["exported_at"]).tzinfo is not None
    [chat_case] = [c for c in doc["cases"] if c["reference"] == people.chat_case]
    assert chat_case["requests"][0]["type"] == "access" and chat_case["requests"][0]["details"] == {"note": JANES[0]}
    conversations = {c["conversation_id"]: c["messages"] for c in doc["conversations"]}
    assert [m["from"] for m in conversations["chat-jane"]] == ["requester", "privacy_desk", "requester", "requester"]
    assert conversations["chat-jane"][0] == {"at": at(1).isoformat(), "from": "requester", "text": JANES[0]}
    assert [m["text"] for m in conversations[f"email-{people.email_case}"]] == [JANES[1], "We will erase it."]
    assert [(l["from"], l["text"]) for l in doc["letters_received"]] == [(JANE, JANES[2])]
    assert {m["kind"] for m in doc["messages_sent"]} == {"verification_code", "information_request"}
    actions = [(e["case_reference"], e["action"]) for e in doc["audit_trail"]]
    assert (people.chat_case, "opened") in actions and (people.email_case, "escalated") in actions


def test_no_verification_code_or_link_token_reaches_the_package(any_store):
    people = make_people(any_store)
    doc, html, package = exported(any_store, people.chat_case)
    for content in (json.dumps(doc, ensure_ascii=False), html):
        assert CODE not in content and "493 817" not in content and TOKEN not in content
        assert "\u27e6" not in content  # no outbox marker either
        assert "[verification code withheld]" in content
    assert all(CODE.encode() not in data for data in package.files.values())


def test_hostile_text_is_escaped_in_the_summary(any_store):
    people = make_people(any_store)
    with db.session_scope(any_store) as session:
        letter(session, people.email_case, JANE, HOSTILE, "jane-hostile", attachments=[HOSTILE])
        cases.get_case(session, people.chat_case).requester_name = HOSTILE
    doc, html, _ = exported(any_store, people.chat_case)
    assert "<script>" not in html and "<img src=x" not in html
    assert html.count("&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;") >= 3
    # The JSON keeps what they wrote, as data.
    assert HOSTILE in [m["text"] for c in doc["conversations"] for m in c["messages"]]
    assert HOSTILE in [letter["text"] for letter in doc["letters_received"]]


def test_the_summary_is_in_the_language_of_the_case(store):
    with db.session_scope(store) as session:
        new = new_request([RequestType.PORTABILITY], Channel.EMAIL, JANE)
        new.language = "fr"
        reference = cases.open_case(session, new).case.reference
        verify(session, reference, "email,document")
    doc, html, _ = exported(store, reference)
    assert '<html lang="fr">' in html and "Copie de vos données personnelles" in html
    assert "Portabilité".lower() in html.lower() or "portabilité" in html
    assert doc["person"]["phone"] is None  # a phone number never proven does not find anyone's records


def test_the_export_is_in_the_audit_trail_with_counts_only(any_store):
    people = make_people(any_store)
    _, _, package = exported(any_store, people.chat_case, actor="Dana Officer")
    with db.session_scope(any_store) as session:
        event = cases.get_case(session, people.chat_case).events[-1]
        assert (event.actor, event.action) == ("Dana Officer", export.EXPORTED)
        assert event.data["counts"] == package.counts == {
            "cases": 2, "requests": 2, "chat_messages": 6, "letters_received": 1, "messages_sent": 2,
            "audit_entries": package.counts["audit_entries"]}
        assert JANE not in json.dumps(event.data) and JANES[0] not in json.dumps(event.data)
        assert session.query(OutboundEmail).filter(OutboundEmail.kind.like("%export%")).count() == 0


def test_no_chat_history_is_no_error(store):
    with db.session_scope(store) as session:
        reference = cases.open_case(session, new_request([RequestType.ACCESS], Channel.CHAT, JANE,
                                                         conversation_id="chat-x")).case.reference
        verify(session, reference)
        assert not inspect(session.connection()).has_table("events")
    doc, _, _ = exported(store, reference)
    assert doc["conversations"] == []


# ---- refusals ----

def test_an_unverified_case_is_refused(any_store):
    with db.session_scope(any_store) as session:
        reference = cases.open_case(session, new_request([RequestType.ACCESS], Channel.EMAIL, JANE)).case.reference
        cases.get_case(session, reference).verification_level = "email"  # half of what a copy needs
    with db.session_scope(any_store) as session, pytest.raises(export.ExportRefused, match="is not verified"):
        export.export_case(session, reference, actor="Dana Officer", via="test")
    with db.session_scope(any_store) as session:
        assert export.EXPORTED not in [e.action for e in cases.get_case(session, reference).events]


def test_a_case_that_asks_for_no_copy_is_refused(store):
    with db.session_scope(store) as session:
        reference = cases.open_case(session, new_request([RequestType.ERASURE], Channel.EMAIL, JANE)).case.reference
        verify(session, reference, "email")
    with db.session_scope(store) as session, pytest.raises(export.ExportRefused, match="only an access or portab"):
        export.export_case(session, reference, actor="Dana Officer", via="test")


# ---- the command line ----

def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_writes_one_private_zip_and_says_nothing_was_sent(store, capsys, tmp_path):
    people = make_people(store)
    code, out, err = run(capsys, "case", "export", people.chat_case, "--out", str(tmp_path), "--as", "Dana Officer")
    assert code == 0, err
    [written] = tmp_path.glob("*.zip")
    assert people.chat_case in written.name and str(written) in out and "nothing was sent" in out
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert not list(tmp_path.glob(".export-*"))
    with zipfile.ZipFile(written) as archive:
        assert JANES[2] in archive.read("export.json").decode("utf-8")


@pytest.mark.parametrize("argv, message", [
    (["case", "export", "PD-ZZZZ-ZZZZ"], "No case 'PD-ZZZZ-ZZZZ'"),
    (["case", "export", "not a reference"], "No case 'not a reference'"),
])
def test_cli_unknown_reference_is_one_line(store, capsys, argv, message):
    code, out, err = run(capsys, *argv, "--as", "Dana Officer")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def unwritable_folder(tmp_path) -> str:
    if os.geteuid() == 0:
        return "/sys"  # root writes anywhere a mode allows, but not into sysfs
    folder = tmp_path / "read-only"
    folder.mkdir(mode=0o500)
    return str(folder)


def test_cli_unwritable_or_missing_folder_is_one_line_and_no_export_is_recorded(store, capsys, tmp_path):
    people = make_people(store)
    (tmp_path / "a-file").write_text("x")
    for out_dir, message in ((unwritable_folder(tmp_path), "Cannot write the export into"),
                             (str(tmp_path / "missing"), "no such folder"),
                             (str(tmp_path / "a-file"), "is a file, not a folder")):
        code, out, err = run(capsys, "case", "export", people.chat_case, "--out", out_dir, "--as", "Dana Officer")
        assert code == 1 and err.count("\n") == 1 and message in err and "Traceback" not in err, err
    with db.session_scope(store) as session:
        assert export.EXPORTED not in [e.action for e in cases.get_case(session, people.chat_case).events]


def test_cli_refuses_an_unverified_case_in_one_line(store, capsys, tmp_path):
    with db.session_scope(store) as session:
        reference = cases.open_case(session, new_request([RequestType.ACCESS], Channel.EMAIL, JANE)).case.reference
    code, _, err = run(capsys, "case", "export", reference, "--out", str(tmp_path), "--as", "Dana Officer")
    assert code == 1 and err.count("\n") == 1 and "is not verified" in err
    assert not list(tmp_path.glob("*.zip"))
