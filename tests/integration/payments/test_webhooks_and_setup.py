"""Payout setup (one Stripe account per person) and Stripe webhooks (verified, applied once)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import stripe
from sqlalchemy import func, select

from asta.core.clock import utcnow
from asta.core.config import get_settings
from asta.core.db import unit_of_work
from asta.payments.gateway import stripe_client
from asta.payments.models import ConnectedAccount, PayoutTransfer, StripeEvent, StripePayout
from asta.payments.test_server import TestServerControl
from tests import factories, stripe_fixtures
from tests.integration.payments.test_transfers import WORKED, onboarded, queue, send

HOOK = "/api/webhooks/stripe"


async def deliver(client: httpx.AsyncClient, event: dict[str, Any], *,
                  secret: str | None = None) -> httpx.Response:
    payload = json.dumps(event)
    signature = stripe.WebhookSignature.generate_signature_header(
        payload, secret or get_settings().stripe_webhook_secret)
    return await client.post(HOOK, content=payload.encode(), headers={
        "Stripe-Signature": signature, "Content-Type": "application/json"})


async def stripe_events(kind: str, account: str | None = None) -> list[dict[str, Any]]:
    """Events as the test server made them (Stripe's shapes), ready to deliver."""
    async with stripe_client() as stripe_api:
        page = await stripe_api.v1.events.list_async({"type": kind}, {"stripe_account": account})
        found = [e.to_dict(for_json=True) async for e in page.auto_paging_iter()]
    return [{**e, "account": account} if account else e for e in found]


async def test_payout_setup_creates_one_account_and_an_onboarding_link(
        client: httpx.AsyncClient, control: TestServerControl) -> None:
    person = await factories.professional()
    first = await client.post("/api/me/payouts/setup", headers=factories.auth(person))
    again = await client.post("/api/me/payouts/setup", headers=factories.auth(person))
    assert first.status_code == again.status_code == 200, first.text
    assert first.json()["stripe_account_id"] == again.json()["stripe_account_id"]
    assert first.json()["transfers_enabled"] is False
    assert (await control.state())["counts"]["accounts"] == 1

    # The professional finishes Stripe's hosted onboarding and is sent back to Asta.
    async with httpx.AsyncClient() as browser:
        back = await browser.get(first.json()["onboarding_url"])
    assert back.status_code == 303 and "/me/payouts?done=1" in back.headers["location"]
    [updated] = await stripe_events("account.updated", first.json()["stripe_account_id"])
    assert (await deliver(client, updated)).json() == {"received": True, "duplicate": False}
    async with unit_of_work() as session:
        row = await session.get(ConnectedAccount, person.id)
    assert row is not None and row.transfers_enabled and row.payouts_enabled


async def test_a_bad_signature_is_refused_and_changes_nothing(
        client: httpx.AsyncClient, control: TestServerControl) -> None:
    person = await factories.professional()
    async with stripe_client() as stripe_api:
        account = await stripe_fixtures.express_account(stripe_api, person.email)
    await factories.connected_account(person, account.id, transfers_enabled=False)
    await control.complete_onboarding(account.id)
    [updated] = await stripe_events("account.updated", account.id)

    forged = await deliver(client, updated, secret="whsec_not_ours")
    assert forged.status_code == 400 and forged.json()["error"] == "bad_signature"
    unsigned = await client.post(HOOK, content=json.dumps(updated).encode(),
                                 headers={"Content-Type": "application/json"})
    assert unsigned.status_code == 400 and unsigned.json()["error"] == "bad_signature"
    async with unit_of_work() as session:
        assert await session.scalar(select(func.count()).select_from(StripeEvent)) == 0
        row = await session.get(ConnectedAccount, person.id)
    assert row is not None and not row.transfers_enabled


async def test_each_event_is_applied_once_and_wakes_waiting_money(
        client: httpx.AsyncClient, control: TestServerControl) -> None:
    unit = await factories.unit(await factories.organisation())
    person = await factories.professional()
    await factories.worked_shift(unit, person, WORKED)
    [transfer_id] = await queue()
    async with stripe_client() as stripe_api:
        account = await stripe_fixtures.express_account(stripe_api, person.email)
    await factories.connected_account(person, account.id, transfers_enabled=False)
    assert await send(transfer_id) == "waiting_for_account"

    await control.complete_onboarding(account.id)
    [updated] = await stripe_events("account.updated", account.id)
    assert (await deliver(client, updated)).json()["duplicate"] is False
    assert (await deliver(client, updated)).json()["duplicate"] is True
    async with unit_of_work() as session:
        row = await session.get(PayoutTransfer, transfer_id)
    assert row is not None and row.next_attempt_at is not None
    assert row.next_attempt_at <= utcnow()  # due again now, not in six hours
    assert await send(transfer_id) == "sent"


async def test_a_transfer_event_settles_a_row_whose_sender_died(
        client: httpx.AsyncClient, control: TestServerControl) -> None:
    unit = await factories.unit(await factories.organisation())
    person = await factories.professional()
    destination = await onboarded(person, control)
    await factories.worked_shift(unit, person, WORKED)
    [transfer_id] = await queue()
    async with unit_of_work() as session:
        row = await session.get(PayoutTransfer, transfer_id)
        assert row is not None
        key, group, amount = row.idempotency_key, row.transfer_group, row.amount_cents
    # Stripe made the transfer; the worker died before it could record the answer.
    async with stripe_client() as stripe_api:
        made = await stripe_api.v1.transfers.create_async(
            {"amount": amount, "currency": "eur", "destination": destination,
             "transfer_group": group, "metadata": {"asta_transfer_id": str(transfer_id)}},
            {"idempotency_key": key})
    [created] = await stripe_events("transfer.created")
    assert (await deliver(client, created)).status_code == 200
    async with unit_of_work() as session:
        row = await session.get(PayoutTransfer, transfer_id)
    assert row is not None and (row.status, row.stripe_transfer_id) == ("sent", made.id)
    assert await send(transfer_id) == "skipped"
    assert (await control.state())["transfers_by_destination"] == {destination: 1}


async def test_payouts_are_recorded_from_webhooks_and_shown_as_paid_out(
        client: httpx.AsyncClient, control: TestServerControl) -> None:
    unit = await factories.unit(await factories.organisation())
    person = await factories.professional()
    destination = await onboarded(person, control)
    await factories.worked_shift(unit, person, WORKED, pay_cents=76_000)
    [transfer_id] = await queue()
    assert await send(transfer_id) == "sent"
    async with stripe_client() as stripe_api:  # Stripe's schedule pays the balance out
        payout = await stripe_api.v1.payouts.create_async({"amount": 76_000, "currency": "eur"},
                                                      {"stripe_account": destination})
    await control.settle_payout(payout.id, "paid")
    for kind in ("payout.created", "payout.paid"):
        [event] = await stripe_events(kind, destination)
        assert (await deliver(client, event)).status_code == 200

    async with unit_of_work() as session:
        recorded = await session.scalar(select(StripePayout))
    assert recorded is not None
    assert (recorded.status, recorded.amount_cents, recorded.professional_id) == (
        "paid", 76_000, person.id)
    earnings = (await client.get("/api/me/earnings?from=2026-11-01&to=2026-11-30",
                                 headers=factories.auth(person))).json()
    assert [s["payout_status"] for s in earnings["shifts"]] == ["paid_out"]
    assert earnings["payouts"][0]["status"] == "paid"
