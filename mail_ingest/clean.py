"""What the person wrote this time: the quoted thread and the signature taken off, in the languages our
requesters write in. The signature is kept apart, not thrown away: phone numbers often live there."""
from __future__ import annotations

import re
from dataclasses import dataclass

# "On Tue, 3 Mar 2026 at 10:00, Privacy Desk <privacy@example.com> wrote:" and its translations. Mailers
# wrap long attributions, so they are matched on up to three joined lines.
_ATTRIBUTION = re.compile(
    r"^(?:On\b.{0,300}\bwrote"
    r"|Le\b.{0,300}\ba\s+écrit"
    r"|Am\b.{0,300}\bschrieb\b.{0,300}"
    r"|El\b.{0,300}\bescribió"
    r"|Il\b.{0,300}\bha\s+scritto"
    r"|Op\b.{0,300}\bschreef\b.{0,300}"
    r"|Em\b.{0,300}\bescreveu"
    r"|Dne\b.{0,300}\bnapsal(?:\(a\))?"
    r"|Den\b.{0,300}\bskrev\b.{0,300}"
    r"|În\b.{0,300}\ba\s+scris"
    r")\s*:\s*$", re.IGNORECASE)
_ORIGINAL_MESSAGE = re.compile(
    r"^\s*-{2,}\s*(?:Original Message|Message d'origine|Ursprüngliche Nachricht|Mensaje original|"
    r"Messaggio originale|Oorspronkelijk bericht|Mensagem original|Forwarded message|"
    r"Message transféré|Weitergeleitete Nachricht)\s*-{2,}\s*$", re.IGNORECASE)
# Outlook quotes the previous message under a header block: From/De/Von/Da/Van, then Sent/Date/Gesendet...
_HEADER_FROM = re.compile(r"^\s*\*?(?:From|De|Von|Da|Van|Od|Fra|Lähettäjä)\s*\*?\s*:", re.IGNORECASE)
_HEADER_NEXT = re.compile(r"^\s*\*?(?:Sent|Date|Envoyé|Gesendet|Datum|Enviado|Inviato|Data|Verzonden|Odesláno|"
                          r"Sendt|Lähetetty|Subject|Objet|Betreff|Asunto|Oggetto|Onderwerp|Assunto|To|À|An|Para|"
                          r"A|Aan)\s*\*?\s*:", re.IGNORECASE)
_PHONE_SIGNATURE = re.compile(
    r"^\s*(?:Sent from (?:my|Mail|Outlook|Yahoo)|Get Outlook for|Envoyé de mon|Envoyé depuis|Von meinem|"
    r"Gesendet von|Enviado desde mi|Enviado do meu|Inviato da|Verstuurd vanaf|Odesláno z|Sendt fra min|"
    r"Lähetetty iPhonesta|Trimis de pe)\b.{0,80}$", re.IGNORECASE)
_CLOSING = re.compile(
    r"^\s*(?:kind regards|best regards|warm regards|regards|best wishes|best|many thanks|thanks|thank you|"
    r"sincerely|yours sincerely|yours faithfully|yours truly|cheers|cordialement|bien cordialement|"
    r"salutations distinguées|bien à vous|mit freundlichen grüßen|mit freundlichen grüssen|"
    r"freundliche grüße|viele grüße|beste grüße|mfg|saludos|un saludo|saludos cordiales|atentamente|"
    r"cordiali saluti|distinti saluti|saluti|met vriendelijke groet(?:en)?|vriendelijke groet(?:en)?|"
    r"groeten|atenciosamente|cumprimentos|com os melhores cumprimentos|melhores cumprimentos|"
    r"s pozdravem|med venlig hilsen|venlig hilsen|ystävällisin terveisin|terveisin|cu stimă|"
    r"με εκτίμηση)\s*[,.!]?\s*$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"'«(]?[A-ZÀ-ÖØ-ÞΑ-Ω0-9])")


@dataclass(frozen=True)
class Cleaned:
    text: str             # what the person wrote this time
    signature: str = ""   # the signature block taken off (searched for contact details, never classified)
    had_quote: bool = False


def clean(body: str) -> Cleaned:
    lines = (body or "").replace("\r\n", "\n").split("\n")
    cut = _quote_start(lines)
    had_quote = cut < len(lines) or any(line.lstrip().startswith(">") for line in lines)
    lines = [line for line in lines[:cut] if not line.lstrip().startswith(">")]
    text_lines, signature = _split_signature(lines)
    return Cleaned(_tidy("\n".join(text_lines)), _tidy("\n".join(signature)), had_quote)


def _quote_start(lines: list[str]) -> int:
    """Index of the first line of the quoted previous message, or len(lines) when there is none."""
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if _ORIGINAL_MESSAGE.match(line) or _outlook_header_block(lines, i):
            return i
        if re.match(r"^\s*_{10,}\s*$", line):  # Outlook's rule above the quoted message's header block
            following = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)
            if following is not None and _outlook_header_block(lines, following):
                return i
        for width in (1, 2, 3):
            joined = " ".join(part.strip() for part in lines[i:i + width])
            if _ATTRIBUTION.match(joined) and len(joined) < 400 and _introduces_quote(joined, lines[i + width:]):
                return i
    return len(lines)


def _introduces_quote(attribution: str, rest: list[str]) -> bool:
    """"On 3 March I wrote:" inside a letter is not an attribution; one naming an address, or followed
    by quoted lines, is."""
    following = next((line for line in rest if line.strip()), "")
    return "@" in attribution or "<" in attribution or following.lstrip().startswith(">")


def _outlook_header_block(lines: list[str], i: int) -> bool:
    if not _HEADER_FROM.match(lines[i]):
        return False
    following = [line for line in lines[i + 1:i + 6] if line.strip()]
    return sum(1 for line in following if _HEADER_NEXT.match(line)) >= 2


def _split_signature(lines: list[str]) -> tuple[list[str], list[str]]:
    for i, line in enumerate(lines):
        if line.rstrip() == "--" or _PHONE_SIGNATURE.match(line):  # RFC 3676 "-- ", often with its space lost
            text, closing = _split_closing(lines[:i])
            return text, closing + lines[i + (line.rstrip() == "--"):]
    return _split_closing(lines)


def _split_closing(lines: list[str]) -> tuple[list[str], list[str]]:
    content = [i for i, line in enumerate(lines) if line.strip()]
    # A closing ("Kind regards,") among the last lines, followed only by a short name-and-number block.
    for n, i in enumerate(content[-8:-1], start=max(0, len(content) - 8)):
        after = [lines[j] for j in content[n + 1:]]
        if _CLOSING.match(lines[i]) and len(after) <= 6 and all(len(a.strip()) <= 60 for a in after):
            return lines[:i], lines[i:]
    return lines, []


def _tidy(text: str) -> str:
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def pieces(text: str, longest: int = 400) -> list[str]:
    """Paragraphs, and the sentences of long ones: a letter asking for access in one paragraph and
    erasure in the next classifies better piece by piece than as one block."""
    found = []
    for paragraph in re.split(r"\n\s*\n", text or ""):
        paragraph = " ".join(paragraph.split())
        if not paragraph:
            continue
        if len(paragraph) <= longest:
            found.append(paragraph)
        else:
            found.extend(s for s in _SENTENCE_END.split(paragraph) if s.strip())
    return found
