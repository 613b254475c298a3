"""Quoted replies and signatures come off in the languages our requesters write; the request stays."""
from __future__ import annotations

import pytest

from mail_ingest.clean import clean, pieces
from mail_ingest.html import html_to_text

ANSWER = "Yes, the call was on 3 March at about 14:00."
QUOTE = "> To find the recording we need the date of the call.\n> Kind regards"


@pytest.mark.parametrize("attribution", [
    "On Tue, 10 Mar 2026 at 17:02, Privacy Desk <privacy@example.com> wrote:",
    "On Tue, 10 Mar 2026 at 17:02, Privacy Desk\n<privacy@example.com> wrote:",
    "Le mar. 10 mars 2026 à 17:02, Privacy Desk <privacy@example.com> a écrit :",
    "Am 10.03.2026 um 17:02 schrieb Privacy Desk <privacy@example.com>:",
    "El mar, 10 mar 2026 a las 17:02, Privacy Desk (<privacy@example.com>) escribió:",
    "Il giorno mar 10 mar 2026 alle ore 17:02 Privacy Desk <privacy@example.com> ha scritto:",
    "Op di 10 mrt 2026 om 17:02 schreef Privacy Desk <privacy@example.com>:",
    "Em ter., 10 de mar. de 2026 às 17:02, Privacy Desk <privacy@example.com> escreveu:",
])
def test_attributed_quotes_are_removed(attribution):
    assert clean(f"{ANSWER}\n\n{attribution}\n{QUOTE}\n").text == ANSWER


@pytest.mark.parametrize("block", [
    "-----Original Message-----\nFrom: Privacy Desk\nSent: Tuesday, March 10, 2026 5:02 PM\nSubject: Call",
    "________________________________\nFrom: Privacy Desk <privacy@example.com>\nSent: 10 March 2026 17:02\n"
    "To: Jordan\nSubject: Re: Call recording",
    "De : Privacy Desk <privacy@example.com>\nEnvoyé : mardi 10 mars 2026 17:02\nÀ : Jordan\nObjet : Appel",
    "Von: Privacy Desk <privacy@example.com>\nGesendet: Dienstag, 10. März 2026 17:02\nAn: Jordan\n"
    "Betreff: Anruf",
    "-----Ursprüngliche Nachricht-----\nVon: Privacy Desk",
])
def test_outlook_quoted_messages_are_removed(block):
    assert clean(f"{ANSWER}\n\n{block}\n\nTo find the recording we need the date of the call.\n").text == ANSWER


def test_interleaved_quote_lines_are_removed_and_answers_kept():
    body = "> What is the number?\n07700 900123\n> And the date?\n3 March 2026"
    assert clean(body).text == "07700 900123\n3 March 2026"


def test_a_sentence_that_looks_like_an_attribution_is_kept():
    body = "On 3 March I wrote:\nplease delete my data.\nI am still waiting."
    assert clean(body).text == body


@pytest.mark.parametrize("signature", [
    "-- \nJordan Example\n+44 7700 900123",
    "--\nJordan Example",
    "Sent from my iPhone",
    "Von meinem iPhone gesendet",
    "Envoyé de mon iPhone",
    "Get Outlook for Android",
    "Kind regards,\nJordan Example\nACME Ltd\n+44 7700 900123",
    "Met vriendelijke groet,\nJ. Voorbeeld",
    "Cordiali saluti\nGiulia Esempio",
])
def test_signatures_are_taken_off_and_kept_apart(signature):
    cleaned = clean(f"Please send me a copy of my data.\n\n{signature}\n")
    assert cleaned.text == "Please send me a copy of my data."
    assert cleaned.signature.splitlines()[-1] == signature.splitlines()[-1]


def test_a_closing_in_the_middle_of_a_long_letter_is_not_a_signature():
    points = [f"Point {i}: please also erase record {i} which you hold about me." for i in range(9)]
    body = "Thanks,\n" + "\n".join(points)
    assert clean(body).text == body


def test_html_blockquote_becomes_a_removed_quote():
    html = ("<div>Here is the date: 3 March.</div><div class=gmail_quote>On Tue, 10 Mar 2026, Privacy Desk "
            "&lt;privacy@example.com&gt; wrote:<blockquote><p>Which date?</p></blockquote></div>")
    assert "> Which date?" in html_to_text(html)
    assert clean(html_to_text(html)).text == "Here is the date: 3 March."


def test_broken_html_still_gives_text():
    assert html_to_text("<p>Delete <b>my</b> data<p>now</div></span><![if !mso]>") == "Delete my data\nnow"


def test_long_letter_is_split_into_paragraphs_and_sentences_for_classification():
    long_paragraph = ("I want a copy of my data. " * 10 + "Also, erase my old address. " * 6).strip()
    found = pieces(f"Dear DPO,\n\nPlease stop marketing mail.\n\n{long_paragraph}")
    assert found[:2] == ["Dear DPO,", "Please stop marketing mail."]
    assert "Also, erase my old address." in found and len(found) == 18
