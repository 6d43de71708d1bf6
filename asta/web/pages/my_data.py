"""A professional's own data (GDPR): download it all as JSON, or erase the account, through
the same services as `GET /api/me/export` and `POST /api/me/erasure`."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Role
from asta.core.auth import Principal, requires
from asta.profiles import services as profiles
from asta.web.forms import Errors, FormAttempt, text
from asta.web.pages.auth import session_cookie
from asta.web.rendering import page, request_locale

AnyRequest = Request[Any, Any, Any]
professionals_only = requires(Role.PROFESSIONAL)


def _my_data_page(request: AnyRequest, errors: Errors, status_code: int = 200) -> Template:
    # The password is never sent back: nothing typed is kept on this form.
    return page(request, "my_data.html", current="my_data", errors=errors,
                status_code=status_code)


@get("/me/data", name="my_data", guards=[professionals_only])
async def my_data(request: AnyRequest) -> Template:
    return _my_data_page(request, {})


@get("/me/data/export", name="my_data_export", guards=[professionals_only])
async def download(db: AsyncSession, principal: Principal) -> Response[dict[str, Any]]:
    data = await profiles.export_my_data(db, principal)
    return Response(data, headers={
        "Content-Disposition": 'attachment; filename="asta-my-data.json"'})


@post("/me/data/erase", name="my_data_erase", guards=[professionals_only])
async def erase(request: AnyRequest, db: AsyncSession,
                principal: Principal) -> Template | Redirect:
    password = text(await request.form(), "password")
    async with FormAttempt(db, request_locale(request)) as attempt:
        await profiles.erase_me_confirmed(db, principal, password)
    if not attempt.errors:
        return Redirect("/account-erased", status_code=303, cookies=[session_cookie(None)])
    return _my_data_page(request, attempt.errors, status_code=422)


@get("/account-erased", name="account_erased")
async def erased(request: AnyRequest) -> Template:
    """Public: the person it is for has just been signed out for good."""
    return page(request, "account_erased.html")


HANDLERS = [my_data, download, erase, erased]
