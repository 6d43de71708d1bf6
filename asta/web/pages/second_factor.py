"""Two-step verification on the pages: the sign-in's second step (a code, or enrolment for
roles that require it) and each person's own settings (set up, replace, new recovery codes,
turn off). The rules and the checks are asta.accounts.second_factor's."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.params import QueryParameter
from litestar.response import Redirect, Template
from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts import second_factor, totp
from asta.accounts.models import User
from asta.accounts.second_factor_gate import SECOND_STEP
from asta.accounts.totp import Step
from asta.accounts.totp_errors import SecondFactorPendingError
from asta.core.auth import Principal, signed_in
from asta.core.errors import AstaError
from asta.core.security import issue_token
from asta.web.forms import service_errors, text
from asta.web.i18n import N_, gettext
from asta.web.pages.auth import SESSION_MINUTES, safe_next, session_cookie
from asta.web.rendering import page, request_locale
from asta.web.second_step import target

AnyRequest = Request[Any, Any, Any]
# asta.accounts.second_factor's refusals, which these pages show translated.
SERVICE_MESSAGES = (
    N_("The code is wrong or has already been used"),
    N_("Two-step verification is not set up for this account"),
    N_("Your role requires two-step verification: you can replace the authenticator, not turn "
       "it off"),
)
STEP_OPT = {SECOND_STEP: True}
NextParam = Annotated[str | None, QueryParameter(name="next", required=False)]


async def _full_session(db: AsyncSession, user_id: uuid.UUID) -> Cookie:
    """The working day's session, now that the second factor has been checked."""
    user = await db.get(User, user_id)
    assert user is not None  # the principal was loaded from it in this request
    return session_cookie(issue_token(user_id, kind="session", minutes=SESSION_MINUTES,
                                      version=user.session_version, second_factor=True))


def _enrol_page(request: AnyRequest, enrolment: second_factor.Enrolment, action: str,
                values: dict[str, str], errors: dict[str, str], status_code: int = 200) -> Template:
    title = gettext(request_locale(request), "QR code for your authenticator app")
    svg = totp.qr_svg(enrolment.uri, title).replace("<svg ", '<svg role="img" ', 1)
    # No menu during sign-in: nothing in it can be reached before the step is done.
    extra: dict[str, Any] = {"menu": []} if action.startswith("/sign-in") else {}
    return page(request, "second_factor_enrol.html", status_code=status_code,
                qr=Markup(svg),  # noqa: S704 - segno's own SVG of our URI, no user markup
                secret=totp.grouped(enrolment.secret), uri=enrolment.uri, action=action,
                values=values, errors=errors, **extra)


def _codes_page(request: AnyRequest, codes: list[str], next_path: str, cookie: Cookie) -> Template:
    response = page(request, "second_factor_codes.html", menu=[], codes=codes,
                    next_path=next_path)
    response.set_cookie(cookie)
    response.headers["Cache-Control"] = "no-store"
    return response


def _failed(request: AnyRequest, exc: AstaError) -> tuple[dict[str, str], int]:
    # A wrong code is a form error (422), not a reason to sign in again (401).
    return service_errors(exc, request_locale(request)), exc.status if exc.status in {403, 429} else 422


# The sign-in's second step --------------------------------------------------------------

@get("/sign-in/code", name="second_factor_code", guards=[signed_in], opt=STEP_OPT)
async def code_form(request: AnyRequest, principal: Principal,
                    next_: NextParam = None) -> Template | Redirect:
    if principal.second_factor_step is not Step.CODE:
        return Redirect(target(principal.second_factor_step, safe_next(next_)), status_code=303)
    return page(request, "second_factor_code.html", menu=[], values={"next": safe_next(next_)},
                errors={})


@post("/sign-in/code", name="second_factor_code_submit", guards=[signed_in], opt=STEP_OPT)
async def code_submit(request: AnyRequest, db: AsyncSession,
                      principal: Principal) -> Template | Redirect:
    form = await request.form()
    values = {"next": safe_next(text(form, "next") or None)}
    if principal.second_factor_step is not Step.CODE:
        return Redirect(target(principal.second_factor_step, values["next"]), status_code=303)
    try:
        await second_factor.verify(db, principal.user_id, text(form, "code"))
    except AstaError as exc:
        await db.rollback()
        errors, status = _failed(request, exc)
        return page(request, "second_factor_code.html", menu=[], values=values, errors=errors,
                    status_code=status)
    return Redirect(values["next"], status_code=303, cookies=[await _full_session(db, principal.user_id)])


@get("/sign-in/enrol", name="second_factor_enrol_required", guards=[signed_in], opt=STEP_OPT)
async def required_enrol_form(request: AnyRequest, db: AsyncSession, principal: Principal,
                              next_: NextParam = None) -> Template | Redirect:
    if principal.second_factor_step is not Step.ENROL:
        return Redirect(target(principal.second_factor_step, safe_next(next_)), status_code=303)
    # The same secret on a reload, so a half-done set-up in the app stays valid.
    enrolment = (await second_factor.pending_enrolment(db, principal.user_id, principal.email)
                 or await second_factor.start_enrolment(db, principal.user_id, principal.email))
    return _enrol_page(request, enrolment, "/sign-in/enrol", {"next": safe_next(next_)}, {})


@post("/sign-in/enrol", name="second_factor_enrol_required_submit", guards=[signed_in],
      opt=STEP_OPT)
async def required_enrol_submit(request: AnyRequest, db: AsyncSession,
                                principal: Principal) -> Template | Redirect:
    form = await request.form()
    values = {"next": safe_next(text(form, "next") or None)}
    if principal.second_factor_step is not Step.ENROL:
        return Redirect(target(principal.second_factor_step, values["next"]), status_code=303)
    return await _confirm(request, db, principal, text(form, "code"), "/sign-in/enrol", values)


async def _confirm(request: AnyRequest, db: AsyncSession, principal: Principal, code: str,
                   action: str, values: dict[str, str]) -> Template | Redirect:
    try:
        codes = await second_factor.confirm_enrolment(db, principal.user_id, code)
    except AstaError as exc:
        await db.rollback()
        errors, status = _failed(request, exc)
        enrolment = await second_factor.pending_enrolment(db, principal.user_id, principal.email)
        if enrolment is None:
            return Redirect(action, status_code=303)
        return _enrol_page(request, enrolment, action, values, errors, status)
    return _codes_page(request, codes, values["next"], await _full_session(db, principal.user_id))


def pending_redirect(request: AnyRequest, exc: SecondFactorPendingError) -> Response[Any]:
    """The gate's refusal on a page: go and do the step, then come back here."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    step = Step(exc.details.get("step", Step.CODE.value))
    if request.method != "GET":
        here = "/home"
    if request.headers.get("hx-request") == "true":
        return Response("", status_code=200, headers={"HX-Redirect": target(step, here)})
    return Redirect(target(step, here), status_code=303)


# Each person's own settings ------------------------------------------------------------

SETTINGS = "/account/two-step"


@get(SETTINGS, name="second_factor", guards=[signed_in])
async def settings(request: AnyRequest, db: AsyncSession, principal: Principal,
                   done: str | None = None) -> Template:
    state = await second_factor.status(db, principal.user_id)
    return page(request, "second_factor.html", current="second_factor", state=state,
                done=done if done in {"disabled"} else None, values={}, errors={})


async def _settings_failed(request: AnyRequest, db: AsyncSession, principal: Principal,
                           exc: AstaError, field: str = "code") -> Template:
    await db.rollback()
    errors, status = _failed(request, exc)
    errors = {(field if name == "code" else name): message for name, message in errors.items()}
    state = await second_factor.status(db, principal.user_id)
    return page(request, "second_factor.html", current="second_factor", state=state, done=None,
                values={}, errors=errors, status_code=status)


@post(f"{SETTINGS}/enrol", name="second_factor_start", guards=[signed_in])
async def start(db: AsyncSession, principal: Principal) -> Redirect:
    await second_factor.start_enrolment(db, principal.user_id, principal.email)
    return Redirect(f"{SETTINGS}/enrol", status_code=303)


@get(f"{SETTINGS}/enrol", name="second_factor_enrol", guards=[signed_in])
async def enrol_form(request: AnyRequest, db: AsyncSession,
                     principal: Principal) -> Template | Redirect:
    enrolment = await second_factor.pending_enrolment(db, principal.user_id, principal.email)
    if enrolment is None:
        return Redirect(SETTINGS, status_code=303)
    return _enrol_page(request, enrolment, f"{SETTINGS}/enrol", {"next": SETTINGS}, {})


@post(f"{SETTINGS}/enrol/confirm", name="second_factor_confirm", guards=[signed_in])
async def enrol_submit(request: AnyRequest, db: AsyncSession,
                       principal: Principal) -> Template | Redirect:
    form = await request.form()
    return await _confirm(request, db, principal, text(form, "code"), f"{SETTINGS}/enrol",
                          {"next": SETTINGS})


@post(f"{SETTINGS}/recovery-codes", name="second_factor_new_codes", guards=[signed_in])
async def new_codes(request: AnyRequest, db: AsyncSession,
                    principal: Principal) -> Template:
    form = await request.form()
    try:
        codes = await second_factor.regenerate_recovery_codes(db, principal.user_id,
                                                              text(form, "code"))
    except AstaError as exc:
        return await _settings_failed(request, db, principal, exc)
    return _codes_page(request, codes, SETTINGS, await _full_session(db, principal.user_id))


@post(f"{SETTINGS}/disable", name="second_factor_disable", guards=[signed_in])
async def disable(request: AnyRequest, db: AsyncSession,
                  principal: Principal) -> Template | Redirect:
    form = await request.form()
    try:
        await second_factor.disable(db, principal.user_id, text(form, "disable_code"))
    except AstaError as exc:
        return await _settings_failed(request, db, principal, exc, "disable_code")
    return Redirect(f"{SETTINGS}?done=disabled", status_code=303)


HANDLERS = [code_form, code_submit, required_enrol_form, required_enrol_submit, settings, start,
            enrol_form, enrol_submit, new_codes, disable]
EXCEPTION_HANDLERS: dict[int | type[Exception], Any] = {SecondFactorPendingError: pending_redirect}
