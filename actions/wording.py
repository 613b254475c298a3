"""Small pieces of wording that actions put into responses: labels of a summary, parts of the day, case statuses,
and the few words that mean "stop" or "yes" whatever the classifier says. Sentences live in domain.yml."""
from __future__ import annotations

import re

from bot.language import fold, reply_language  # the one rule for which languages get written replies

LABELS = {  # summary lines: label per detail slot
    "en": {"request": "Request", "requester_name": "Name", "requester_email": "Email", "phone": "Telephone number",
           "call_date": "Date of the call", "call_time": "Time of the call", "erase_scope": "What to erase",
           "erase_reason": "Why", "wrong_detail": "What is wrong", "correct_value": "Correct value",
           "objected_processing": "Use objected to", "complaint_what": "What happened", "country": "Country"},
    "fr": {"request": "Demande", "requester_name": "Nom", "requester_email": "E-mail", "phone": "Numéro de téléphone",
           "call_date": "Date de l'appel", "call_time": "Heure de l'appel", "erase_scope": "À effacer",
           "erase_reason": "Motif", "wrong_detail": "Information inexacte", "correct_value": "Valeur correcte",
           "objected_processing": "Utilisation contestée", "complaint_what": "Ce qui s'est passé", "country": "Pays"},
    "de": {"request": "Antrag", "requester_name": "Name", "requester_email": "E-Mail", "phone": "Telefonnummer",
           "call_date": "Datum des Gesprächs", "call_time": "Uhrzeit des Gesprächs", "erase_scope": "Zu löschen",
           "erase_reason": "Grund", "wrong_detail": "Falsche Angabe", "correct_value": "Richtige Angabe",
           "objected_processing": "Widersprochene Verwendung", "complaint_what": "Was passiert ist",
           "country": "Land"},
    "es": {"request": "Solicitud", "requester_name": "Nombre", "requester_email": "Correo electrónico",
           "phone": "Número de teléfono", "call_date": "Fecha de la llamada", "call_time": "Hora de la llamada",
           "erase_scope": "Qué suprimir", "erase_reason": "Motivo", "wrong_detail": "Dato incorrecto",
           "correct_value": "Valor correcto", "objected_processing": "Uso al que se opone",
           "complaint_what": "Qué ha pasado", "country": "País"},
    "it": {"request": "Richiesta", "requester_name": "Nome", "requester_email": "E-mail", "phone": "Numero di telefono",
           "call_date": "Data della chiamata", "call_time": "Ora della chiamata", "erase_scope": "Da cancellare",
           "erase_reason": "Motivo", "wrong_detail": "Dato errato", "correct_value": "Valore corretto",
           "objected_processing": "Uso contestato", "complaint_what": "Che cosa è successo", "country": "Paese"},
    "nl": {"request": "Verzoek", "requester_name": "Naam", "requester_email": "E-mail", "phone": "Telefoonnummer",
           "call_date": "Datum van het gesprek", "call_time": "Tijd van het gesprek", "erase_scope": "Te wissen",
           "erase_reason": "Reden", "wrong_detail": "Onjuist gegeven", "correct_value": "Juiste waarde",
           "objected_processing": "Gebruik waartegen bezwaar", "complaint_what": "Wat er gebeurde", "country": "Land"},
}
NOT_GIVEN = {"en": "(not given)", "fr": "(non précisé)", "de": "(nicht angegeben)", "es": "(no indicado)",
             "it": "(non indicato)", "nl": "(niet opgegeven)"}
PARTS_OF_DAY = {
    "en": {"morning": "in the morning", "afternoon": "in the afternoon", "evening": "in the evening"},
    "fr": {"morning": "le matin", "afternoon": "l'après-midi", "evening": "le soir"},
    "de": {"morning": "vormittags", "afternoon": "nachmittags", "evening": "abends"},
    "es": {"morning": "por la mañana", "afternoon": "por la tarde", "evening": "por la noche"},
    "it": {"morning": "di mattina", "afternoon": "di pomeriggio", "evening": "di sera"},
    "nl": {"morning": "'s ochtends", "afternoon": "'s middags", "evening": "'s avonds"},
}
STATUS = {  # what a status means to the requester
    "en": {"awaiting_details": "we are waiting for some details from you",
           "awaiting_verification": "we are waiting for you to confirm your identity",
           "verified": "your request is with our data protection team",
           "in_review": "a member of our data protection team is working on it",
           "awaiting_requester": "we have asked you for more information",
           "fulfilled": "your request has been carried out", "denied": "we have given you our decision",
           "withdrawn": "the request is closed"},
    "fr": {"awaiting_details": "nous attendons des informations de votre part",
           "awaiting_verification": "nous attendons la confirmation de votre identité",
           "verified": "votre demande est entre les mains de notre équipe Protection des données",
           "in_review": "un membre de notre équipe Protection des données la traite",
           "awaiting_requester": "nous vous avons demandé des informations complémentaires",
           "fulfilled": "votre demande a été traitée", "denied": "nous vous avons communiqué notre décision",
           "withdrawn": "la demande est close"},
    "de": {"awaiting_details": "wir warten auf Angaben von Ihnen",
           "awaiting_verification": "wir warten auf die Bestätigung Ihrer Identität",
           "verified": "Ihr Antrag liegt unserem Datenschutz-Team vor",
           "in_review": "jemand aus unserem Datenschutz-Team bearbeitet ihn",
           "awaiting_requester": "wir haben Sie um weitere Angaben gebeten",
           "fulfilled": "Ihr Antrag wurde erledigt", "denied": "wir haben Ihnen unsere Entscheidung mitgeteilt",
           "withdrawn": "der Antrag ist abgeschlossen"},
    "es": {"awaiting_details": "esperamos que nos facilite algunos datos",
           "awaiting_verification": "esperamos que confirme su identidad",
           "verified": "su solicitud está en manos de nuestro equipo de Protección de Datos",
           "in_review": "una persona de nuestro equipo de Protección de Datos la está tramitando",
           "awaiting_requester": "le hemos pedido más información",
           "fulfilled": "su solicitud se ha atendido", "denied": "le hemos comunicado nuestra decisión",
           "withdrawn": "la solicitud está cerrada"},
    "it": {"awaiting_details": "attendiamo da lei alcune informazioni",
           "awaiting_verification": "attendiamo la conferma della sua identità",
           "verified": "la sua richiesta è presso il nostro team Protezione dei dati",
           "in_review": "una persona del nostro team Protezione dei dati se ne sta occupando",
           "awaiting_requester": "le abbiamo chiesto altre informazioni",
           "fulfilled": "la sua richiesta è stata evasa", "denied": "le abbiamo comunicato la nostra decisione",
           "withdrawn": "la richiesta è chiusa"},
    "nl": {"awaiting_details": "we wachten op gegevens van u",
           "awaiting_verification": "we wachten tot u uw identiteit bevestigt",
           "verified": "uw verzoek ligt bij ons team Gegevensbescherming",
           "in_review": "iemand van ons team Gegevensbescherming behandelt het",
           "awaiting_requester": "we hebben u om meer informatie gevraagd",
           "fulfilled": "uw verzoek is uitgevoerd", "denied": "we hebben u ons besluit meegedeeld",
           "withdrawn": "het verzoek is afgesloten"},
}

# Words that stop a form whatever the classifier made of them (the NLU data has no "stop" intent), folded.
STOP_WORDS = {"stop", "cancel", "quit", "abort", "stop it", "stop please", "please stop", "annuler", "arreter",
              "arrete", "abandonner", "stopp", "abbrechen", "aufhoren", "cancelar", "parar", "para", "detener",
              "annulla", "basta", "fermati", "interrompi", "stoppen", "annuleren", "afbreken", "ophouden", "anular",
              "anuleaza", "opreste", "renunt"}
YES_WORDS = {"yes", "y", "yeah", "yep", "ok", "okay", "sure", "oui", "ouais", "d'accord", "daccord", "ja", "jawohl",
             "genau", "si", "claro", "vale", "certo", "certamente", "va bene", "graag", "prima", "sim", "da"}
NO_WORDS = {"no", "n", "nope", "non", "nein", "nee", "neen", "nao", "nu"}

# Names of the details a person may ask to change at the confirmation step, folded.
DETAIL_WORDS = {
    "requester_name": "name nom naam nombre nome numele numero di nome apellido surname cognome achternaam "
                      "nachname vorname prenom",
    "requester_email": "email e-mail mail courriel correo adres adresse address indirizzo",
    "phone": "phone telephone telefon telefoon telefono numero number nummer tel",
    "call_date": "date datum fecha data dag day jour tag dia giorno",
    "call_time": "time heure uhrzeit zeit hora ora tijd tijdstip",
    "erase_scope": "erase erasure effacer loschen suprimir cancellare wissen everything tout alles todo tutto",
    "erase_reason": "reason why motif raison grund motivo reden waarom",
    "wrong_detail": "wrong inexact falsch incorrecto errato onjuist",
    "correct_value": "correct correcte richtig correcto corretto juist",
    "objected_processing": "processing use utilisation verwendung uso gebruik traitement verarbeitung",
    "complaint_what": "happened complaint plainte reclamation beschwerde reclamacion reclamo klacht",
    "country": "country pays land pais paese",
}
_PUNCTUATION = re.compile(r"[^\w' -]+")


def words_of(text: str) -> str:
    """The text folded, without punctuation, with single spaces: how the word lists above are written."""
    return " ".join(_PUNCTUATION.sub(" ", fold(text or "")).split())


def label(language: str | None, key: str) -> str:
    return LABELS[reply_language(language)][key]


def part_of_day(language: str | None, value: str) -> str:
    return PARTS_OF_DAY[reply_language(language)].get(value, value)


def status_text(language: str | None, status: str) -> str:
    return STATUS[reply_language(language)].get(status, status)


def details_named(text: str, candidates: list[str]) -> list[str]:
    """The detail slots among `candidates` that `text` names ("the date", "le nom")."""
    words = set(words_of(text).replace("'", " ").split())
    return [slot for slot in candidates if words & set(DETAIL_WORDS.get(slot, "").split())]
