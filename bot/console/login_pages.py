"""Signing in and out of the console."""
from __future__ import annotations

import secrets

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot import db
from bot.console import auth
from bot.console.forms import read_form
from bot.console.web import SESSION_KEY, CsrfRefused, Ctx, action, check_origin, login_csrf, render


def _next_path(value: str) -> str:
    """Only a console page: a link that signs someone in must not send them to another site."""
    if value.startswith("/console/") and not value.startswith("//") and "\\" not in value and len(value) < 300:
        return value
    return "/console/queue"


async def login_page(request: Request) -> Response:
    next_path = _next_path(request.query_params.get("next", ""))
    who = await run_in_threadpool(_signed_in, request)
    if who is not None:
        return RedirectResponse(next_path, status_code=303)
    return render(request, "login.html", login_csrf=login_csrf(request), next_path=next_path, error="")


def _signed_in(request: Request):
    with db.session_scope(request.app.state.database_url) as session:
        return auth.current(session, request.session.get(SESSION_KEY))


def _sign_in(database_url: str, name: str, password: str, address: str) -> auth.LoginOutcome:
    with db.session_scope(database_url) as session:  # committed even when refused: the failure is counted
        return auth.sign_in(session, name, password, address)


async def login(request: Request) -> Response:
    check_origin(request)
    form = await read_form(request)
    expected = request.session.get("login_csrf", "")
    if not expected or not secrets.compare_digest(form.get("csrf_token").encode(), expected.encode()):
        raise CsrfRefused()
    name = form.text("name", "Name", max_length=100)
    password = form.get("password")[:1024]
    address = request.client.host if request.client else "unknown"
    outcome = await run_in_threadpool(_sign_in, request.app.state.database_url, name, password, address)
    next_path = _next_path(form.get("next"))
    if outcome.token is None:
        return render(request, "login.html", 429 if outcome.throttled else 401, login_csrf=login_csrf(request),
                      next_path=next_path, error=outcome.refusal, name=name)
    request.session.clear()  # a fresh cookie at sign-in, so a session planted before it is worthless
    request.session[SESSION_KEY] = outcome.token
    return RedirectResponse(next_path, status_code=303)


def logout(ctx: Ctx) -> Response:
    with ctx.session() as session:
        auth.sign_out(session, ctx.request.session.get(SESSION_KEY))
    ctx.request.session.clear()
    ctx.request.session["flash"] = "You are signed out."
    return RedirectResponse("/console/login", status_code=303)


def routes() -> list[Route]:
    return [
        Route("/console/login", login_page, methods=["GET"], name="login_page"),
        Route("/console/login", login, methods=["POST"], name="login"),
        Route("/console/logout", action(logout), methods=["POST"], name="logout"),
    ]
