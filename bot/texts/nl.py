DATE = "{day} {month} {year}"
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")

LABELS = {
    "access": "kopie van persoonsgegevens",
    "rectification": "rectificatie",
    "erasure": "verwijdering van gegevens",
    "restriction": "beperking van de verwerking",
    "portability": "overdraagbaarheid van gegevens",
    "objection": "bezwaar tegen de verwerking",
    "call_recording": "kopie van een gespreksopname",
    "complaint": "klacht",
    "withdraw_consent": "intrekking van toestemming",
}

DETAILS = {
    "name": "uw volledige naam",
    "email": "uw e-mailadres",
    "phone": "het betreffende telefoonnummer",
    "call_date": "de datum van het gesprek",
    "call_time": "het geschatte tijdstip van het gesprek",
    "request_type": "wat wij met uw gegevens moeten doen",
    "description": "een korte omschrijving van uw verzoek",
}

LEVELS = {"email": "e-mailadres", "phone": "telefoonnummer", "document": "identiteitsbewijs"}

TASKS = {
    "call_back": "de aanvrager terugbellen op het geregistreerde telefoonnummer om te bevestigen dat het nummer "
                 "van de aanvrager is",
    "document_check": "een identiteitsbewijs van de aanvrager controleren (leg alleen vast wat u hebt gezien, "
                      "nooit een kopie)",
    "email_address_needed": "de aanvrager om een e-mailadres vragen, of de identiteit controleren met een "
                            "identiteitsbewijs",
}

REASONS = {
    "verified": "de identiteit van de aanvrager is geverifieerd",
    "no_verification_needed": "voor dit verzoek is geen identiteitsbewijs nodig",
    "asked_for_human": "de aanvrager wil een medewerker spreken",
    "not_understood": "de assistent kon niet vaststellen wat het verzoek is",
}

DIGEST_LINE = "{reference} – {request_labels} – uiterlijk {due_date}"
DIGEST_NONE = "(geen)"

_BYE = "\n\nMet vriendelijke groet,\nHet team Gegevensbescherming"

NOTICES = {
    "acknowledgement": (
        "We hebben uw verzoek ontvangen",
        "Goedendag {name},\n\n"
        "We hebben uw verzoek ({request_labels}) ontvangen en dossier {reference} geopend.\n"
        "U ontvangt ons antwoord uiterlijk op {due_date}.\n\n"
        "Voordat we persoonsgegevens verstrekken of wijzigen, moeten we uw identiteit bevestigen; hoe dat gaat, "
        "laten we u in een apart bericht weten." + _BYE,
    ),
    "verification_code": (
        "Uw verificatiecode",
        "Goedendag {name},\n\n"
        "Om te bevestigen dat dit e-mailadres van u is, voert u deze code in de chat in of beantwoordt u deze "
        "e-mail met de code:\n\n"
        "    {code}\n\n"
        "U kunt ook deze link openen:\n{link}\n\n"
        "De code is {minutes} minuten geldig en kan één keer worden gebruikt. Deel de code nooit met anderen; "
        "wij vragen er nooit telefonisch naar.\n\n"
        "Hebt u geen contact met ons opgenomen over dossier {reference}, dan kunt u deze e-mail negeren." + _BYE,
    ),
    "phone_code": (
        "Uw verificatiecode",
        "Uw verificatiecode voor dossier {reference} is {code}. De code is {minutes} minuten geldig. "
        "Deel de code met niemand.",
    ),
    "document_requested": (
        "We moeten uw identiteit bevestigen",
        "Goedendag {name},\n\n"
        "Uw verzoek (dossier {reference}) gaat over persoonsgegevens die we pas mogen verstrekken of wijzigen "
        "als we zeker weten dat u de persoon bent op wie ze betrekking hebben. Een medewerker van ons team "
        "Gegevensbescherming neemt contact met u op om een identiteitsbewijs te controleren.\n\n"
        "Stuur ons alstublieft geen kopie van uw identiteitsbewijs per e-mail." + _BYE,
    ),
    "missing_details": (
        "We hebben nog enkele gegevens nodig",
        "Goedendag {name},\n\n"
        "Bedankt voor uw verzoek (dossier {reference}). Om het te kunnen behandelen, hebben we nog nodig:\n\n"
        "{missing}\n\n"
        "Wilt u deze e-mail beantwoorden met deze gegevens? Laat het dossiernummer in de onderwerpregel "
        "staan." + _BYE,
    ),
    "information_request": (
        "We hebben informatie nodig om uw verzoek verder te behandelen",
        "Goedendag {name},\n\n"
        "Om uw verzoek (dossier {reference}) verder te kunnen behandelen, hebben we de volgende informatie van "
        "u nodig:\n\n"
        "{question}\n\n"
        "Wilt u deze e-mail beantwoorden? Laat het dossiernummer in de onderwerpregel staan." + _BYE,
    ),
    "extension": (
        "We hebben meer tijd nodig om uw verzoek te beantwoorden",
        "Goedendag {name},\n\n"
        "De wet staat ons toe de termijn voor ons antwoord te verlengen als een verzoek ingewikkeld is of als er "
        "veel verzoeken zijn. We verlengen de termijn voor dossier {reference} met {months} maand(en), om de "
        "volgende reden:\n\n"
        "{reason}\n\n"
        "U ontvangt ons antwoord uiterlijk op {due_date}." + _BYE,
    ),
    "denial": (
        "Ons besluit over uw verzoek",
        "Goedendag {name},\n\n"
        "We hebben besloten uw verzoek (dossier {reference}) niet uit te voeren, om de volgende reden:\n\n"
        "{reason}\n\n"
        "Bent u het hier niet mee eens, dan hebt u het recht een klacht in te dienen bij een toezichthoudende "
        "autoriteit voor gegevensbescherming en naar de rechter te stappen." + _BYE,
    ),
    "fulfilment": (
        "Uw verzoek is afgehandeld",
        "Goedendag {name},\n\n"
        "We hebben uw verzoek ({request_labels}), dossier {reference}, afgehandeld.\n"
        "{note}" + _BYE,
    ),
    "staff_new_case": (
        "Nieuw dossier in de wachtrij van de FG",
        "Er wacht een dossier in de wachtrij van de functionaris gegevensbescherming.\n\n"
        "Dossier: {reference}\n"
        "Verzoek: {request_labels}\n"
        "Uiterlijk: {due_date}\n"
        "Reden: {reason}\n\n"
        "Open het in de console: {link}\n\n"
        "Deze e-mail bevat geen persoonsgegevens van de aanvrager; de console toont het volledige dossier.",
    ),
    "staff_task": (
        "Een dossier heeft een medewerker nodig",
        "Dossier {reference} heeft een medewerker nodig: {task}.\n\n"
        "Open het in de console: {link}",
    ),
    "staff_verification_locked": (
        "Identiteitscontrole geblokkeerd na foute codes",
        "Bij de controle via {level} voor dossier {reference} zijn vijf foute codes ingevoerd. Die controle is "
        "daarom geblokkeerd en er wordt geen nieuwe code meer verstuurd.\n\n"
        "Mogelijk probeert iemand de code te raden. Neem contact op met de aanvrager via de geregistreerde "
        "gegevens voordat u de blokkering opheft.\n\n"
        "Open het dossier in de console: {link}",
    ),
    "staff_delivery_failed": (
        "Een e-mail kon niet worden verstuurd",
        "Privacy Desk is na {attempts} pogingen gestopt met het versturen van een e-mail ({kind}) voor dossier "
        "{reference}.\n"
        "Laatste fout: {error}\n\n"
        "Controleer het geregistreerde adres en de mailserver en verstuur de e-mail opnieuw "
        "(privacy-desk outbox retry {email_id}), of neem op een andere manier contact op met de aanvrager.",
    ),
    "staff_digest": (
        "Dagelijks overzicht van dossiers die aandacht nodig hebben, {date}",
        "Dossiers die binnen 7 dagen aflopen:\n{due_soon}\n\n"
        "Verlopen dossiers:\n{overdue}\n\n"
        "Dossiers die al meer dan 5 dagen niet zijn opgepakt:\n{unclaimed}\n\n"
        "De wachtrij van de FG: {link}",
    ),
}


# The chat's apology when the assistant fails on our side (web/turn_faults.py): what happened, what to do.
CHAT_FAULT = {
    "saved": "Sorry, er ging aan onze kant iets mis en ik kan nu niet antwoorden. Wat u schreef, is bewaard.",
    "not_handled": "Sorry, er ging aan onze kant iets mis en uw bericht kon niet worden verwerkt.",
    "try_again": "Probeer het over een paar minuten opnieuw.",
    "write_to": "Probeer het over een paar minuten opnieuw, of schrijf ons op {address}.",
}


# De kopie van iemands gegevens (summary.html van een export, bot/export_summary.py).
EXPORT = {
    "title": "Kopie van uw persoonsgegevens",
    "intro": "Dit is een kopie van de persoonsgegevens die wij over u bewaren, opgesteld op {date} als antwoord "
             "op uw verzoek {reference}. Het bestand export.json bevat dezelfde gegevens in een vorm die andere "
             "diensten kunnen lezen.",
    "withheld": "Verificatiecodes en -links zijn weggelaten: die dienden alleen om uw identiteit te bevestigen.",
    "you": "Uw gegevens",
    "name": "Naam",
    "email": "E-mailadres",
    "phone": "Telefoonnummer",
    "cases": "Uw verzoeken",
    "received": "Ontvangen",
    "status": "Stand",
    "outcome": "Uitkomst",
    "conversations": "Chatgesprekken",
    "from_you": "U",
    "from_us": "Wij",
    "letters": "E-mails die u ons stuurde",
    "sent": "Berichten die wij u stuurden",
    "attachments": "Bijlagen",
    "audit": "Wat er met uw verzoeken is gedaan",
    "none": "Geen.",
}
EXPORT_STATUS = {
    "awaiting_details": "wacht op gegevens",
    "awaiting_verification": "wacht op identiteitsbewijs",
    "verified": "wacht op behandeling",
    "in_review": "in behandeling",
    "awaiting_requester": "wacht op uw antwoord",
    "fulfilled": "afgehandeld",
    "denied": "afgewezen",
    "withdrawn": "ingetrokken",
}
