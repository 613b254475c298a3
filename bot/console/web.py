"""The plumbing every console page shares: who is signed in, the CSRF check, the role check, rendering.

Pages are plain functions `handler(ctx) -> Response`. `page()` and `action()` turn them into Starlette
endpoints that run them in a worker thread (the case store is synchronous SQLAlchemy), so no page can
forget to check the session, the CSRF token or the role.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import jinja2
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bot import db
from bot.console import auth
from bot.console.forms import Form, FormRefused, read_form
from bot.staff import Permission, require

TEMPLATES = Path(__file__).resolve().parent / "templates"
SESSION_KEY = "token"


def template_environment() -> jinja2.Environment:
    # Autoescape everywhere: requesters write free text, and all of it reaches these pages.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    from bot.console import present
    env.filters.update(present.FILTERS)
    env.globals.update(present.GLOBALS)
    return env


class CsrfRefused(Exception):
    """A form without this session's token: forged by another site, or from a page left open too long."""


@dataclass
class Ctx:
    request: Request
    who: auth.SignedIn
    form: Form | None
    database_url: str

    def render(self, template: str, status: int = 200, **context) -> HTMLResponse:
        return render(self.request, template, status, who=self.who, **context)

    def no_such_case(self, missing: Exception) -> HTMLResponse:
        """The page for a reference that names no case (mistyped, or from an old link)."""
        return self.render("error.html", 404, title="No such case", message=str(missing), back="/console/queue")

    def redirect(self, path: str, flash: str | None = None) -> RedirectResponse:
        if flash:  # kept in the signed cookie until shown: short, and never a requester's details
            self.request.session["flash"] = flash[:600] + ("…" if len(flash) > 600 else "")
        return RedirectResponse(path, status_code=303)

    def session(self):
        return db.session_scope(self.database_url)


def render(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
    env: jinja2.Environment = request.app.state.templates
    context.setdefault("who", None)
    context.setdefault("flash", request.session.pop("flash", None) if "session" in request.scope else None)
    context.setdefault("login_csrf", "")
    html = env.get_template(template).render(request_path=request.url.path, **context)
    return HTMLResponse(html, status_code=status)


def page(handler, permission: Permission = Permission.WORK_CASES):
    async def endpoint(request: Request) -> Response:
        return await run_in_threadpool(_run, request, None, handler, permission)
    endpoint.__name__ = handler.__name__
    return endpoint


def action(handler, permission: Permission = Permission.WORK_CASES):
    async def endpoint(request: Request) -> Response:
        check_origin(request)
        form = await read_form(request)
        return await run_in_threadpool(_run, request, form, handler, permission)
    endpoint.__name__ = handler.__name__
    return endpoint


def _run(request: Request, form: Form | None, handler, permission: Permission) -> Response:
    database_url = request.app.state.database_url
    with db.session_scope(database_url) as session:
        who = auth.current(session, request.session.get(SESSION_KEY))
    if who is None:
        return _sign_in_again(request, form)
    if form is not None and not secrets.compare_digest(form.get("csrf_token").encode(), who.csrf_token.encode()):
        raise CsrfRefused()
    require(who.role, permission)
    return handler(Ctx(request, who, form, database_url))


def _sign_in_again(request: Request, form: Form | None) -> Response:
    request.session.pop(SESSION_KEY, None)
    if form is None:  # back to the same page, filters included, once signed in
        wanted = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/console/login?next={quote(wanted, safe='/')}", status_code=303)
    # A form posted after the session ended: nothing was done; say so rather than silently redirecting.
    return render(request, "login.html", 401, login_csrf=login_csrf(request), next_path="/console/queue",
                  error="Your session has ended, so nothing was changed. Sign in and do it again.")


def login_csrf(request: Request) -> str:
    """The sign-in form's token lives in the signed cookie: there is no server session before sign-in."""
    token = request.session.get("login_csrf")
    if not token:
        token = request.session["login_csrf"] = secrets.token_urlsafe(32)
    return token


def check_origin(request: Request) -> None:
    """Browsers name the site a form came from; one from another site is refused before it is read.

    "null" (a sandboxed frame, some privacy settings) proves nothing either way: the CSRF token decides."""
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host", ""):
        raise CsrfRefused()
