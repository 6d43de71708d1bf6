"""The stand-in's `/_test` controls exist only when asked for; Stripe's hosted pages always."""

from __future__ import annotations

import httpx
import pytest

from asta.payments.gateway import client_for
from asta.payments.test_server import ServerConfig, StripeTestServer, running_test_server
from tests.stripe_fixtures import express_account

CONTROLS = [("POST", "/_test/reset"), ("POST", "/_test/faults"), ("GET", "/_test/state"),
            ("POST", "/_test/accounts/acct_1/onboard"), ("POST", "/_test/payouts/po_1/settle"),
            ("POST", "/_test/invoices/in_1/pay")]


def raw_client(server: StripeTestServer) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=server),
                             base_url="http://stripe.test")


@pytest.mark.parametrize(("method", "path"), CONTROLS)
async def test_controls_are_404_unless_asked_for(method: str, path: str) -> None:
    async with raw_client(StripeTestServer()) as raw:
        response = await raw.request(method, path, json={})
    assert response.status_code == 404


async def test_controls_answer_when_asked_for() -> None:
    async with raw_client(StripeTestServer(ServerConfig(test_controls=True))) as raw:
        response = await raw.get("/_test/state")
    assert response.status_code == 200
    assert response.json()["in_flight"] == 0


async def test_hosted_onboarding_works_without_the_controls() -> None:
    with running_test_server(ServerConfig()) as url:
        async with client_for(url, "sk_test_x") as stripe, httpx.AsyncClient() as browser:
            account = await express_account(stripe, "doc@example.fi")
            link = await stripe.v1.account_links.create_async(
                {"account": account.id, "type": "account_onboarding",
                 "refresh_url": "https://asta.test/refresh",
                 "return_url": "https://asta.test/done"})
            page = await browser.get(link.url)
            assert (page.status_code, page.headers["location"]) == (303,
                                                                    "https://asta.test/done")
            assert (await stripe.v1.accounts.retrieve_async(account.id)).payouts_enabled
