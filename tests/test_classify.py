"""`assistant.classify` and `privacy-desk classify`: what a text asks for, with the trained model.

The letters below were written for these tests (they are in no training file). Each holds several requests; the
test measures how many of them are found reading the letter whole and reading it sentence by sentence.
"""
from __future__ import annotations

import io
import json

import pytest

from assistant import classify
from bot import settings

pytestmark = [pytest.mark.rasa,
              pytest.mark.skipif(not list((settings.PROJECT_DIR / "models").glob("*.tar.gz")),
                                 reason="no trained model in models/ (make model)")]

LETTERS = [
    ("Dear Data Protection Officer,\n\nI am writing to ask for a copy of all the personal data your company holds "
     "about me, including call notes. Once I have received it, please erase my account and every record about me. "
     "I also want you to stop calling me with sales offers.\n\nKind regards,\nJ. Smith",
     {"access", "erasure", "withdraw_consent"}),
    ("Madame, Monsieur,\n\nJe vous demande de corriger mon adresse postale, qui est erronée dans vos fichiers. "
     "Par ailleurs, je souhaite recevoir l'enregistrement de mon appel au service client du 3 novembre.\n\n"
     "Cordialement,\nMarie Laurent", {"rectification", "call_recording"}),
    ("Sehr geehrte Damen und Herren,\n\nich widerspreche der Nutzung meiner Daten für Werbezwecke. Bitte löschen Sie "
     "außerdem alle Daten, die Sie über mich gespeichert haben.\n\nMit freundlichen Grüßen\nKlaus Weber",
     {"objection", "erasure"}),
    ("Buenos días:\n\nQuiero obtener mis datos en un formato que pueda llevar a otra compañía. Además, quiero "
     "presentar una queja porque un agente divulgó mis datos a un tercero.\n\nAtentamente,\nLucía Gómez",
     {"portability", "complaint"}),
]


def recall(found: list[set], expected: list[set]) -> float:
    return sum(len(f & e) for f, e in zip(found, expected)) / sum(len(e) for e in expected)


def test_reading_letters_sentence_by_sentence_finds_more_of_their_requests():
    expected = [kinds for _, kinds in LETTERS]
    whole = [set(filter(None, [classify.REQUEST_TYPES.get(classify.parser().parse(text)["intent"]["name"])]))
             for text, _ in LETTERS]
    split = [set(classify.classify(text)) for text, _ in LETTERS]
    print(f"\nrecall whole: {recall(whole, expected):.2f}, sentence by sentence: {recall(split, expected):.2f}")
    assert recall(split, expected) > recall(whole, expected)
    assert recall(split, expected) >= 0.7
    wrong = sum(len(f - e) for f, e in zip(split, expected))
    assert wrong <= 2, f"request types found that the letters do not ask for: {split}"


def test_a_short_message_is_one_request():
    result = classify.analyse("please delete all my personal data", "m1")
    assert result["id"] == "m1"
    assert (result["intent"], result["request_types"], result["entities"]) == ("request_erasure", ["erasure"], [])
    assert result["language"] == "en" and 0.0 < result["confidence"] <= 1.0


# A message that opens by reporting a stored detail as wrong is a request to correct it: read as a bare detail
# ("inform"), the assistant would only ask "how can I help?" and the request would be lost.
WRONG_DETAIL_REPORTS = [
    "You still have my old address on file, I moved to 5 Mill Lane, Leeds in March.",
    "My surname is spelt wrong in your system, it is Whitfield, not Whitefield.",
    "Vous avez toujours mon ancienne adresse, j'habite maintenant au 12 rue des Tilleuls à Lyon.",
    "Votre fichier indique que je suis né en 1975, alors que je suis né en 1957.",
    "Bei Ihnen steht noch meine alte Anschrift, ich wohne seit Mai in der Lindenstraße 5.",
    "In Ihrem System ist meine Telefonnummer falsch, richtig ist 0151 2345678.",
    "En vuestra ficha sigue mi dirección antigua; ahora vivo en la calle Olmo 8, Valencia.",
    "Avete ancora il mio vecchio indirizzo, adesso abito in via dei Mille 9 a Torino.",
    "Jullie hebben nog mijn oude adres, ik woon sinds april op de Lindelaan 4 in Gent.",
    "Ainda têm a minha morada antiga, agora moro na Rua do Carmo 3, em Braga.",
    "Aveți încă adresa mea veche, acum locuiesc pe strada Teilor 7 din Cluj.",
]


@pytest.mark.parametrize("text", WRONG_DETAIL_REPORTS)
def test_reporting_a_wrong_stored_detail_is_a_rectification_request(text):
    assert classify.analyse(text)["request_types"] == ["rectification"]


@pytest.mark.parametrize("text", ["Lindenstraße 5, 10115 Berlin", "le 3 mars vers 14h", "marie.curie@example.org"])
def test_a_bare_detail_is_no_request(text):
    assert classify.analyse(text)["intent"] == "inform"


def test_conversation_intents_are_no_request():
    assert classify.analyse("thank you very much")["request_types"] == []


@pytest.mark.parametrize("text", ["", "   ", "😀" * 50, "\u202eevil\u202c text", "x" * 100_000,
                                  "'; DROP TABLE cases; --", "<img src=x onerror=alert(1)>", "\x00\x01\x02",
                                  "أريد نسخة من بياناتي"])
def test_any_text_gets_an_answer(text):
    result = classify.analyse(text, 7)
    assert set(result) == {"id", "language", "intent", "confidence", "request_types", "entities"}
    assert result["id"] == 7 and isinstance(result["request_types"], list)


def test_jsonl_keeps_one_line_out_per_line_in():
    lines = ['{"id": "a", "text": "I want a copy of my data"}\n', '"bonjour"\n', "not json\n", "\n",
             '{"id": 4, "text": 5}\n']
    out = io.StringIO()
    assert classify.run_jsonl(lines, out) == 4
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [row["id"] for row in rows] == ["a", 2, 3, 4]
    assert rows[0]["request_types"] == ["access"]
    assert "error" in rows[2] and "error" in rows[3]


def test_the_command_reads_and_writes_files(store, tmp_path):
    from bot.cli import main

    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text('{"id": 1, "text": "Bitte löschen Sie alle meine Daten"}\n', encoding="utf-8")
    assert main(["classify", "--jsonl", str(source), str(target)]) == 0
    row = json.loads(target.read_text(encoding="utf-8"))
    assert (row["id"], row["language"], row["request_types"]) == (1, "de", ["erasure"])


def test_a_missing_input_file_is_one_clear_line(store, tmp_path, capsys):
    from bot.cli import main

    assert main(["classify", "--jsonl", str(tmp_path / "nope.jsonl"), "-"]) == 1
    assert "nope.jsonl: No such file or directory." in capsys.readouterr().err


def test_the_model_read_back_from_its_archive_answers_as_the_trained_one():
    # The archive holds JSON and plain arrays only (np.load refuses pickles here): a model file carries no code.
    from assistant.intent_model import IntentModel

    texts = ["delete my data", "erase everything about me", "send me a copy of my data", "what do you hold on me",
             "hello", "good morning", "bonjour", "löschen Sie meine Daten"]
    intents = ["request_erasure", "request_erasure", "request_access", "request_access", "greet", "greet", "greet",
               "request_erasure"]
    trained = IntentModel().fit(texts, intents)
    vocabulary, weights = trained.dumps()
    probes = ["please delete my data", "a copy of my data please", "hello there", "", "supprimez mes données"]
    assert IntentModel.loads(vocabulary, weights).rank(probes) == trained.rank(probes)
    assert [r[0]["name"] for r in trained.rank(probes[:3])] == ["request_erasure", "request_access", "greet"]


def test_a_letter_and_its_paragraphs_read_in_one_batch_get_the_answers_read_one_by_one():
    from mail_ingest.clean import pieces

    texts = [text for letter, _ in LETTERS for text in [letter, *pieces(letter)]] + ["", "   ", "x" * 9000]
    assert classify.classify_each(texts) == [classify.classify(text) for text in texts]
    assert classify.classify_each([]) == []
