"""A professional's payout account: start Stripe's onboarding from the page, come back to
it, and see the account's state as Stripe's `account.updated` webhooks left it."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Role
from asta.core.auth import Principal, requires
from asta.payments import services as payments
from asta.payments.gateway import stripe_client
from asta.web.forms import Errors, FormAttempt
from asta.web.rendering import page, request_locale

AnyRequest = Request[Any, Any, Any]
professionals_only = requires(Role.PROFESSIONAL)


async def _payouts_page(request: AnyRequest, db: AsyncSession, principal: Principal, *,
                        done: bool = False, refresh: bool = False, errors: Errors | None = None,
                        status_code: int = 200) -> Template:
    account = await payments.my_payout_account(db, principal)
    partial = request.headers.get("hx-request") == "true"
    return page(request, "_payout_status.html" if partial else "payouts.html",
                current="payouts", account=account, done=done, refresh=refresh,
                errors=errors or {}, status_code=status_code)


@get("/me/payouts", name="payouts", guards=[professionals_only])
async def my_payouts(request: AnyRequest, db: AsyncSession, principal: Principal,
                     done: bool = False, refresh: bool = False) -> Template:
    """Also Stripe's return_url (done=1) and refresh_url (refresh=1, an expired link)."""
    return await _payouts_page(request, db, principal, done=done, refresh=refresh)


@post("/me/payouts/setup", name="payouts_setup", guards=[professionals_only])
async def start_setup(request: AnyRequest, db: AsyncSession,
                      principal: Principal) -> Template | Redirect:
    async with FormAttempt(db, request_locale(request)) as attempt, stripe_client() as stripe:
        setup = await payments.setup_payouts(db, principal, stripe)
    if not attempt.errors:
        # Stripe hosts the onboarding; it sends the browser back to /me/payouts?done=1.
        return Redirect(setup.onboarding_url, status_code=303)
    return await _payouts_page(request, db, principal, errors=attempt.errors, status_code=502)


HANDLERS = [my_payouts, start_setup]
