"""A professional sets up payouts from the pages: Stripe's hosted onboarding (the stand-in),
back to the return page, the account's state from the signed `account.updated` webhook."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import stripe

from asta.core.config import get_settings
from asta.core.db import unit_of_work
from asta.payments.gateway import stripe_client
from asta.payments.models import ConnectedAccount
from tests import factories, stripe_fixtures
from tests.integration.web.helpers import post_form, sign_in

stripe_url = stripe_fixtures.stripe_url


@pytest.fixture(autouse=True)
def stand_in(stripe_url: str) -> Iterator[str]:
    settings = get_settings()
    original = settings.stripe_api_base
    object.__setattr__(settings, "stripe_api_base", stripe_url)
    yield stripe_url
    object.__setattr__(settings, "stripe_api_base", original)


async def account_updated(account_id: str) -> dict[str, Any]:
    async with stripe_client() as stripe_api:
        page = await stripe_api.v1.events.list_async({"type": "account.updated"},
                                                     {"stripe_account": account_id})
        [event] = [e.to_dict(for_json=True) async for e in page.auto_paging_iter()]
    return {**event, "account": account_id}


async def test_payout_setup_goes_to_stripe_and_back_and_the_webhook_finishes_it(
        client: httpx.AsyncClient, stand_in: str) -> None:
    doctor = await factories.professional()
    await sign_in(client, doctor)
    before = await client.get("/me/payouts")
    assert before.status_code == 200
    assert "Sinulla ei ole vielä maksutiliä" in before.text
    # The form may send the browser on to the stand-in's hosted onboarding.
    assert stand_in in before.headers["content-security-policy"]
    assert 'href="/me/payouts"' in (await client.get("/earnings")).text

    started = await post_form(client, "/me/payouts", "/me/payouts/setup", {})
    assert started.status_code == 303
    onboarding = started.headers["location"]
    assert onboarding.startswith(f"{stand_in}/hosted/onboarding/")
    async with httpx.AsyncClient() as browser:
        back = await browser.get(onboarding)
    assert back.status_code == 303 and back.headers["location"].endswith("/me/payouts?done=1")

    # Back before Stripe's webhook: the status part asks again by itself.
    waiting = await client.get("/me/payouts?done=1")
    assert 'hx-trigger="every 2s"' in waiting.text and "result-message" not in waiting.text
    async with unit_of_work() as session:
        row = await session.get(ConnectedAccount, doctor.id)
    assert row is not None and not row.payouts_enabled
    event = await account_updated(row.stripe_account_id)
    payload = json.dumps(event)
    signature = stripe.WebhookSignature.generate_signature_header(
        payload, get_settings().stripe_webhook_secret)
    async with httpx.AsyncClient(transport=client._transport,
                                 base_url=client.base_url) as stripe_side:
        hook = await stripe_side.post("/api/webhooks/stripe", content=payload.encode(), headers={
            "Stripe-Signature": signature, "Content-Type": "application/json"})
    assert hook.json() == {"received": True, "duplicate": False}
    ready = await client.get("/me/payouts?done=1", headers={"HX-Request": "true"})
    assert ready.text.lstrip().startswith('<div id="payout-status">')  # the part, no polling
    assert "Maksutilisi on valmis" in ready.text
    again = await client.get("/me/payouts")
    assert 'action="/me/payouts/setup"' not in again.text  # nothing left to set up


async def test_an_expired_link_says_so_and_offers_the_setup_again(
        client: httpx.AsyncClient) -> None:
    await sign_in(client, await factories.professional())
    page = await client.get("/me/payouts?refresh=1")
    assert "Asetuslinkki vanheni" in page.text
    assert 'action="/me/payouts/setup"' in page.text


async def test_staff_cannot_open_the_payout_page(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    await sign_in(client, await factories.scheduler(org))
    assert (await client.get("/me/payouts")).status_code == 403
