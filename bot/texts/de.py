DATE = "{day}. {month} {year}"
MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
          "November", "Dezember")

LABELS = {
    "access": "Kopie der personenbezogenen Daten",
    "rectification": "Berichtigung",
    "erasure": "Löschung",
    "restriction": "Einschränkung der Verarbeitung",
    "portability": "Datenübertragbarkeit",
    "objection": "Widerspruch gegen die Verarbeitung",
    "call_recording": "Kopie einer Gesprächsaufzeichnung",
    "complaint": "Beschwerde",
    "withdraw_consent": "Widerruf der Einwilligung",
}

DETAILS = {
    "name": "Ihren vollständigen Namen",
    "email": "Ihre E-Mail-Adresse",
    "phone": "die betreffende Telefonnummer",
    "call_date": "das Datum des Anrufs",
    "call_time": "die ungefähre Uhrzeit des Anrufs",
    "request_type": "was wir mit Ihren Daten tun sollen",
    "description": "eine kurze Beschreibung Ihres Anliegens",
}

LEVELS = {"email": "E-Mail-Adresse", "phone": "Telefonnummer", "document": "Ausweisdokument"}

TASKS = {
    "call_back": "die antragstellende Person unter der hinterlegten Telefonnummer zurückrufen, um zu bestätigen, "
                 "dass es ihre Nummer ist",
    "document_check": "ein Ausweisdokument der antragstellenden Person prüfen (nur festhalten, was Sie gesehen "
                      "haben, niemals eine Kopie)",
    "email_address_needed": "die antragstellende Person nach einer E-Mail-Adresse fragen oder ihre Identität "
                            "anhand eines Ausweisdokuments prüfen",
}

REASONS = {
    "verified": "die Identität der antragstellenden Person wurde bestätigt",
    "no_verification_needed": "für die Anfrage ist kein Identitätsnachweis nötig",
    "asked_for_human": "die antragstellende Person möchte mit einem Menschen sprechen",
    "not_understood": "der Assistent konnte das Anliegen nicht zuordnen",
}

DIGEST_LINE = "{reference} – {request_labels} – fällig am {due_date}"
DIGEST_NONE = "(keine)"

_BYE = "\n\nMit freundlichen Grüßen\nIhr Datenschutz-Team"

NOTICES = {
    "acknowledgement": (
        "Wir haben Ihre Anfrage erhalten",
        "Guten Tag {name},\n\n"
        "wir haben Ihre Anfrage ({request_labels}) erhalten und den Fall {reference} eröffnet.\n"
        "Sie erhalten unsere Antwort spätestens am {due_date}.\n\n"
        "Bevor wir personenbezogene Daten herausgeben oder ändern, müssen wir Ihre Identität bestätigen; "
        "wie das geht, teilen wir Ihnen in einer separaten Nachricht mit." + _BYE,
    ),
    "verification_code": (
        "Ihr Bestätigungscode",
        "Guten Tag {name},\n\n"
        "um zu bestätigen, dass diese E-Mail-Adresse Ihnen gehört, geben Sie bitte diesen Code im Chat ein "
        "oder antworten Sie mit dem Code auf diese E-Mail:\n\n"
        "    {code}\n\n"
        "Sie können stattdessen auch diesen Link öffnen:\n{link}\n\n"
        "Der Code ist {minutes} Minuten lang gültig und kann nur einmal verwendet werden. Geben Sie ihn niemals "
        "weiter; wir fragen Sie niemals telefonisch danach.\n\n"
        "Wenn Sie uns nicht wegen des Falls {reference} kontaktiert haben, können Sie diese E-Mail "
        "ignorieren." + _BYE,
    ),
    "phone_code": (
        "Ihr Bestätigungscode",
        "Ihr Bestätigungscode für den Fall {reference} lautet {code}. Er ist {minutes} Minuten lang gültig. "
        "Geben Sie ihn an niemanden weiter.",
    ),
    "document_requested": (
        "Wir müssen Ihre Identität bestätigen",
        "Guten Tag {name},\n\n"
        "Ihre Anfrage (Fall {reference}) betrifft personenbezogene Daten, die wir erst herausgeben oder ändern "
        "dürfen, wenn wir sicher sind, dass Sie die betroffene Person sind. Eine Mitarbeiterin oder ein "
        "Mitarbeiter unseres Datenschutz-Teams wird sich bei Ihnen melden, um ein Ausweisdokument zu prüfen.\n\n"
        "Bitte senden Sie uns keine Kopie Ihrer Ausweisdokumente per E-Mail." + _BYE,
    ),
    "missing_details": (
        "Wir benötigen noch einige Angaben",
        "Guten Tag {name},\n\n"
        "vielen Dank für Ihre Anfrage (Fall {reference}). Um sie bearbeiten zu können, benötigen wir noch:\n\n"
        "{missing}\n\n"
        "Bitte antworten Sie mit diesen Angaben auf diese E-Mail und lassen Sie die Fallnummer im Betreff "
        "stehen." + _BYE,
    ),
    "information_request": (
        "Wir benötigen Informationen, um Ihre Anfrage weiter zu bearbeiten",
        "Guten Tag {name},\n\n"
        "um Ihre Anfrage (Fall {reference}) weiter bearbeiten zu können, benötigen wir folgende Informationen "
        "von Ihnen:\n\n"
        "{question}\n\n"
        "Bitte antworten Sie auf diese E-Mail und lassen Sie die Fallnummer im Betreff stehen." + _BYE,
    ),
    "extension": (
        "Wir benötigen mehr Zeit für die Beantwortung Ihrer Anfrage",
        "Guten Tag {name},\n\n"
        "das Gesetz erlaubt uns, die Antwortfrist zu verlängern, wenn eine Anfrage komplex ist oder sehr viele "
        "Anfragen vorliegen. Wir verlängern die Frist für den Fall {reference} um {months} Monat(e), aus "
        "folgendem Grund:\n\n"
        "{reason}\n\n"
        "Sie erhalten unsere Antwort spätestens am {due_date}." + _BYE,
    ),
    "denial": (
        "Unsere Entscheidung zu Ihrer Anfrage",
        "Guten Tag {name},\n\n"
        "wir haben entschieden, Ihrer Anfrage (Fall {reference}) nicht nachzukommen, aus folgendem Grund:\n\n"
        "{reason}\n\n"
        "Wenn Sie damit nicht einverstanden sind, haben Sie das Recht, bei einer Datenschutz-Aufsichtsbehörde "
        "Beschwerde einzulegen und gerichtlich dagegen vorzugehen." + _BYE,
    ),
    "fulfilment": (
        "Ihre Anfrage ist erledigt",
        "Guten Tag {name},\n\n"
        "wir haben Ihre Anfrage ({request_labels}), Fall {reference}, erledigt.\n"
        "{note}" + _BYE,
    ),
    "staff_new_case": (
        "Neuer Fall in der Warteschlange des DSB",
        "In der Warteschlange des Datenschutzbeauftragten wartet ein Fall.\n\n"
        "Fall: {reference}\n"
        "Anfrage: {request_labels}\n"
        "Fällig: {due_date}\n"
        "Grund: {reason}\n\n"
        "In der Konsole öffnen: {link}\n\n"
        "Diese E-Mail enthält keine personenbezogenen Daten der antragstellenden Person; die Konsole zeigt den "
        "vollständigen Fall.",
    ),
    "staff_task": (
        "Ein Fall wartet auf eine Mitarbeiterin oder einen Mitarbeiter",
        "Für den Fall {reference} ist Folgendes zu tun: {task}.\n\n"
        "In der Konsole öffnen: {link}",
    ),
    "staff_verification_locked": (
        "Identitätsprüfung nach falschen Codes gesperrt",
        "Bei der Identitätsprüfung für den Fall {reference} (Nachweis: {level}) wurden fünf falsche Codes "
        "eingegeben. Diese Prüfung ist daher gesperrt, und es wird kein neuer Code mehr verschickt.\n\n"
        "Möglicherweise versucht jemand, den Code zu erraten. Bitte kontaktieren Sie die antragstellende Person "
        "über die hinterlegten Kontaktdaten, bevor Sie die Sperre aufheben.\n\n"
        "Fall in der Konsole öffnen: {link}",
    ),
    "staff_delivery_failed": (
        "Eine E-Mail konnte nicht gesendet werden",
        "Privacy Desk hat nach {attempts} Versuchen aufgegeben, eine E-Mail ({kind}) für den Fall {reference} "
        "zu senden.\n"
        "Letzter Fehler: {error}\n\n"
        "Bitte prüfen Sie die hinterlegte Adresse und den Mailserver und senden Sie die E-Mail erneut "
        "(privacy-desk outbox retry {email_id}), oder erreichen Sie die antragstellende Person auf anderem Weg.",
    ),
    "staff_digest": (
        "Tägliche Übersicht der Fälle, die Aufmerksamkeit brauchen, {date}",
        "In den nächsten 7 Tagen fällige Fälle:\n{due_soon}\n\n"
        "Überfällige Fälle:\n{overdue}\n\n"
        "Seit mehr als 5 Tagen nicht übernommene Fälle:\n{unclaimed}\n\n"
        "Die Warteschlange des DSB: {link}",
    ),
}


# The chat's apology when the assistant fails on our side (web/turn_faults.py): what happened, what to do.
CHAT_FAULT = {
    "saved": ("Entschuldigung, bei uns ist ein Fehler aufgetreten und ich kann gerade nicht antworten. "
              "Was Sie geschrieben haben, ist gespeichert."),
    "not_handled": ("Entschuldigung, bei uns ist ein Fehler aufgetreten und Ihre "
                    "Nachricht konnte nicht bearbeitet werden."),
    "try_again": "Bitte versuchen Sie es in ein paar Minuten noch einmal.",
    "write_to": "Bitte versuchen Sie es in ein paar Minuten noch einmal oder schreiben Sie uns an {address}.",
}


# Die Kopie der Daten einer Person (summary.html eines Exports, bot/export_summary.py).
EXPORT = {
    "title": "Kopie Ihrer personenbezogenen Daten",
    "intro": "Dies ist eine Kopie der personenbezogenen Daten, die wir über Sie gespeichert haben, erstellt am "
             "{date} als Antwort auf Ihre Anfrage {reference}. Die Datei export.json enthält dieselben Daten in "
             "einer Form, die andere Dienste lesen können.",
    "withheld": "Bestätigungscodes und -links sind nicht enthalten: Sie dienten nur dazu, Ihre Identität zu "
                "bestätigen.",
    "you": "Ihre Angaben",
    "name": "Name",
    "email": "E-Mail-Adresse",
    "phone": "Telefonnummer",
    "cases": "Ihre Anfragen",
    "received": "Eingegangen",
    "status": "Stand",
    "outcome": "Ergebnis",
    "conversations": "Chat-Gespräche",
    "from_you": "Sie",
    "from_us": "Wir",
    "letters": "E-Mails, die Sie uns geschickt haben",
    "sent": "Nachrichten, die wir Ihnen geschickt haben",
    "attachments": "Anhänge",
    "audit": "Was mit Ihren Anfragen geschah",
    "none": "Keine.",
}
EXPORT_STATUS = {
    "awaiting_details": "wartet auf Angaben",
    "awaiting_verification": "wartet auf den Identitätsnachweis",
    "verified": "wartet auf Bearbeitung",
    "in_review": "in Bearbeitung",
    "awaiting_requester": "wartet auf Ihre Antwort",
    "fulfilled": "erledigt",
    "denied": "abgelehnt",
    "withdrawn": "zurückgezogen",
}
