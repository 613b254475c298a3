"""The assistant's chat turns composed into one letter, in the language the person wrote in."""
from __future__ import annotations

from mail_ingest.reading import what_to_read

# (closing, how to continue, subject when the letter had none), per language we answer in.
LETTER_PARTS = {
    "en": ("Kind regards,\nThe Data Protection team",
           "To continue, reply to this email and keep {reference} in the subject.",
           "Your data protection request"),
    "fr": ("Cordialement,\nL'équipe Protection des données",
           "Pour continuer, répondez à ce message en gardant {reference} dans l'objet.",
           "Votre demande relative à vos données personnelles"),
    "de": ("Mit freundlichen Grüßen\nIhr Datenschutz-Team",
           "Um fortzufahren, antworten Sie auf diese E-Mail und lassen Sie {reference} im Betreff stehen.",
           "Ihre Datenschutzanfrage"),
    "es": ("Atentamente,\nEl equipo de Protección de Datos",
           "Para continuar, responda a este correo y mantenga {reference} en el asunto.",
           "Su solicitud de protección de datos"),
    "it": ("Cordiali saluti,\nIl team Protezione dei dati",
           "Per continuare, risponda a questa e-mail mantenendo {reference} nell'oggetto.",
           "La sua richiesta sulla protezione dei dati"),
    "nl": ("Met vriendelijke groet,\nHet team Gegevensbescherming",
           "Wilt u verder gaan, beantwoord dan deze e-mail en laat {reference} in het onderwerp staan.",
           "Uw verzoek over gegevensbescherming"),
    "pt": ("Com os melhores cumprimentos,\nA equipa de Proteção de Dados",
           "Para continuar, responda a este e-mail mantendo {reference} no assunto.",
           "O seu pedido de proteção de dados"),
    "cs": ("S pozdravem\nTým ochrany osobních údajů",
           "Chcete-li pokračovat, odpovězte na tento e-mail a ponechte {reference} v předmětu.",
           "Vaše žádost týkající se ochrany osobních údajů"),
    "da": ("Med venlig hilsen\nDatabeskyttelsesteamet",
           "Svar på denne e-mail for at fortsætte, og behold {reference} i emnefeltet.",
           "Din henvendelse om databeskyttelse"),
    "fi": ("Ystävällisin terveisin\nTietosuojatiimi",
           "Jatkaaksesi vastaa tähän sähköpostiin ja säilytä {reference} aiherivillä.",
           "Tietosuojapyyntösi"),
    "el": ("Με εκτίμηση,\nΗ ομάδα Προστασίας Δεδομένων",
           "Για να συνεχίσετε, απαντήστε σε αυτό το μήνυμα διατηρώντας το {reference} στο θέμα.",
           "Το αίτημά σας για την προστασία δεδομένων"),
    "ro": ("Cu stimă,\nEchipa de Protecție a Datelor",
           "Pentru a continua, răspundeți la acest e-mail și păstrați {reference} în subiect.",
           "Solicitarea dumneavoastră privind protecția datelor"),
}


def compose(replies: list[dict], language: str, reference: str) -> str | None:
    """One letter from the assistant's messages; None when it said nothing a letter can carry."""
    parts = []
    for message in replies:
        if isinstance(message.get("text"), str) and message["text"].strip():
            parts.append(message["text"].strip())
        # Buttons cannot be pressed in a letter: their titles tell the person what they may answer.
        titles = [b.get("title") for b in message.get("buttons") or [] if isinstance(b, dict) and b.get("title")]
        if titles:
            parts.append("\n".join(f"- {title}" for title in titles))
    if not parts:
        return None
    closing, how_to_continue, _ = LETTER_PARTS.get(language, LETTER_PARTS["en"])
    return "\n\n".join([*parts, closing, how_to_continue.format(reference=reference)]) + "\n"


def subject(original: str, language: str) -> str:
    """"Re: " and the person's own subject (the outbox puts the case reference in front)."""
    topic = what_to_read("", original) or LETTER_PARTS.get(language, LETTER_PARTS["en"])[2]
    return f"Re: {topic}"


def references(previous: str | None, message_id: str | None, keep: int = 20) -> str | None:
    """The References header of the answer: the thread so far and the letter answered (RFC 5322 3.6.4)."""
    ids = (previous or "").split() + ([message_id] if message_id else [])
    return " ".join(list(dict.fromkeys(ids))[-keep:]) or None
