"""Each real-world shaped letter reads as a person would read it; no bytes at all make the parser fail."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mail_ingest.parse import parse, safe_filename

FIXTURES = Path(__file__).parent / "fixtures" / "mail"
OUR_ID = "<5b0f2c8e9d1a4c7fb3e6a2d4c8f0e1b2@example.com>"


def letter(name: str):
    return parse((FIXTURES / f"{name}.eml").read_bytes())


def test_html_only_letter_becomes_readable_text_without_scripts_styles_or_closing():
    read = letter("html_only")
    assert read.text.startswith("Dear Data Protection Officer,\n\nUnder Article 15 of the GDPR")
    assert "call recordings & chat transcripts" in read.text
    assert "- Customer number: 48213\n- Period: 2024–2026" in read.text
    assert "tracking" not in read.body and "font-family" not in read.body and "Request" not in read.body
    assert read.signature == "Thank you,\nAlex Example"


def test_base64_body_and_encoded_headers_are_decoded():
    read = letter("base64")
    assert read.subject == "Solicitud de acceso a mis datos – grabación"
    assert read.from_name == "María Ejemplo" and read.from_address == "maria.ejemplo@example.org"
    assert "artículo 15 del RGPD" in read.text and "Mi teléfono: +44 7700 900456" in read.text
    assert read.signature == "Un saludo,\nMaría Ejemplo"


def test_quoted_printable_alternative_prefers_the_plain_text_part():
    read = letter("quoted_printable")
    assert "cancellare tutti i miei dati personali ai sensi dell'articolo 17" in read.text
    assert "più per finalità di marketing" in read.text
    assert "HTML VERSION" not in read.body
    assert read.subject == "Richiesta di cancellazione dei dati – art. 17"


def test_iso_8859_1_letter_keeps_its_accents():
    read = letter("iso_8859_1")
    assert read.subject == "Demande d'accès à mes données"
    assert read.from_name == "Hélène Exemple"
    assert "Je souhaite exercer mon droit d'accès" in read.text


def test_windows_1252_labelled_latin_1_keeps_quotes_dashes_and_euro():
    read = letter("windows_1252")
    assert "I’d like you to stop using my data for marketing – I never agreed" in read.text
    assert "“loyalty” mailing cost me €0" in read.text


def test_wrong_and_unknown_charsets_are_survived():
    read = letter("wrong_charset")
    assert read.subject == "Réclamation"  # encoded word in a charset Python does not know
    assert read.text == "Je veux déposer une réclamation auprès de l'autorité."  # "utf-8" that was cp1252
    assert read.errors == []


def test_reply_keeps_only_what_was_written_this_time_and_its_thread_ids():
    read = letter("reply_quoted_thread")
    assert read.text == "Hi,\n\nThe call was from 07700 900123 on 3 March 2026 at about 14:00."
    assert read.signature == "Thanks\nJordan"
    assert read.in_reply_to == OUR_ID
    assert read.references == ["<CAJfirst.41@mail.example.org>", OUR_ID]
    assert read.thread_ids[0] == OUR_ID


def test_out_of_office_carries_its_auto_reply_signals():
    read = letter("out_of_office")
    assert read.auto_submitted == "auto-replied" and read.autoreply_header
    assert read.in_reply_to == OUR_ID


def test_bounce_points_at_the_message_of_ours_it_reports():
    read = letter("bounce_dsn")
    assert read.delivery_report and read.empty_return_path
    assert read.reported_ids == [OUR_ID] and OUR_ID in read.thread_ids
    assert "could not\nbe delivered" in read.text
    assert read.attachments == []  # the report parts are not attachments a person sent


def test_pdf_attachment_is_listed_with_a_safe_name_and_kept_out_of_the_text():
    read = letter("pdf_attachment")
    assert read.text == "Hello, please find my identity document attached, as you asked.\n\nRobin"
    [attachment] = read.attachments
    assert attachment.name == "ID card_ scan.pdf"  # no folders, no bell character
    assert attachment.content_type == "application/pdf" and attachment.size == 193
    assert "%PDF" not in read.body


def test_empty_body_reads_as_empty_with_the_subject_kept():
    read = letter("empty_body")
    assert read.text == "" and read.body == ""
    assert read.subject == "Please delete my account and all my data"
    assert read.from_name is None and read.from_address == "kim.example@example.org"


def test_forged_reply_carries_our_own_message_id_as_its_own():
    read = letter("forged_own_message_id")
    assert read.message_id == OUR_ID and read.auto_submitted == "no"
    assert read.dedupe_key == f"mid:{OUR_ID}"


def test_german_and_french_letters_lose_their_closings_but_not_their_requests():
    german, french = letter("german_access"), letter("french_erasure")
    assert german.subject == "Auskunftsersuchen nach Art. 15 DSGVO"
    assert german.text.startswith("Sehr geehrte Damen und Herren,\n\nhiermit mache ich von meinem Auskunftsrecht")
    assert german.text.endswith("innerhalb der gesetzlichen Frist von einem Monat.")
    assert german.signature.startswith("Mit freundlichen Grüßen\nErika Mustermann")
    assert french.text.endswith("me confirmer l'effacement dans un délai d'un mois.")
    assert french.signature == "Cordialement,\nJean Dupont\n\nEnvoyé de mon iPhone"


def test_letter_without_message_id_is_keyed_by_its_bytes():
    raw = b"From: a@example.org\r\nSubject: x\r\n\r\nhello\r\n"
    assert parse(raw).dedupe_key == parse(raw).dedupe_key
    assert parse(raw).dedupe_key.startswith("sha256:")
    assert parse(raw).dedupe_key != parse(raw + b"!").dedupe_key


def test_message_ids_are_normalised():
    raw = b"Message-ID:   <Abc.1@Example.org>  (comment)\r\nIn-Reply-To: Jane's mail <x@y> of Monday\r\n\r\n"
    read = parse(raw)
    assert read.message_id == "<Abc.1@Example.org>" and read.in_reply_to == "<x@y>"


@pytest.mark.parametrize("name, expected", [
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\me\\scan.pdf", "scan.pdf"),
    ("evil\x00name\x1b[31m.pdf", "evil_name_[31m.pdf"),
    ("", "attachment.pdf"),
    ("...", "attachment.pdf"),
    ("a" * 300 + ".jpeg", "a" * 95 + ".jpeg"),  # 100 characters, extension kept
])
def test_attachment_names_are_made_safe(name, expected):
    assert safe_filename(name, "application/pdf" if not name.endswith("jpeg") else "image/jpeg") == expected


def _storable(value: str) -> bool:
    return "\x00" not in value and value.encode("utf-8") is not None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_any_bytes_parse_without_raising_and_the_raw_is_kept(raw):
    read = parse(raw)
    assert read.raw == raw
    assert all(_storable(v) for v in (read.subject, read.text, read.body, read.dedupe_key))
    assert len(read.dedupe_key) <= 255


_header_names = st.sampled_from(["From", "Subject", "Message-ID", "In-Reply-To", "References", "Content-Type",
                                 "Content-Transfer-Encoding", "Auto-Submitted", "Date", "Return-Path",
                                 "Content-Disposition", "MIME-Version"])
_values = st.one_of(st.binary(max_size=80), st.sampled_from([
    b"multipart/mixed; boundary=b", b"text/html; charset=x-nope", b"base64", b"quoted-printable",
    b"=?utf-8?B?////?=", b"=?bogus?Q?=FF=FE?=", b"<>", b"attachment; filename*=UTF-8''%FF%00.pdf",
    b"text/plain; charset=utf-16", b"message/rfc822", b"multipart/report; report-type=delivery-status"]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_header_names, _values), max_size=12), st.binary(max_size=2000),
       st.sampled_from([b"", b"--b\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n--b--\r\n"]))
def test_message_shaped_garbage_never_raises(headers, body, tail):
    raw = b"".join(name.encode() + b": " + value + b"\r\n" for name, value in headers) + b"\r\n" + body + tail
    read = parse(raw)
    assert read.raw == raw
    assert all(_storable(v) for v in (read.subject, read.text, read.from_address or "", read.message_id or ""))
    assert all(_storable(a.name) and "/" not in a.name for a in read.attachments)
