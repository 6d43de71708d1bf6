"""Every kind of object the test server answers has the shape of Stripe's example.

Runs the server in-process (httpx.ASGITransport) through the real client.
"""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from asta.payments import StripeClient
from asta.payments.test_server import ServerConfig, StripeTestServer, TestServerControl
from tests.unit.payments.stripe_fixtures import fixtures, shape_mismatches

# Fields Stripe fills in its example but leaves null in these states (see objects.py).
NULLABLE = {
    "account": {"requirements.disabled_reason"},
    "customer": {"currency", "discount", "shipping"},
    "invoiceitem": {"parent"},
    "payout": {"description"},
    "invoice": {
        "automatic_tax.liability", "customer_address", "customer_shipping", "due_date",
        "effective_at", "from_invoice", "last_finalization_error", "next_payment_attempt",
        "payment_settings.payment_method_options", "shipping_cost", "shipping_details",
        "webhooks_delivered_at", "parent", "lines.data[].parent.subscription_item_details",
        "lines.data[].parent.invoice_item_details.proration_details.credited_items",
    },
}
LIST_KEYS = {"object", "data", "has_more", "url"}


def assert_shape(obj: dict[str, Any], kind: str | None = None) -> None:
    kind = kind or obj["object"]
    problems = shape_mismatches(obj, fixtures()[kind], nullable=frozenset(NULLABLE.get(kind, ())),
                                skip=frozenset({"data.object"}) if kind == "event" else frozenset())
    assert problems == [], f"{kind}: {problems}"
    if kind == "event":  # the payload is checked against its own resource's example
        assert_shape(obj["data"]["object"])
    if "livemode" in fixtures()[kind]:
        assert obj["livemode"] is False


@pytest.fixture
async def world() -> AsyncIterator[tuple[StripeClient, TestServerControl, httpx.AsyncClient]]:
    transport = httpx.ASGITransport(app=StripeTestServer(ServerConfig(test_controls=True)))
    async with (
        StripeClient("http://stripe.test", "sk_test_x", transport=transport) as stripe,
        httpx.AsyncClient(transport=transport, base_url="http://stripe.test",
                          headers={"Authorization": "Bearer sk_test_x"}) as raw,
    ):
        control = TestServerControl("http://stripe.test", transport=transport)
        yield stripe, control, raw
        await control.aclose()


async def test_every_object_kind_has_stripes_shape(world) -> None:
    stripe, control, raw = world
    seen: dict[str, int] = {}

    def check(obj: Any, kind: str | None = None) -> None:
        assert_shape(obj, kind)
        key = kind or obj["object"]
        seen[key] = seen.get(key, 0) + 1

    account = await stripe.create_account(email="doc@example.fi", metadata={"pro": "1"})
    assert account["id"].startswith("acct_")
    check(account)
    check(await stripe.create_account_link(account=account["id"], refresh_url="http://a/r",
                                           return_url="http://a/ok"), "account_link")
    check(await control.complete_onboarding(account["id"]))
    check(await stripe.retrieve_account(account["id"]))

    transfer = await stripe.create_transfer(amount=12_345, destination=account["id"],
                                            idempotency_key="t1", metadata={"shift": "9"},
                                            transfer_group="shift-9", description="Shift 9")
    assert transfer["id"].startswith("tr_")
    check(transfer)
    check(await stripe.retrieve_transfer(transfer["id"]))
    check(await stripe.retrieve_balance(), "balance")
    check(await stripe.retrieve_balance(stripe_account=account["id"]), "balance")

    payout = await stripe.create_payout(amount=10_000, stripe_account=account["id"])
    assert payout["id"].startswith("po_")
    check(payout)
    check(await control.settle_payout(payout["id"], "paid"))
    failed = await stripe.create_payout(amount=100, stripe_account=account["id"])
    check(await control.settle_payout(failed["id"], "failed"))

    customer = await stripe.create_customer(name="Kymenlaakson hyvinvointialue",
                                            email="laskut@example.fi")
    assert customer["id"].startswith("cus_")
    check(customer)
    item = await stripe.create_invoice_item(customer=customer["id"], amount=50_000,
                                            description="Platform share, May")
    assert item["id"].startswith("ii_")
    check(item)
    invoice = await stripe.create_invoice(customer=customer["id"], metadata={"month": "5"})
    assert invoice["id"].startswith("in_")
    check(invoice)
    assert invoice["lines"]["data"], "the pending item should be on the invoice"
    check(await stripe.finalize_invoice(invoice["id"]))
    check(await control.pay_invoice(invoice["id"]))
    check(await stripe.retrieve_invoice(invoice["id"]))

    for path, headers in [("/v1/accounts", {}), ("/v1/transfers", {}), ("/v1/invoices", {}),
                          ("/v1/invoiceitems", {}), ("/v1/events", {}),
                          ("/v1/payouts", {"Stripe-Account": account["id"]}),
                          ("/v1/events", {"Stripe-Account": account["id"]})]:
        page = (await raw.get(path, headers=headers)).json()
        assert set(page) == LIST_KEYS and page["object"] == "list"
        assert page["url"] == path and page["data"]
        for obj in page["data"]:
            check(obj)

    event_types = set()
    async for event in stripe.list_events():
        event_types.add(event["type"])
    async for event in stripe.list_events(stripe_account=account["id"]):
        event_types.add(event["type"])
    assert event_types == {"account.updated", "transfer.created", "payout.created",
                           "payout.paid", "payout.failed", "invoice.created",
                           "invoice.finalized", "invoice.paid"}
    assert set(seen) == {"account", "account_link", "transfer", "balance", "payout",
                         "customer", "invoiceitem", "invoice", "event"}
