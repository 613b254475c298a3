"""Does splitting a letter help find every request it holds? Request types found by the trained classifier
(assistant/classify.py) on labelled letters, three ways: the whole letter, its paragraphs, and both.

    .venv/bin/python -m bench.mail_classification        (needs a trained model in models/)
"""
from __future__ import annotations

import sys
import time

from mail_ingest.clean import pieces
from mail_ingest.parse import parse
from mail_ingest.reading import Reader, what_to_read
from tests.mail.letters import fixture

# What a DPO registers for each fixture letter (tests/fixtures/mail/).
FIXTURES = {
    "german_access": {"access"}, "french_erasure": {"erasure"}, "base64": {"access", "call_recording"},
    "quoted_printable": {"erasure", "withdraw_consent"}, "iso_8859_1": {"access"},
    "windows_1252": {"withdraw_consent"}, "html_only": {"access"}, "empty_body": {"erasure"},
    "wrong_charset": {"complaint"},
}
# Letters holding several requests, one per paragraph (written for this measurement).
SEVERAL = {
    "en": ("Dear DPO,\n\nPlease send me a copy of all the personal data you hold about me.\n\n"
           "Once I have received it, delete my account and erase everything about me.\n\nRegards",
           {"access", "erasure"}),
    "de": ("Sehr geehrte Damen und Herren,\n\nich bitte um Auskunft über meine gespeicherten Daten nach Art. 15 "
           "DSGVO.\n\nAußerdem verlange ich die Löschung meiner Daten. Bitte senden Sie mir keine Werbung mehr.",
           {"access", "erasure", "withdraw_consent"}),
    "fr": ("Bonjour,\n\nJe voudrais une copie de l'enregistrement de mon appel du 3 mars.\n\n"
           "Par ailleurs je souhaite déposer une plainte auprès de la CNIL.", {"call_recording", "complaint"}),
    "es": ("Hola,\n\nMi dirección es incorrecta, por favor corríjanla.\n\n"
           "También quiero recibir mis datos en un formato que pueda llevar a otra empresa.",
           {"rectification", "portability"}),
    "it": ("Buongiorno,\n\nvorrei sapere quali dati personali trattate su di me.\n\n"
           "Mi oppongo inoltre al trattamento dei miei dati per profilazione.", {"access", "objection"}),
    "nl": ("Beste,\n\nVerwijder alstublieft al mijn gegevens.\n\nIk trek ook mijn toestemming voor nieuwsbrieven in.",
           {"erasure", "withdraw_consent"}),
}


def labelled() -> list[tuple[str, set[str]]]:
    letters = [(what_to_read(parse(fixture(name)).text, parse(fixture(name)).subject), expected)
               for name, expected in FIXTURES.items()]
    return letters + list(SEVERAL.values())


def main() -> None:
    try:
        from assistant.classify import classify
        classify("warm up: load the model")
    except Exception as exc:  # noqa: BLE001 - no model yet
        sys.exit(f"needs a trained model in models/ ({type(exc).__name__}: {exc})")
    whole = lambda text: set(classify(text))  # noqa: E731
    paragraphs = lambda text: set().union(*(set(classify(p)) for p in pieces(text) or [text]))  # noqa: E731
    both = lambda text: {t.value for t in Reader().request_types(text)}  # noqa: E731
    letters = labelled()
    total = sum(len(expected) for _, expected in letters)
    print(f"\n{len(letters)} letters holding {total} requests\n")
    print("| read as | requests found | missed | wrong | ms per letter |\n| --- | ---: | ---: | ---: | ---: |")
    for label, read in (("the whole letter", whole), ("each paragraph", paragraphs),
                        ("both (what mail_ingest does)", both)):
        started = time.perf_counter()
        found = [(read(text), expected) for text, expected in letters]
        ms = (time.perf_counter() - started) / len(letters) * 1000
        print(f"| {label} | {sum(len(f & e) for f, e in found)} | {sum(len(e - f) for f, e in found)} | "
              f"{sum(len(f - e) for f, e in found)} | {ms:.1f} |")


if __name__ == "__main__":
    main()
