"""Running the console with uvicorn: `python -m bot.console`, or `run_forever()` from the `make run` supervisor."""
from __future__ import annotations

import logging

import uvicorn

from bot import db, settings, staff
from bot.console.app import create_app


def console_url(host: str | None = None, port: int | None = None) -> str:
    host = host or settings.get("console_host")
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    return f"http://{shown}:{port or settings.get_int('console_port')}/console/"


def prepare(database_url: str | None = None) -> str | None:
    """Migrate the store and create the first DPO account when there is no staff; returns what to print."""
    db.upgrade(database_url)
    with db.session_scope(database_url) as session:
        return staff.ensure_admin(session)


def server(host: str | None = None, port: int | None = None, database_url: str | None = None,
           **app_options) -> uvicorn.Server:
    """A uvicorn server for the console; a supervisor may run `.serve()` and set `.should_exit` to stop it."""
    # No access log: it would record staff's and visitors' addresses. No WebSockets: the console needs none, and
    # Rasa's pinned websockets is too old for uvicorn's.
    config = uvicorn.Config(create_app(database_url, **app_options), host=host or settings.get("console_host"),
                            port=port or settings.get_int("console_port"), log_level="info", ws="none",
                            proxy_headers=False, server_header=False, access_log=False)
    return uvicorn.Server(config)


def run_forever(host: str | None = None, port: int | None = None, database_url: str | None = None,
                **app_options) -> None:
    """Serve until Ctrl-C (uvicorn stops cleanly on SIGINT and SIGTERM)."""
    message = prepare(database_url)
    if message:
        print(message, flush=True)
    print(f"Staff console: {console_url(host, port)}", flush=True)
    server(host, port, database_url, **app_options).run()
