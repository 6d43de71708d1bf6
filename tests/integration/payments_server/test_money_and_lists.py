"""Balances, pagination, events and onboarding behave as Stripe's do."""

import httpx
import pytest
import stripe as stripe_package

from asta.payments.test_server import TestServerControl
from tests.stripe_fixtures import express_account, transfer

Client = stripe_package.StripeClient


async def eur(stripe: Client, account: str | None = None) -> int:
    balance = await stripe.v1.balance.retrieve_async(
        options={"stripe_account": account} if account else {})
    return next(b.amount for b in balance.available if b.currency == "eur")


async def payout(stripe: Client, amount: int, account: str) -> stripe_package.Payout:
    return await stripe.v1.payouts.create_async({"amount": amount, "currency": "eur"},
                                                {"stripe_account": account})


async def test_transfer_and_payout_move_money(stripe: Client, control: TestServerControl,
                                              professional: stripe_package.Account) -> None:
    platform_before = await eur(stripe)
    assert await eur(stripe, professional.id) == 0

    await transfer(stripe, amount=25_000, destination=professional.id, key="shift-1")
    assert await eur(stripe) == platform_before - 25_000
    assert await eur(stripe, professional.id) == 25_000

    paying = await payout(stripe, 20_000, professional.id)
    assert paying.status == "pending"
    assert await eur(stripe, professional.id) == 5_000

    failed = await payout(stripe, 5_000, professional.id)
    await control.settle_payout(failed.id, "failed")  # a bounced payout comes back
    assert await eur(stripe, professional.id) == 5_000
    paid = await control.settle_payout(paying.id, "paid")
    assert paid["status"] == "paid"


async def test_payout_beyond_balance_is_refused(stripe: Client,
                                                professional: stripe_package.Account) -> None:
    await transfer(stripe, amount=100, destination=professional.id, key="k")
    with pytest.raises(stripe_package.InvalidRequestError) as info:
        await payout(stripe, 101, professional.id)
    assert info.value.code == "balance_insufficient"


async def test_pagination_across_pages_newest_first(stripe: Client,
                                                    control: TestServerControl,
                                                    professional: stripe_package.Account) -> None:
    other = await express_account(stripe, "other@example.fi")
    await control.complete_onboarding(other.id)
    made = [await transfer(stripe, amount=100 + i, destination=professional.id, key=f"t{i}")
            for i in range(7)]
    await transfer(stripe, amount=1, destination=other.id, key="o")

    page = await stripe.v1.transfers.list_async({"destination": professional.id, "limit": 3})
    listed = [t.id async for t in page.auto_paging_iter()]
    assert listed == [t.id for t in reversed(made)]
    assert (await control.state())["requests"]["GET /v1/transfers"] == 3  # 3 + 3 + 1
    everything = await stripe.v1.transfers.list_async({"limit": 100})
    assert len([t async for t in everything.auto_paging_iter()]) == 8


async def test_events_record_what_happened_where(stripe: Client,
                                                 control: TestServerControl,
                                                 professional: stripe_package.Account) -> None:
    made = await transfer(stripe, amount=300, destination=professional.id, key="shift-ev")
    paying = await payout(stripe, 300, professional.id)
    await control.settle_payout(paying.id, "paid")

    async def events(params: dict[str, str], account: str | None = None) -> list[dict]:
        page = await stripe.v1.events.list_async(
            params, {"stripe_account": account} if account else {})
        return [e.to_dict() async for e in page.auto_paging_iter()]

    platform = await events({})
    assert [e["type"] for e in platform] == ["transfer.created"]
    assert platform[0]["data"]["object"]["id"] == made.id
    assert platform[0]["request"]["idempotency_key"] == "shift-ev"

    connected = await events({}, professional.id)
    assert [e["type"] for e in connected] == ["payout.paid", "payout.created",
                                              "account.updated"]
    only_paid = await events({"type": "payout.paid"}, professional.id)
    assert [e["data"]["object"]["status"] for e in only_paid] == ["paid"]


async def test_invoice_collects_pending_items_and_finalizes(stripe: Client) -> None:
    customer = await stripe.v1.customers.create_async({"name": "Pohjanmaan hyvinvointialue"})
    for amount in (120_000, 30_000):
        await stripe.v1.invoice_items.create_async(
            {"customer": customer.id, "amount": amount, "currency": "eur",
             "description": "Asta platform share"})
    invoice = await stripe.v1.invoices.create_async(
        {"customer": customer.id, "collection_method": "send_invoice", "days_until_due": 30,
         "pending_invoice_items_behavior": "include"})
    assert invoice.id is not None
    assert (invoice.status, invoice.amount_due) == ("draft", 150_000)
    assert invoice.due_date is not None
    final = await stripe.v1.invoices.finalize_invoice_async(invoice.id)
    assert final.status == "open"
    assert final.number is not None and final.hosted_invoice_url is not None
    # Items already on an invoice are not taken again by the next one.
    empty = await stripe.v1.invoices.create_async(
        {"customer": customer.id, "pending_invoice_items_behavior": "include"})
    assert empty.amount_due == 0


async def test_onboarding_link_is_single_use(stripe: Client, stripe_url: str) -> None:
    account = await express_account(stripe, "new@example.fi")
    link = await stripe.v1.account_links.create_async(
        {"account": account.id, "type": "account_onboarding",
         "refresh_url": "https://asta.test/refresh", "return_url": "https://asta.test/done"})
    assert link.url.startswith(stripe_url)
    async with httpx.AsyncClient() as browser:
        first = await browser.get(link.url)
        second = await browser.get(link.url)
    assert (first.status_code, first.headers["location"]) == (303, "https://asta.test/done")
    assert second.headers["location"] == "https://asta.test/refresh"
    onboarded = await stripe.v1.accounts.retrieve_async(account.id)
    assert onboarded.details_submitted and onboarded.payouts_enabled
    assert onboarded.capabilities.transfers == "active"
