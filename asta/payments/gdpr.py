"""A professional's payment data for the GDPR export.

Erasure keeps these rows: transfers and payouts are bookkeeping records the Accounting Act
requires to be kept, and they hold no contact details.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.core import audit
from asta.payments.models import ConnectedAccount, PayoutTransfer, StripePayout


async def export_payout_account(session: AsyncSession, user_id: uuid.UUID) -> Any:
    return audit.snapshot(await session.get(ConnectedAccount, user_id))


async def export_transfers(session: AsyncSession, user_id: uuid.UUID) -> Any:
    rows = await session.scalars(select(PayoutTransfer).where(
        col(PayoutTransfer.professional_id) == user_id).order_by(col(PayoutTransfer.created_at)))
    return [audit.snapshot(r) for r in rows]


async def export_payouts(session: AsyncSession, user_id: uuid.UUID) -> Any:
    rows = await session.scalars(select(StripePayout).where(
        col(StripePayout.professional_id) == user_id).order_by(col(StripePayout.created_at)))
    return [audit.snapshot(r) for r in rows]
