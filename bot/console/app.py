"""The staff console as one Starlette application, served under /console/.

`create_app()` also serves the public website (the page with the chat widget at /, and the page behind
verification links; or whatever routes the caller passes as `extra_routes`), so `make run` needs one web server.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Sequence

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot import db, settings
from bot.console import auth, case_pages, dashboard_pages, login_pages, queue_pages
from bot.console.forms import FormRefused
from bot.console.security import SecurityHeaders
from bot.console.web import CsrfRefused, render, template_environment
from bot.secret import derived_key
from bot.staff import NotAllowed

log = logging.getLogger("privacy_desk.console")

STATIC = Path(__file__).resolve().parent / "static"
COOKIE = "privacy_desk_console"


def create_app(database_url: str | None = None, *, extra_routes: Sequence[BaseRoute] | None = None,
               secret: str | None = None) -> Starlette:
    """The console, plus `extra_routes` (default: the website page with the chat widget, when available)."""
    website = _website_routes() if extra_routes is None else list(extra_routes)
    routes: list[BaseRoute] = [
        Route("/console", _to_queue, methods=["GET"]),
        Route("/console/", _to_queue, methods=["GET"]),
        *login_pages.routes(), *queue_pages.routes(), *case_pages.routes(), *dashboard_pages.routes(),
        Mount("/console/static", StaticFiles(directory=STATIC), name="static"),
        *website,
    ]
    if not any(getattr(route, "path", None) == "/" for route in website):
        routes.append(Route("/", _to_queue, methods=["GET"]))
    # Its own key derived from the server secret: a cookie signature is useless for any other purpose.
    secret = secret or derived_key("console-session").hex()
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(SessionMiddleware, secret_key=secret, session_cookie=COOKIE,
                   max_age=int(auth.MAX_SESSION.total_seconds()), path="/console", same_site="lax",
                   https_only=settings.get("console_secure_cookies").strip().lower() == "true"),
    ]
    app = Starlette(routes=routes, middleware=middleware, exception_handlers=_ERROR_PAGES)
    app.state.database_url = database_url or db.database_url()
    app.state.templates = template_environment()
    return app


def _website_routes() -> list[BaseRoute]:
    """The public website: the page with the chat widget, and the page behind verification links."""
    from bot import verify_page, widget

    return [*widget.routes(), *verify_page.routes()]


async def _to_queue(_request: Request) -> Response:
    return RedirectResponse("/console/queue", status_code=303)


def _back(request: Request) -> str:
    """Where the error page's link leads: the case the form was on, else the queue."""
    parts = request.url.path.split("/")
    if len(parts) > 3 and parts[1:3] == ["console", "cases"]:
        return "/".join(parts[:4])
    return "/console/queue"


def _error(request: Request, status: int, title: str, message: str) -> Response:
    return render(request, "error.html", status, title=title, message=message, back=_back(request))


async def _form_refused(request: Request, exc: FormRefused) -> Response:
    return _error(request, exc.status, "The form could not be used", exc.message)


async def _csrf_refused(request: Request, _exc: CsrfRefused) -> Response:
    log.warning("form refused: missing or wrong CSRF token on %s", request.url.path)
    return _error(request, 403, "This form was refused",
                  "The form did not carry this session's security token: it came from another site, or from a "
                  "page opened before you last signed in. Nothing was changed. Go back, reload the page and "
                  "try again.")


async def _not_allowed(request: Request, exc: NotAllowed) -> Response:
    return _error(request, 403, "Not allowed for your role", f"{exc} Nothing was changed. Ask the DPO to do it.")


async def _http_error(request: Request, exc: HTTPException) -> Response:
    titles = {404: "Page not found", 405: "Not available this way"}
    message = {404: "There is no page at this address.",
               405: "This address does not accept that kind of request."}.get(exc.status_code, str(exc.detail))
    return _error(request, exc.status_code, titles.get(exc.status_code, "Request refused"), message)


async def _unexpected(request: Request, exc: Exception) -> Response:
    if isinstance(exc, db.StoreUnavailable):
        log.error("case store unavailable on %s", request.url.path)
        return _error(request, 503, "The case store is unavailable", "The database could not be reached. "
                      "Try again in a minute; if it persists, tell whoever runs Privacy Desk.")
    # The traceback goes to the server log (paths hold case references only); staff get a plain page.
    log.exception("unexpected error on %s", request.url.path)
    return _error(request, 500, "Something went wrong", "The console could not finish this request; nothing "
                  "more was changed. Try again; if it happens again, tell whoever runs Privacy Desk.")


_ERROR_PAGES = {FormRefused: _form_refused, CsrfRefused: _csrf_refused, NotAllowed: _not_allowed,
                HTTPException: _http_error, Exception: _unexpected}
