"""Earnings per shift and month; monthly invoices to areas (an item per unit, once)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx

from asta.accounts.models import Organisation
from asta.core.db import unit_of_work
from asta.metrics.area_settings import AreaSettings, store_area_settings
from asta.payments.gateway import stripe_client
from asta.payments.jobs import bill_month
from asta.payments.test_server import TestServerControl
from tests import factories
from tests.integration.payments.test_transfers import onboarded, queue, send
from tests.integration.payments.test_webhooks_and_setup import deliver, stripe_events

OCT = datetime(2026, 10, 5, 6, 0, tzinfo=UTC)  # 09:00 in Helsinki
NOV = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)  # 09:00 in Helsinki (winter time)


async def test_earnings_per_shift_and_month_with_payout_status(
        client: httpx.AsyncClient, control: TestServerControl) -> None:
    unit = await factories.unit(await factories.organisation(), name="Kaiku24")
    person = await factories.professional()
    await onboarded(person, control)
    await factories.worked_shift(unit, person, OCT, hours=8, pay_cents=76_000)
    await factories.worked_shift(unit, person, NOV, hours=8, break_minutes=30, pay_cents=71_250)
    await factories.worked_shift(unit, person, NOV + timedelta(days=1), hours=6, approved=False)
    [first, _pending] = await queue()
    assert await send(first) == "sent"  # the other stays pending

    response = await client.get("/api/me/earnings?from=2026-10-01&to=2026-11-30",
                                headers=factories.auth(person))
    assert response.status_code == 200, response.text
    body = response.json()
    assert [(s["hours"], s["pay_cents"], s["payout_status"], s["unit_name"])
            for s in body["shifts"]] == [
        (6.0, None, "awaiting_approval", "Kaiku24"),
        (7.5, 71_250, "pending", "Kaiku24"),
        (8.0, 76_000, "sent", "Kaiku24"),
    ]
    assert body["months"] == [
        {"month": "2026-11-01", "shifts": 2, "hours": 13.5, "approved_pay_cents": 71_250,
         "transferred_cents": 0},
        {"month": "2026-10-01", "shifts": 1, "hours": 8.0, "approved_pay_cents": 76_000,
         "transferred_cents": 76_000},
    ]
    assert body["account"]["transfers_enabled"] is True
    others = await client.get("/api/me/earnings", headers=factories.auth(
        await factories.professional()))
    assert others.json()["shifts"] == []


async def test_areas_are_invoiced_monthly_once_with_an_item_per_unit(
        client: httpx.AsyncClient, control: TestServerControl) -> None:
    org = await factories.organisation()
    async with unit_of_work() as session:
        row = await session.get(Organisation, org.id)
        assert row is not None
        store_area_settings(row, AreaSettings(platform_fee_pct=10,
                                              platform_fee_cents_per_hour=100))
    reception = await factories.unit(org, name="A reception")
    consultation = await factories.unit(org, name="B consultation")
    person = await factories.professional()
    await factories.worked_shift(reception, person, OCT, hours=8, pay_cents=76_000)
    await factories.worked_shift(reception, person, OCT + timedelta(days=1), hours=4,
                                 pay_cents=38_000)
    await factories.worked_shift(consultation, person, OCT + timedelta(days=2), hours=8,
                                 pay_cents=80_000)
    await factories.worked_shift(consultation, person, NOV, hours=8, pay_cents=99_999)  # later
    other = await factories.unit(await factories.organisation("Other"))
    await factories.worked_shift(other, await factories.professional(), OCT, pay_cents=1)

    outcome = await bill_month(date(2026, 10, 1))
    assert outcome[org.id] == "open"
    assert await bill_month(date(2026, 10, 1)) == {}  # finished: nothing left to do
    state = await control.state()
    assert state["counts"]["invoices"] == 2 and state["counts"]["customers"] == 2
    assert state["counts"]["invoiceitems"] == 3

    listed = await client.get(f"/api/organisations/{org.id}/invoices",
                              headers=factories.auth(await factories.area_admin(org)))
    [invoice] = listed.json()
    # reception: 114,000 pay + 11,400 (10 %) + 12 h x 1.00 = 126,600; consultation: 89,000
    assert [(line["unit_name"], line["pay_cents"], line["fee_cents"], line["total_cents"])
            for line in invoice["lines"]] == [("A reception", 114_000, 12_600, 126_600),
                                              ("B consultation", 80_000, 8_800, 88_800)]
    assert (invoice["month"], invoice["status"], invoice["total_cents"]) == (
        "2026-10-01", "open", 215_400)
    async with stripe_client() as stripe_api:
        page = await stripe_api.v1.invoices.list_async({"status": "open"})
        at_stripe = [i.to_dict() async for i in page.auto_paging_iter()]
    mine = next(i for i in at_stripe if i["metadata"]["asta_organisation_id"] == str(org.id))
    assert mine["amount_due"] == 215_400

    await control.pay_invoice(mine["id"])
    [paid] = await stripe_events("invoice.paid")
    assert (await deliver(client, paid)).status_code == 200
    again = await client.get(f"/api/organisations/{org.id}/invoices",
                             headers=factories.auth(await factories.operator()))
    assert again.json()[0]["status"] == "paid"
