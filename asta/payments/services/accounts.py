"""A professional's Stripe Express account: made once per person, onboarding by link."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import stripe
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from asta.core import audit
from asta.core.auth import Principal
from asta.core.clock import utcnow
from asta.core.config import get_settings
from asta.payments.errors import PaymentProviderError
from asta.payments.models import ConnectedAccount
from asta.payments.schemas import PayoutAccountRead, PayoutSetupRead
from asta.payments.services.transfers import wake_transfers_of


def account_key(principal: Principal) -> str:
    """One account per person, however often setup is pressed or retried."""
    return f"asta-account-{principal.user_id}"


def apply_account_state(row: ConnectedAccount, account: Mapping[str, Any]) -> bool:
    """Copy Stripe's view of the account; True when it has just become able to receive."""
    could = row.transfers_enabled
    row.details_submitted = bool(account.get("details_submitted"))
    row.payouts_enabled = bool(account.get("payouts_enabled"))
    row.transfers_enabled = (account.get("capabilities") or {}).get("transfers") == "active"
    row.updated_at = utcnow()
    return row.transfers_enabled and not could


async def setup_payouts(session: AsyncSession, principal: Principal,
                        client: stripe.StripeClient) -> PayoutSetupRead:
    row = await session.get(ConnectedAccount, principal.user_id, with_for_update=True)
    base = get_settings().public_base_url.rstrip("/")
    try:
        if row is None:
            account = await client.v1.accounts.create_async(
                {"type": "express", "country": "FI", "email": principal.email,
                 "capabilities": {"transfers": {"requested": True}},
                 "metadata": {"asta_user_id": str(principal.user_id)}},
                {"idempotency_key": account_key(principal)})
            await session.execute(insert(ConnectedAccount).values(
                user_id=principal.user_id, stripe_account_id=account.id,
                created_at=utcnow()).on_conflict_do_nothing())
            row = await session.get(ConnectedAccount, principal.user_id,
                                    with_for_update=True, populate_existing=True)
            assert row is not None
            audit.record(session, actor_id=principal.user_id, entity_type="connected_account",
                         entity_id=row.stripe_account_id, action="create")
        else:
            account = await client.v1.accounts.retrieve_async(row.stripe_account_id)
        if apply_account_state(row, account.to_dict()):
            await wake_transfers_of(session, principal.user_id, utcnow())
        link = await client.v1.account_links.create_async(
            {"account": row.stripe_account_id, "type": "account_onboarding",
             "refresh_url": f"{base}/me/payouts?refresh=1",
             "return_url": f"{base}/me/payouts?done=1"})
    except stripe.StripeError as exc:
        raise PaymentProviderError(
            f"Stripe could not set up payouts now: {exc.user_message}") from exc
    return PayoutSetupRead(stripe_account_id=row.stripe_account_id, onboarding_url=link.url,
                           details_submitted=row.details_submitted,
                           transfers_enabled=row.transfers_enabled,
                           payouts_enabled=row.payouts_enabled)


async def my_payout_account(session: AsyncSession,
                            principal: Principal) -> PayoutAccountRead | None:
    """Where my payout account stands, as the last `account.updated` left it."""
    row = await session.get(ConnectedAccount, principal.user_id)
    return PayoutAccountRead.model_validate(row) if row is not None else None
