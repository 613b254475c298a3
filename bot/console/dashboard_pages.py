"""The dashboard: the state of the queue at a glance, as charts with their numbers written on them."""
from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from bot.console import charts, stats
from bot.console.present import CHANNEL_LABELS, request_label, status_label
from bot.console.web import Ctx, page


def show_dashboard(ctx: Ctx) -> Response:
    with ctx.session() as session:
        numbers = stats.dashboard(session)
    by_channel = {CHANNEL_LABELS.get(k, k): v for k, v in numbers["by_channel"].items()}
    by_language = {k.upper(): v for k, v in numbers["by_language"].items()}
    return ctx.render(
        "dashboard.html", numbers=numbers,
        status_chart=charts.bars([(status_label(s), n) for s, n in numbers["open_by_status"]]),
        type_chart=charts.bars([(request_label(t), n) for t, n in numbers["open_by_type"]]),
        channel_chart=charts.lines(numbers["weeks"], by_channel),
        language_chart=charts.lines(numbers["weeks"], by_language),
        by_channel=by_channel, by_language=by_language)


def routes() -> list[Route]:
    return [Route("/console/dashboard", page(show_dashboard), methods=["GET"], name="dashboard")]
