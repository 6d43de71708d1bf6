"""Demo invoices: each area's last three whole months billed from the demo's worked history
(the same lines the monthly job records), the latest sent and the older ones paid, so the
invoices page has something to show without Stripe."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from asta.core.clock import utcnow
from asta.demo import SEEDERS, DemoWorld, Progress
from asta.metrics.time import local_midnight, local_today
from asta.payments import rules
from asta.payments.models import InvoiceStatus
from asta.payments.services.invoices import areas_to_bill, record_invoice

MONTHS = 3


async def seed_invoices(session: AsyncSession, world: DemoWorld, progress: Progress) -> None:
    month = rules.previous_month(local_today(utcnow()).replace(day=1))
    made = 0
    for age in range(MONTHS):
        billable = set(await areas_to_bill(session, month))
        for slug, area in world.organisations.items():
            if area.id not in billable:
                continue
            invoice = await record_invoice(session, area.id, month)
            if invoice.number is None:
                sent = local_midnight(rules.next_month(month)) + timedelta(hours=6)
                invoice.number = f"DEMO-{slug.upper()}-{month:%Y%m}"
                invoice.status = (InvoiceStatus.OPEN if age == 0 else InvoiceStatus.PAID).value
                invoice.finalized_at = sent
                invoice.paid_at = sent + timedelta(days=14) if age else None
                made += 1
        month = rules.previous_month(month)
    await session.flush()
    progress(f"  {made} demo invoices recorded" if made else "  demo invoices already there")


SEEDERS.append(seed_invoices)
