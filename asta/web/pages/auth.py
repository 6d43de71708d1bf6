"""Signing in and out, and choosing the language."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.datastructures import Cookie
from litestar.params import QueryParameter
from litestar.response import Redirect, Template
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts import second_factor
from asta.accounts import services as accounts
from asta.accounts.controllers import client_ip
from asta.accounts.schemas import TokenRequest
from asta.core.auth import SESSION_COOKIE
from asta.core.config import get_settings
from asta.core.errors import AstaError
from asta.core.security import issue_token
from asta.web import second_step, services
from asta.web.forms import service_errors, text, validation_errors
from asta.web.i18n import LOCALE_COOKIE, LOCALES
from asta.web.rendering import page, principal_of, request_locale

SESSION_MINUTES = 8 * 60  # one working day; the cookie lasts exactly as long as its token
LOCALE_COOKIE_SECONDS = 365 * 24 * 3600

AnyRequest = Request[Any, Any, Any]


def safe_next(value: str | None, default: str = "/home") -> str:
    """Only paths on this site: never an open redirect."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


def session_cookie(token: str | None) -> Cookie:
    secure = get_settings().is_production
    if token is None:
        return Cookie(key=SESSION_COOKIE, value="", max_age=0, httponly=True, samesite="lax",
                      secure=secure, path="/")
    return Cookie(key=SESSION_COOKIE, value=token, max_age=SESSION_MINUTES * 60, httponly=True,
                  samesite="lax", secure=secure, path="/")


def locale_cookie(locale: str) -> Cookie:
    return Cookie(key=LOCALE_COOKIE, value=locale, max_age=LOCALE_COOKIE_SECONDS, httponly=True,
                  samesite="lax", secure=get_settings().is_production, path="/")


@get("/", name="root", include_in_schema=False)
async def root(request: AnyRequest) -> Redirect:
    return Redirect("/home" if principal_of(request) else "/sign-in", status_code=303)


@get("/sign-in", name="sign_in")
async def sign_in_form(
    request: AnyRequest,
    # `next` is a builtin's name, so the parameter is spelt next_ and mapped to ?next=.
    next_: Annotated[str | None, QueryParameter(name="next", required=False)] = None,
) -> Template | Redirect:
    if principal_of(request):
        return Redirect(safe_next(next_), status_code=303)
    return page(request, "sign_in.html", values={"email": "", "next": safe_next(next_)},
                errors={})


@post("/sign-in", name="sign_in_submit")
async def sign_in(request: AnyRequest, db: AsyncSession) -> Template | Redirect:
    form = await request.form()
    values = {"email": text(form, "email"), "next": safe_next(text(form, "next") or None)}
    locale = request_locale(request)
    try:
        data = TokenRequest(email=values["email"], password=text(form, "password"))
        user = await accounts.authenticate(db, data, client_ip(request))
    except ValidationError as exc:
        return page(request, "sign_in.html", values=values, status_code=422,
                    errors=validation_errors(exc, locale))
    except AstaError as exc:
        await db.rollback()
        return page(request, "sign_in.html", values=values, status_code=exc.status,
                    errors=service_errors(exc, locale))
    chosen = request.cookies.get(LOCALE_COOKIE)
    if chosen in LOCALES:
        # The language picked on the sign-in page is the person's latest choice.
        await services.set_locale(db, user.id, chosen)
    # Someone with a second factor (or whose role needs one) gets a short session that can
    # only do the second step (asta.accounts.second_factor_gate).
    step = await second_factor.pending_step(db, user.id)
    session = issue_token(user.id, kind="session", version=user.session_version,
                          minutes=SESSION_MINUTES if step is None else second_step.PENDING_MINUTES)
    return Redirect(second_step.target(step, values["next"]), status_code=303,
                    cookies=[session_cookie(session)])


@post("/sign-out", name="sign_out")
async def sign_out(request: AnyRequest, db: AsyncSession) -> Redirect:
    principal = principal_of(request)
    if principal is not None:
        await accounts.sign_out_everywhere(db, principal)
    return Redirect("/sign-in", status_code=303, cookies=[session_cookie(None)])


@post("/language", name="language")
async def choose_language(request: AnyRequest, db: AsyncSession) -> Redirect:
    form = await request.form()
    locale = text(form, "locale")
    target = safe_next(text(form, "next") or None, default="/")
    if locale not in LOCALES:
        return Redirect(target, status_code=303)
    principal = principal_of(request)
    if principal is not None:
        await services.set_locale(db, principal.user_id, locale)
    return Redirect(target, status_code=303, cookies=[locale_cookie(locale)])


HANDLERS = [root, sign_in_form, sign_in, sign_out, choose_language]
