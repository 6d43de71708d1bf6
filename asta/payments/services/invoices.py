"""Monthly invoices to wellbeing areas: worked pay plus the platform fee, an item per unit.

The job (asta.payments.jobs.bill_area) records the invoice here before calling Stripe.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import Float, cast, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.accounts.models import Organisation, Unit
from asta.core.auth import Principal
from asta.core.clock import utcnow
from asta.core.errors import NotFoundError
from asta.core.tenancy import organisation_for_admin
from asta.marketplace.models import Shift, Timesheet, TimesheetStatus
from asta.metrics.area_settings import area_settings
from asta.metrics.time import local_midnight
from asta.payments import rules
from asta.payments.models import AreaInvoice, InvoiceStatus
from asta.payments.schemas import InvoiceRead
from asta.payments.services.earnings import worked_hours


async def list_invoices(session: AsyncSession, principal: Principal,
                        organisation_id: uuid.UUID) -> list[InvoiceRead]:
    await organisation_for_admin(session, principal, organisation_id)
    rows = await session.scalars(select(AreaInvoice).where(
        AreaInvoice.organisation_id == organisation_id).order_by(col(AreaInvoice.month).desc()))
    return [InvoiceRead.model_validate(r) for r in rows]


async def get_invoice(session: AsyncSession, principal: Principal, organisation_id: uuid.UUID,
                      invoice_id: uuid.UUID) -> InvoiceRead:
    """One invoice of an area the caller administers; another area's is "no such invoice"."""
    await organisation_for_admin(session, principal, organisation_id)
    row = await session.scalar(select(AreaInvoice).where(
        AreaInvoice.id == invoice_id, AreaInvoice.organisation_id == organisation_id))
    if row is None:
        raise NotFoundError("No such invoice")
    return InvoiceRead.model_validate(row)


async def areas_to_bill(session: AsyncSession, month: date) -> list[uuid.UUID]:
    """Areas with approved hours in the month whose invoice is not finished."""
    start, end = local_midnight(month), local_midnight(rules.next_month(month))
    done = select(AreaInvoice.organisation_id).where(
        AreaInvoice.month == month, AreaInvoice.status != InvoiceStatus.PENDING.value)
    rows = await session.scalars(
        select(Shift.organisation_id).distinct()
        .join(Timesheet, Timesheet.shift_id == Shift.id)
        .where(Timesheet.status == TimesheetStatus.APPROVED.value,
               Timesheet.actual_start >= start, Timesheet.actual_start < end,
               Shift.organisation_id.not_in(done)))  # type: ignore[attr-defined]
    return list(rows)


async def record_invoice(session: AsyncSession, organisation_id: uuid.UUID, month: date) -> AreaInvoice:
    """The invoice row with its lines, written before anything is sent to Stripe."""
    existing = await session.scalar(select(AreaInvoice).where(
        AreaInvoice.organisation_id == organisation_id, AreaInvoice.month == month))
    if existing is not None:
        return existing  # type: ignore[no-any-return]
    organisation = await session.get(Organisation, organisation_id)
    assert organisation is not None
    settings = area_settings(organisation)
    start, end = local_midnight(month), local_midnight(rules.next_month(month))
    rows = await session.execute(
        select(Unit.id, Unit.name, cast(func.sum(worked_hours()), Float).label("hours"),
               func.sum(Timesheet.pay_total_cents).label("pay"))
        .join(Shift, Shift.id == Timesheet.shift_id).join(Unit, Unit.id == Shift.unit_id)
        .where(Shift.organisation_id == organisation_id,
               Timesheet.status == TimesheetStatus.APPROVED.value,
               Timesheet.actual_start >= start, Timesheet.actual_start < end)
        .group_by(Unit.id, Unit.name).order_by(Unit.name))
    lines = []
    for r in rows:
        hours = Decimal(str(round(r.hours, 4)))
        line = rules.invoice_line(int(r.pay or 0), hours, Decimal(str(settings.platform_fee_pct)),
                                  settings.platform_fee_cents_per_hour)
        lines.append({"unit_id": str(r.id), "unit_name": r.name, "hours": float(hours),
                      "pay_cents": line.pay_cents, "fee_cents": line.fee_cents,
                      "total_cents": line.total_cents})
    await session.execute(insert(AreaInvoice).values(
        id=uuid.uuid4(), organisation_id=organisation_id, month=month,
        hours=sum(line["hours"] for line in lines), lines=lines,
        pay_cents=sum(line["pay_cents"] for line in lines),
        fee_cents=sum(line["fee_cents"] for line in lines),
        total_cents=sum(line["total_cents"] for line in lines),
        status=InvoiceStatus.PENDING.value, created_at=utcnow(),
    ).on_conflict_do_nothing(constraint="uq_area_invoices_month"))
    row = await session.scalar(select(AreaInvoice).where(
        AreaInvoice.organisation_id == organisation_id, AreaInvoice.month == month))
    assert row is not None
    return row  # type: ignore[no-any-return]
