"""The queue page, bulk claim and assign, the CSV export, and jumping to a case by its reference."""
from __future__ import annotations

import logging
from urllib.parse import quote

from sqlalchemy import select
from starlette.responses import Response
from starlette.routing import Route

from bot import cases, staff
from bot.audit import record
from bot.console import queue_view
from bot.console.csv_export import queue_csv
from bot.console.web import Ctx, action, page
from bot.models import Case
from bot.references import normalise
from bot.staff import Permission

log = logging.getLogger("privacy_desk.console")


def show_queue(ctx: Ctx) -> Response:
    view = queue_view.QueueView.from_query(ctx.request.query_params)
    with ctx.session() as session:
        found = queue_view.list_cases(session, view)
        languages = sorted(set(session.execute(select(Case.language).distinct()).scalars()))
        return ctx.render("queue.html", rows=queue_view.rows(found), view=view, languages=languages,
                          staff_names=staff.active_names(session), query=view.query_string(),
                          may_export_personal=ctx.who.can(Permission.EXPORT_PERSONAL_DATA))


def bulk(ctx: Ctx) -> Response:
    """Claim or assign several cases; each is its own transaction, so one conflict does not undo the rest."""
    what = ctx.form.choice("bulk", "Bulk action", ("claim", "assign"))
    references = ctx.form.references("reference")
    back = "/console/queue" + ("?" + ctx.form.get("query") if _safe_query(ctx.form.get("query")) else "")
    if not references:
        return ctx.redirect(back, flash="Tick at least one case first.")
    to = ctx.form.text("to", "Assign to", max_length=100, required=what == "assign")
    done, refused = [], []
    for reference in references[:200]:
        try:
            with ctx.session() as session:
                if what == "claim":
                    case = cases.claim(session, reference, staff=ctx.who.name)
                else:
                    case = cases.assign(session, reference, to=_active_name(session, to), by=ctx.who.name)
                done.append(case.reference)
        except (LookupError, ValueError) as exc:  # not found, conflicts, illegal moves: reported, not raised
            refused.append(str(exc))
    log.info("bulk %s of %d case(s) by staff #%s (%d refused)", what, len(done), ctx.who.staff_id, len(refused))
    verb = "Claimed" if what == "claim" else f"Assigned to {to}"
    message = f"{verb}: {', '.join(done) or 'none'}." + (" Not done: " + " ".join(refused) if refused else "")
    return ctx.redirect(back, flash=message)


def _active_name(session, name: str) -> str:
    member = staff.find(session, name)
    if member is None or not member.active:
        raise staff.StaffError(f"{name!r} is not an active staff member.")
    return member.name


def _safe_query(query: str) -> bool:
    """The queue's own filter string, sent back so the page reopens as it was; nothing that could redirect."""
    return bool(query) and len(query) < 500 and all(c.isalnum() or c in "=&_-%+." for c in query)


def export_csv(ctx: Ctx) -> Response:
    view = queue_view.QueueView.from_query(ctx.request.query_params)
    with ctx.session() as session:
        body = queue_csv(queue_view.list_cases(session, view))
    return _csv_response(body, "privacy-desk-queue.csv")


def export_csv_personal(ctx: Ctx) -> Response:
    """With requester names and addresses: DPO only, recorded in every exported case's audit trail."""
    view = queue_view.QueueView.from_query(ctx.request.query_params)
    with ctx.session() as session:
        found = queue_view.list_cases(session, view)
        for case in found:
            record(session, case, actor=ctx.who.name, action="exported_with_personal_data",
                   reason="Queue CSV export including requester contact details")
        body = queue_csv(found, personal=True)
    log.info("queue export with personal data of %d case(s) by staff #%s", len(found), ctx.who.staff_id)
    return _csv_response(body, "privacy-desk-queue-with-requesters.csv")


def _csv_response(body: str, filename: str) -> Response:
    # A byte-order mark so spreadsheet programs read accented names as UTF-8.
    return Response("\ufeff" + body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def find_case(ctx: Ctx) -> Response:
    typed = ctx.request.query_params.get("reference", "")[:100]
    reference = normalise(typed)
    if reference is None:
        return ctx.redirect("/console/queue", flash="That is not a case reference; one looks like PD-7K3M-Q9TX.")
    return ctx.redirect(f"/console/cases/{quote(reference)}")


def routes() -> list[Route]:
    return [
        Route("/console/queue", page(show_queue), methods=["GET"], name="queue"),
        Route("/console/queue/bulk", action(bulk), methods=["POST"], name="queue_bulk"),
        Route("/console/queue.csv", page(export_csv), methods=["GET"], name="queue_csv"),
        Route("/console/queue-with-requesters.csv", action(export_csv_personal, Permission.EXPORT_PERSONAL_DATA),
              methods=["POST"], name="queue_csv_personal"),
        Route("/console/find", page(find_case), methods=["GET"], name="find"),
    ]
