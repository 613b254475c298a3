"""The page behind the link in a verification email: /verify/<token>.

Opening the link (GET) changes nothing, because mail scanners open links on their own; the person confirms
with a button (POST), which redeems the single-use token through bot.verification.
"""
from __future__ import annotations

import html
import logging

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from bot import db, verification

log = logging.getLogger("privacy_desk.verify_page")

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>{title} - Privacy Desk</title>
<style>body{{font:1.05rem/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1d2530}}
button{{font:inherit;padding:.6rem 1.2rem;border-radius:.4rem;border:0;background:#1f5fbf;color:#fff;cursor:pointer}}
button:focus{{outline:3px solid #f0b400}}</style></head>
<body><main><h1>{title}</h1>{body}</main></body></html>"""


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    headers = {"Cache-Control": "no-store", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"}
    return HTMLResponse(PAGE.format(title=html.escape(title), body=body), status_code=status, headers=headers)


async def confirm_page(request: Request) -> HTMLResponse:
    return _page("Confirm your email address",
                 "<p>You asked us to act on a data-protection request. Press the button to confirm that this "
                 "email address is yours.</p><form method=\"post\"><button type=\"submit\">Confirm my email "
                 "address</button></form>")


async def redeem(request: Request) -> HTMLResponse:
    token = request.path_params["token"]
    case = None
    if 0 < len(token) <= 200:
        with db.session_scope() as session:
            case = verification.redeem_link_token(session, token)
            reference = case.reference if case else None
    if case is None:
        return _page("This link can no longer be used",
                     "<p>It has expired, was already used, or is not complete. Type the 6-digit code from the same "
                     "email in the chat, or reply to our email, and we will send you a new one.</p>", status=410)
    log.info("case %s: email confirmed by link", reference)
    return _page("Thank you",
                 f"<p>Your email address is confirmed for case <strong>{html.escape(reference)}</strong>. "
                 "We will write to you with our answer; you can close this page.</p>")


def routes() -> list[Route]:
    return [Route("/verify/{token}", confirm_page, methods=["GET"]),
            Route("/verify/{token}", redeem, methods=["POST"])]
