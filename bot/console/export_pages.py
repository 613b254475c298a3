"""The copy of a person's data, from the case page: a confirmation page that says what the package will hold,
then the zip as a download. Only the DPO exports personal data (bot/staff.py); the export is recorded in
the case's audit trail by bot/export.py. Nothing is sent to the requester: the DPO reviews and sends it."""
from __future__ import annotations

import logging

from starlette.responses import Response
from starlette.routing import Route

from bot import cases, export, export_document, person_records
from bot.console.web import Ctx, action, page
from bot.models import Case, utcnow
from bot.staff import Permission

log = logging.getLogger("privacy_desk.console")


def offer(case: Case) -> dict:
    """What the case page says about an export: shown on access and portability cases, with the reason when
    it cannot be made yet."""
    return {"shown": bool(export.COPY_REQUESTS & set(case.request_types)), "refusal": export.refusal(case)}


def confirm(ctx: Ctx) -> Response:
    reference = ctx.request.path_params["reference"]
    with ctx.session() as session:
        try:
            case = cases.get_case(session, reference)
        except cases.CaseNotFound as exc:
            return ctx.no_such_case(exc)
        refusal = export.refusal(case)
        if refusal:
            return ctx.render("error.html", 409, title="No export for this case", message=refusal,
                              back=f"/console/cases/{case.reference}")
        records = person_records.find(session, case)
        held = export_document.counts(export_document.document(case, records, utcnow()))
        return ctx.render("case_export.html", case=case, held=held,
                          references=[c.reference for c in records.cases])


def download(ctx: Ctx) -> Response:
    from bot.console.case_pages import show_case  # the case page imports this module for its routes

    reference = ctx.request.path_params["reference"]
    try:
        with ctx.session() as session:
            package = export.export_case(session, reference, actor=ctx.who.name, via="console")
            body = package.zip_bytes()  # before the commit: no zip, no export in the audit trail
    except cases.CaseNotFound as exc:
        return ctx.no_such_case(exc)
    except export.ExportRefused as exc:
        return show_case(ctx, error=str(exc), status=409)
    log.info("case %s exported by staff #%s", package.reference, ctx.who.staff_id)
    return Response(body, media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{package.filename}"',
                             "Cache-Control": "no-store"})


def routes() -> list[Route]:
    return [
        Route("/console/cases/{reference}/export", page(confirm, Permission.EXPORT_PERSONAL_DATA), methods=["GET"],
              name="case_export_confirm"),
        Route("/console/cases/{reference}/export", action(download, Permission.EXPORT_PERSONAL_DATA),
              methods=["POST"], name="case_export"),
    ]
