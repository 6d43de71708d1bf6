"""The stand-in's `/_test` controls exist only when asked for; Stripe's hosted pages always."""

from __future__ import annotations

import httpx
import pytest

from asta.payments.stripe_client import StripeClient
from asta.payments.test_server import ServerConfig, StripeTestServer

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
    server = StripeTestServer()
    transport = httpx.ASGITransport(app=server)
    async with StripeClient("http://stripe.test", "sk_test_x", transport=transport) as stripe, \
            raw_client(server) as browser:
        account = await stripe.create_account(email="doc@example.fi")
        link = await stripe.create_account_link(account=account["id"],
                                                refresh_url="https://asta.test/refresh",
                                                return_url="https://asta.test/done")
        page = await browser.get(link["url"])
        assert (page.status_code, page.headers["location"]) == (303, "https://asta.test/done")
        assert (await stripe.retrieve_account(account["id"]))["payouts_enabled"]
