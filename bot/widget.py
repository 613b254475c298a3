"""The public website page with the chat widget, as Starlette routes the console app includes.

web/ holds the page and its static files; this module only serves them and fills in the three values the
page needs (where the Rasa server is, and the data-compliance address to offer when it is not reachable).
"""
from __future__ import annotations

from html import escape
from pathlib import Path
from string import Template

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot import notices, settings

WEB = Path(__file__).resolve().parent.parent / "web"
STATIC = WEB / "static"
SOCKET_IO_CLIENT = STATIC / "vendor" / "socket.io.min.js"
BUILD_HINT = "the widget's socket.io client is not built: run `make web` (needs Node.js and npm)"


def routes() -> list[BaseRoute]:
    """`/` is the company page; `/widget/...` its scripts, styles and the vendored socket.io client."""
    return [Route("/", homepage, name="widget_page"),
            Mount("/widget", app=StaticFiles(directory=STATIC, check_dir=False), name="widget")]


def create_app() -> Starlette:
    """The page on its own: for tests, and for `privacy-desk run` before the staff console exists."""
    return Starlette(routes=routes())


def rasa_origin(request: Request) -> str:
    """The Rasa server as a visitor's browser reaches it: a proxy's URL when set, else this host's Rasa port."""
    configured = settings.get("widget_rasa_url").rstrip("/")
    host = request.url.hostname or "localhost"
    host = f"[{host}]" if ":" in host else host  # an IPv6 address
    return configured or f"{request.url.scheme}://{host}:{settings.get_int('rasa_port')}"


async def homepage(request: Request) -> HTMLResponse:
    rasa = rasa_origin(request)
    page = Template((WEB / "index.html").read_text(encoding="utf-8")).substitute(
        rasa_url=escape(rasa, quote=True), compliance_email=escape(notices.compliance_address(), quote=True))
    return HTMLResponse(page, headers=_security_headers(rasa))


def _security_headers(rasa: str) -> dict[str, str]:
    # The page runs only its own scripts and talks only to itself and to the Rasa server (HTTP polling, then
    # a WebSocket), so injected markup could neither run nor send anything elsewhere.
    socket = rasa.replace("https://", "wss://", 1).replace("http://", "ws://", 1)
    policy = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              f"connect-src 'self' {rasa} {socket}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
    return {"Content-Security-Policy": policy, "Referrer-Policy": "same-origin",
            "X-Content-Type-Options": "nosniff"}
