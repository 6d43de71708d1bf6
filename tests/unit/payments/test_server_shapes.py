"""Every kind of object the test server answers has the shape of Stripe's example.

Runs the server in a thread, called through Stripe's own package.
"""

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import stripe

from asta.payments.gateway import client_for
from asta.payments.test_server import ServerConfig, TestServerControl, running_test_server
from tests.stripe_fixtures import express_account, transfer
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
async def world() -> AsyncIterator[tuple[stripe.StripeClient, TestServerControl,
                                         httpx.AsyncClient]]:
    with running_test_server(ServerConfig(test_controls=True)) as url:
        async with (
            client_for(url, "sk_test_x") as client,
            httpx.AsyncClient(base_url=url, headers={"Authorization": "Bearer sk_test_x"}) as raw,
        ):
            control = TestServerControl(url)
            yield client, control, raw
            await control.aclose()


def wire(obj: stripe.StripeObject) -> dict[str, Any]:
    """The JSON the stand-in sent, as the package received it."""
    assert obj.last_response is not None
    data: dict[str, Any] = json.loads(obj.last_response.body)
    return data


async def test_every_object_kind_has_stripes_shape(world) -> None:
    client, control, raw = world
    seen: dict[str, int] = {}

    def check(obj: Any, kind: str | None = None) -> None:
        assert_shape(obj, kind)
        key = kind or obj["object"]
        seen[key] = seen.get(key, 0) + 1

    account = await express_account(client, "doc@example.fi", {"pro": "1"})
    assert account.id.startswith("acct_")
    check(wire(account))
    check(wire(await client.v1.account_links.create_async(
        {"account": account.id, "type": "account_onboarding", "refresh_url": "http://a/r",
         "return_url": "http://a/ok"})), "account_link")
    check(await control.complete_onboarding(account.id))
    check(wire(await client.v1.accounts.retrieve_async(account.id)))

    made = await transfer(client, amount=12_345, destination=account.id, key="t1",
                          metadata={"shift": "9"}, transfer_group="shift-9",
                          description="Shift 9")
    assert made.id.startswith("tr_")
    check(wire(made))
    check(wire(await client.v1.transfers.retrieve_async(made.id)))
    check(wire(await client.v1.balance.retrieve_async()), "balance")
    check(wire(await client.v1.balance.retrieve_async(options={"stripe_account": account.id})),
          "balance")

    def payout(amount: int) -> Any:
        return client.v1.payouts.create_async({"amount": amount, "currency": "eur"},
                                              {"stripe_account": account.id})

    paying = await payout(10_000)
    assert paying.id.startswith("po_")
    check(wire(paying))
    check(await control.settle_payout(paying.id, "paid"))
    failed = await payout(100)
    check(await control.settle_payout(failed.id, "failed"))

    customer = await client.v1.customers.create_async(
        {"name": "Kymenlaakson hyvinvointialue", "email": "laskut@example.fi"})
    assert customer.id.startswith("cus_")
    check(wire(customer))
    item = await client.v1.invoice_items.create_async(
        {"customer": customer.id, "amount": 50_000, "currency": "eur",
         "description": "Platform share, May"})
    assert item.id.startswith("ii_")
    check(wire(item))
    invoice = await client.v1.invoices.create_async(
        {"customer": customer.id, "metadata": {"month": "5"},
         "pending_invoice_items_behavior": "include"})
    assert invoice.id is not None and invoice.id.startswith("in_")
    check(wire(invoice))
    assert invoice.lines.data, "the pending item should be on the invoice"
    check(wire(await client.v1.invoices.finalize_invoice_async(invoice.id)))
    check(await control.pay_invoice(invoice.id))
    check(wire(await client.v1.invoices.retrieve_async(invoice.id)))

    for path, headers in [("/v1/accounts", {}), ("/v1/transfers", {}), ("/v1/invoices", {}),
                          ("/v1/invoiceitems", {}), ("/v1/events", {}),
                          ("/v1/payouts", {"Stripe-Account": account.id}),
                          ("/v1/events", {"Stripe-Account": account.id})]:
        page = (await raw.get(path, headers=headers)).json()
        assert set(page) == LIST_KEYS and page["object"] == "list"
        assert page["url"] == path and page["data"]
        for obj in page["data"]:
            check(obj)

    event_types = set()
    for options in ({}, {"stripe_account": account.id}):
        page = await client.v1.events.list_async(options=options)  # type: ignore[arg-type]
        event_types |= {event.type async for event in page.auto_paging_iter()}
    assert event_types == {"account.updated", "transfer.created", "payout.created",
                           "payout.paid", "payout.failed", "invoice.created",
                           "invoice.finalized", "invoice.paid"}
    assert set(seen) == {"account", "account_link", "transfer", "balance", "payout",
                         "customer", "invoiceitem", "invoice", "event"}
