"""Matching runs: start one, watch its progress (an htmx-polled partial; a reload works as
well), then accept all or some of its proposals, seeing why each was made and why each open
position stayed open."""

from __future__ import annotations

import uuid
from datetime import time, timedelta
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.core.auth import STAFF_ROLES, Principal, requires
from asta.core.clock import utcnow
from asta.core.errors import AstaError
from asta.marketplace.rules.refusals import from_json
from asta.scheduling import services as scheduling
from asta.scheduling.schemas_runs import AcceptProposals, MatchingRunCreate, MatchingRunRead
from asta.web import matching_labels as ml
from asta.web.forms import Errors, FormAttempt, FormValues
from asta.web.i18n import HELSINKI, gettext
from asta.web.i18n.refusals import render_refusals
from asta.web.i18n.service_messages import translate_error, translate_message
from asta.web.planning import local, parse_date, unit_options, uuid_or_none
from asta.web.rendering import page, request_locale

AnyRequest = Request[Any, Any, Any]
staff_only = requires(*STAFF_ROLES)
TIME_LIMITS = ("5", "10", "20", "60")
_RENAME = {"period_start": "first", "period_end": "last", "unit_ids": "units",
           "time_limit_s": "time_limit"}


async def _start_page(request: AnyRequest, db: AsyncSession, principal: Principal,
                      values: FormValues, errors: Errors, published: int = 0,
                      status_code: int = 200) -> Template:
    return page(request, "matching_runs.html", current="matching_runs", values=values,
                errors=errors, units=await unit_options(db, principal), published=published,
                time_limits=TIME_LIMITS, runs=await scheduling.list_matching_runs(db, principal),
                states=ml.RUN_STATES, status_code=status_code)


@get("/matching-runs", name="matching_runs", guards=[staff_only])
async def matching_runs(request: AnyRequest, db: AsyncSession, principal: Principal,
                        unit_id: str = "", first: str = "", last: str = "",
                        published: int = 0) -> Template:
    today = utcnow().astimezone(HELSINKI).date()
    values = {"units": [unit_id] if unit_id else [],
              "first": first or (today + timedelta(days=1)).isoformat(),
              "last": last or (today + timedelta(days=7)).isoformat(), "time_limit": "10"}
    return await _start_page(request, db, principal, values, {}, published)


@post("/matching-runs", name="matching_run_start", guards=[staff_only])
async def start(request: AnyRequest, db: AsyncSession, principal: Principal) -> Any:
    form = await request.form()
    values: FormValues = {"units": [str(v) for v in form.getall("units", [])],
                          **{k: str(form.get(k, "")) for k in ("first", "last", "time_limit")}}
    locale = request_locale(request)
    first, last = parse_date(values["first"]), parse_date(values["last"])
    async with FormAttempt(db, locale, lambda n: _RENAME.get(n.split(".")[0], "last"),
                           lambda n: _RENAME.get(n, n)) as attempt:
        data = MatchingRunCreate.model_validate({
            "unit_ids": [u for u in values["units"] if uuid_or_none(u)],
            "period_start": local(first, time(0)) if not isinstance(first, str) else first,
            "period_end": (local(last + timedelta(days=1), time(0))
                           if not isinstance(last, str) else last),
            "time_limit_s": values["time_limit"] or "10"})
        run = await scheduling.start_matching_run(db, principal, data)
    errors = attempt.errors
    if not errors:
        return Redirect(f"/matching-runs/{run.id}", status_code=303)
    return await _start_page(request, db, principal, values, errors, status_code=422)


def _explained(run: MatchingRunRead, locale: str) -> dict[str, Any]:
    """Reasons in words; refusals (English from the booking rules) in the page's language."""
    refusals = {p.id: render_refusals(locale, [
        {"code": r["code"], "params": from_json(r.get("params") or {})} for r in p.refusal_rules])
        or translate_message(locale, p.refusal, "rule_violation")
        for p in run.proposals if p.refusal}
    unfilled = [{"gap": u, "why": ml.UNFILLED_REASONS.get(u.reason, ml.UNKNOWN_REASON),
                 "blocked": {rule: len(people) for rule, people in u.detail.items()}}
                for u in run.unfilled]
    return {"refusals": refusals, "unfilled": unfilled, "open": sum(
        1 for p in run.proposals if p.status == "proposed")}


async def _run_page(request: AnyRequest, db: AsyncSession, principal: Principal,
                    run_id: uuid.UUID, *, accepted: bool = False, error: str | None = None,
                    status_code: int = 200) -> Template:
    run = await scheduling.get_matching_run(db, principal, run_id)
    partial = request.headers.get("hx-request") == "true"
    return page(request, "_matching_run.html" if partial else "matching_run.html",
                current="matching_runs", run=run, accepted=accepted, error=error,
                reasons=ml.PROPOSAL_REASONS, states=ml.RUN_STATES,
                proposal_states=ml.PROPOSAL_STATES, status_code=status_code,
                **_explained(run, request_locale(request)))


@get("/matching-runs/{run_id:uuid}", name="matching_run", guards=[staff_only])
async def matching_run(request: AnyRequest, db: AsyncSession, principal: Principal,
                       run_id: uuid.UUID, accepted: bool = False) -> Template:
    return await _run_page(request, db, principal, run_id, accepted=accepted)


@post("/matching-runs/{run_id:uuid}/accept", name="matching_run_accept", guards=[staff_only])
async def accept(request: AnyRequest, db: AsyncSession, principal: Principal,
                 run_id: uuid.UUID) -> Any:
    form = await request.form()
    locale = request_locale(request)
    chosen = [uuid.UUID(v) for v in form.getall("proposal", []) if uuid_or_none(str(v))]
    if form.get("which") != "all" and not chosen:
        return await _run_page(request, db, principal, run_id, status_code=422,
                               error=gettext(locale, "Choose the proposals to accept."))
    data = (AcceptProposals(all=True) if form.get("which") == "all"
            else AcceptProposals(proposal_ids=chosen))
    try:
        await scheduling.accept_proposals(db, principal, run_id, data)
    except AstaError as exc:
        await db.rollback()
        return await _run_page(request, db, principal, run_id, status_code=exc.status,
                               error=translate_error(locale, exc))
    return Redirect(f"/matching-runs/{run_id}?accepted=true", status_code=303)


HANDLERS = [matching_runs, start, matching_run, accept]
