"""An outbox row as the MIME message the SMTP server receives: threading, automatic-reply and language
headers, plain text plus a simple HTML alternative in which everything the text holds is escaped."""
from __future__ import annotations

import html
import re
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate

from bot.models import OutboundEmail

# Kinds whose words a member of staff wrote: not automatic, so no Auto-Submitted header.
WRITTEN_BY_STAFF = frozenset({"information_request"})
_URL = re.compile(r"https?://[^\s<>\"']+")


def auto_submitted(email: OutboundEmail) -> str | None:
    """RFC 3834: auto-replied for an automatic answer to a message, auto-generated for other notices.
    Either tells the requester's autoresponder not to answer, so two robots never write to each other."""
    if email.kind in WRITTEN_BY_STAFF:
        return None
    return "auto-replied" if email.in_reply_to else "auto-generated"


def build(email: OutboundEmail, *, subject: str, text: str, html_body: str | None, mail_from: str) -> EmailMessage:
    message = EmailMessage(policy=SMTP)
    message["From"] = mail_from
    message["To"] = email.to_address
    message["Subject"] = subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = email.message_id  # stored before the first attempt: a retry is the same message
    if email.in_reply_to:
        message["In-Reply-To"] = email.in_reply_to
        message["References"] = email.references or email.in_reply_to
    elif email.references:
        message["References"] = email.references
    automatic = auto_submitted(email)
    if automatic:
        message["Auto-Submitted"] = automatic
        message["X-Auto-Response-Suppress"] = "All"  # Exchange's own way of saying the same
    message.set_content(text, charset="utf-8")
    message.add_alternative(html_body or as_html(text, subject=subject, language=email.language), subtype="html",
                            charset="utf-8")
    message["Content-Language"] = email.language  # after the parts: set_content drops Content-* headers
    return message


def as_html(text: str, *, subject: str, language: str) -> str:
    """Paragraphs of escaped text; links made clickable; an indented line (a code) shown large."""
    paragraphs = []
    for block in text.split("\n\n"):
        if block.startswith("    ") and "\n" not in block:
            paragraphs.append('<p style="font-size:1.5em;letter-spacing:.2em"><strong>'
                              f"{html.escape(block.strip())}</strong></p>")
            continue
        escaped = _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', html.escape(block))
        paragraphs.append("<p>" + escaped.replace("\n", "<br>\n") + "</p>")
    return (f'<!DOCTYPE html>\n<html lang="{html.escape(language)}"><head><meta charset="utf-8">'
            f"<title>{html.escape(subject)}</title></head>\n"
            '<body style="font-family:sans-serif;line-height:1.5">\n' + "\n".join(paragraphs) + "\n</body></html>\n")
