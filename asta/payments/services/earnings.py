"""A professional's earnings per shift and month, with where each payment stands."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Date, Float, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.accounts.models import Unit
from asta.core.auth import Principal
from asta.core.clock import utcnow
from asta.marketplace.models import Shift, Timesheet
from asta.metrics.time import TIMEZONE, local_today, period_bounds
from asta.payments import rules
from asta.payments.models import ConnectedAccount, PayoutTransfer, PayoutTransferItem, StripePayout
from asta.payments.schemas import (
    EarningsRead,
    MonthEarning,
    PayoutAccountRead,
    PayoutRead,
    ShiftEarning,
)

DEFAULT_DAYS = 365


def worked_hours(timesheet: type[Timesheet] = Timesheet):  # type: ignore[no-untyped-def]
    """Hours of a timesheet in SQL: elapsed time less the unpaid break."""
    return (func.extract("epoch", timesheet.actual_end - timesheet.actual_start) / 3600.0
            - timesheet.break_minutes / 60.0)


async def my_earnings(session: AsyncSession, principal: Principal, first: date | None,
                      last: date | None) -> EarningsRead:
    last = last or local_today(utcnow())
    first = first or last - timedelta(days=DEFAULT_DAYS)
    start, end = period_bounds(first, last)
    account = await session.get(ConnectedAccount, principal.user_id)
    can_receive = account is not None and account.transfers_enabled
    mine = (Timesheet.professional_id == principal.user_id, Timesheet.actual_start >= start,
            Timesheet.actual_start < end)
    hours = worked_hours()
    rows = await session.execute(
        select(Timesheet.shift_id, Timesheet.assignment_id, col(Unit.name).label("unit_name"),
               Shift.organisation_id, Timesheet.actual_start, Timesheet.actual_end,
               cast(hours, Float).label("hours"), Timesheet.status, Timesheet.pay_total_cents,
               col(PayoutTransfer.id).label("transfer_id"),
               col(PayoutTransfer.status).label("transfer_status"), PayoutTransfer.sent_at,
               PayoutTransfer.paid_out_at)
        .join(Shift, Shift.id == Timesheet.shift_id).join(Unit, Unit.id == Shift.unit_id)
        .outerjoin(PayoutTransferItem,
                   PayoutTransferItem.assignment_id == Timesheet.assignment_id)
        .outerjoin(PayoutTransfer, PayoutTransfer.id == PayoutTransferItem.transfer_id)
        .where(*mine).order_by(col(Timesheet.actual_start).desc()))
    shifts = [ShiftEarning(
        shift_id=r.shift_id, assignment_id=r.assignment_id, unit_name=r.unit_name,
        organisation_id=r.organisation_id, actual_start=r.actual_start,
        actual_end=r.actual_end, hours=round(r.hours, 2), timesheet_status=r.status,
        pay_cents=r.pay_total_cents if r.status == "approved" else None,
        payout_status=rules.payout_status(r.status, r.transfer_status,
                                          r.paid_out_at is not None, can_receive),
        transfer_id=r.transfer_id, transferred_at=r.sent_at) for r in rows]
    month = cast(func.date_trunc("month", func.timezone(TIMEZONE, Timesheet.actual_start)), Date)
    approved = Timesheet.status == "approved"
    by_month = await session.execute(
        select(month.label("month"), func.count().label("shifts"),
               func.coalesce(func.sum(hours), 0).label("hours"),
               func.coalesce(func.sum(Timesheet.pay_total_cents).filter(approved), 0)
               .label("approved"),
               func.coalesce(func.sum(PayoutTransferItem.amount_cents).filter(
                   PayoutTransfer.status == "sent"), 0).label("transferred"))
        .outerjoin(PayoutTransferItem,
                   PayoutTransferItem.assignment_id == Timesheet.assignment_id)
        .outerjoin(PayoutTransfer, PayoutTransfer.id == PayoutTransferItem.transfer_id)
        .where(*mine).group_by(month).order_by(month.desc()))
    months = [MonthEarning(month=r.month, shifts=r.shifts, hours=round(float(r.hours), 2),
                           approved_pay_cents=int(r.approved),
                           transferred_cents=int(r.transferred)) for r in by_month]
    payouts = await session.scalars(select(StripePayout).where(
        StripePayout.professional_id == principal.user_id)
        .order_by(col(StripePayout.created_at).desc()).limit(50))
    return EarningsRead(
        account=PayoutAccountRead.model_validate(account) if account else None,
        shifts=shifts, months=months,
        payouts=[PayoutRead(stripe_payout_id=p.stripe_payout_id, amount_cents=p.amount_cents,
                            currency=p.currency, status=p.status, arrival_date=p.arrival_date)
                 for p in payouts])
