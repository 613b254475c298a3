"""The case page and the actions on it. Every action calls bot/, which writes the audit event with the
staff member's name; a refusal from bot/ is shown on the page with what was typed kept in the form."""
from __future__ import annotations

import logging

from starlette.responses import Response
from starlette.routing import Route

from bot import audit, cases, staff
from bot.console import ask, case_view, export_pages
from bot.console.web import Ctx, action, page
from bot.deadlines import ExtensionRefused
from bot.lifecycle import IllegalTransition
from bot.staff import Permission

log = logging.getLogger("privacy_desk.console")

TEXT_LIMIT = 5000  # a note or a reason; the audit trail is read by people, not filled by scripts


def show_case(ctx: Ctx, *, error: str = "", status: int = 200, typed: dict | None = None) -> Response:
    reference = ctx.request.path_params["reference"]
    with ctx.session() as session:
        try:
            case = cases.get_case(session, reference)
        except cases.CaseNotFound as exc:
            return ctx.no_such_case(exc)
        audit.record_view(session, case, actor=ctx.who.name, via="console")
        return ctx.render("case.html", status, case=case, error=error, typed=typed or {},
                          requests=case.requests, transcripts=case_view.transcripts(case),
                          thread=case_view.email_thread(session, case),
                          verification=case_view.verification_state(case),
                          events=case.events, event_details=case_view.event_details,
                          staff_names=staff.active_names(session), can_verify=_document_verifier() is not None,
                          may={p.value: ctx.who.can(p) for p in Permission}, export=export_pages.offer(case))


def _act(ctx: Ctx, verb: str, work, typed: dict | None = None) -> Response:
    """Run `work(session, reference)` in one transaction; on success back to the case with a message."""
    reference = ctx.request.path_params["reference"]
    try:
        with ctx.session() as session:
            case = work(session, reference)
            canonical = case.reference
    except cases.CaseNotFound as exc:
        return ctx.no_such_case(exc)
    except (cases.CaseConflict, IllegalTransition) as exc:
        return show_case(ctx, error=str(exc), status=409, typed=typed)
    except (ExtensionRefused, staff.StaffError, ValueError) as exc:
        return show_case(ctx, error=str(exc), status=422, typed=typed)
    log.info("case %s %s by staff #%s", canonical, verb, ctx.who.staff_id)
    return ctx.redirect(f"/console/cases/{canonical}", flash=f"Case {canonical} {verb}.")


def claim(ctx: Ctx) -> Response:
    return _act(ctx, "claimed", lambda s, ref: cases.claim(s, ref, staff=ctx.who.name))


def assign(ctx: Ctx) -> Response:
    to = ctx.form.text("to", "Assign to", max_length=100, required=True)

    def work(session, reference):
        member = staff.find(session, to)
        if member is None or not member.active:
            raise staff.StaffError(f"{to!r} is not an active staff member; choose a name from the list.")
        return cases.assign(session, reference, to=member.name, by=ctx.who.name)
    return _act(ctx, f"assigned to {to}", work)


def note(ctx: Ctx) -> Response:
    text = ctx.form.text("text", "The note", max_length=TEXT_LIMIT, required=True, multiline=True)
    return _act(ctx, "noted", lambda s, ref: cases.add_note(s, ref, text, actor=ctx.who.name), {"note": text})


def ask_requester(ctx: Ctx) -> Response:
    question = ctx.form.text("question", "The question", max_length=TEXT_LIMIT, required=True, multiline=True)
    return _act(ctx, "is waiting for the requester's answer (email queued)",
                lambda s, ref: ask.ask_requester(s, ref, question=question, actor=ctx.who.name),
                {"question": question})


def _document_verifier():
    """bot/verification.py's function, written by the verification area; None until it exists."""
    try:
        from bot.verification import mark_document_verified
    except ImportError:
        return None
    return mark_document_verified


def verify_document(ctx: Ctx) -> Response:
    seen = ctx.form.text("seen", "The document seen", max_length=200, required=True)
    verifier = _document_verifier()
    if verifier is None:
        return show_case(ctx, status=501, typed={"seen": seen},
                         error="Identity verification by document is not installed yet "
                               "(bot.verification.mark_document_verified); nothing was changed.")

    def work(session, reference):
        case = cases.get_case(session, reference, for_update=True)
        verifier(session, case, staff=ctx.who.name, seen=seen)
        return case
    return _act(ctx, "marked as verified by document", work, {"seen": seen})


def extend(ctx: Ctx) -> Response:
    months = int(ctx.form.choice("months", "Extend by", ("1", "2")))
    reason = ctx.form.text("reason", "The reason for the extension", max_length=TEXT_LIMIT, required=True,
                           multiline=True)
    return _act(ctx, f"extended by {months} month(s); the requester is told",
                lambda s, ref: cases.extend(s, ref, months=months, reason=reason, actor=ctx.who.name),
                {"extend_reason": reason})


def fulfil(ctx: Ctx) -> Response:
    text = ctx.form.text("note", "What was done", max_length=TEXT_LIMIT, multiline=True)
    erase = ctx.form.get("erase_own_data") == "yes"  # only offered on an erasure case; bot/ checks again
    verb = ("fulfilled; the requester is told, and Privacy Desk's own data about them is erased" if erase
            else "fulfilled; the requester is told")
    return _act(ctx, verb, lambda s, ref: cases.fulfil(s, ref, actor=ctx.who.name, note=text, erase_own_data=erase),
                {"fulfil_note": text, "erase_own_data": erase})


def deny(ctx: Ctx) -> Response:
    reason = ctx.form.text("reason", "The reason for the refusal", max_length=TEXT_LIMIT, required=True,
                           multiline=True)
    return _act(ctx, "denied; the requester is told the reason",
                lambda s, ref: cases.deny(s, ref, reason=reason, actor=ctx.who.name), {"deny_reason": reason})


def withdraw(ctx: Ctx) -> Response:
    reason = ctx.form.text("reason", "Why the case is withdrawn", max_length=TEXT_LIMIT, multiline=True)
    return _act(ctx, "closed as withdrawn",
                lambda s, ref: cases.withdraw(s, ref, actor=ctx.who.name, reason=reason), {"withdraw_reason": reason})


ACTIONS = {  # path segment: (handler, permission)
    "claim": (claim, Permission.WORK_CASES),
    "assign": (assign, Permission.WORK_CASES),
    "note": (note, Permission.WORK_CASES),
    "ask": (ask_requester, Permission.WORK_CASES),
    "verify-document": (verify_document, Permission.WORK_CASES),
    "extend": (extend, Permission.EXTEND),
    "fulfil": (fulfil, Permission.FULFIL),
    "deny": (deny, Permission.DENY),
    "withdraw": (withdraw, Permission.WITHDRAW),
}


def routes() -> list[Route]:
    found = [Route("/console/cases/{reference}", page(show_case), methods=["GET"], name="case")]
    for name, (handler, permission) in ACTIONS.items():
        found.append(Route(f"/console/cases/{{reference}}/{name}", action(handler, permission), methods=["POST"],
                           name=f"case_{name.replace('-', '_')}"))
    return found + export_pages.routes()
