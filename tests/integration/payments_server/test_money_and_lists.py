"""Balances, pagination, events and onboarding behave as Stripe's do."""

import httpx
import pytest

from asta.payments import InvalidRequestError, StripeClient
from asta.payments.resources import Account, Balance
from asta.payments.test_server import TestServerControl


def eur(balance: Balance) -> int:
    return next(b["amount"] for b in balance["available"] if b["currency"] == "eur")


async def test_transfer_and_payout_move_money(stripe: StripeClient, control: TestServerControl,
                                              professional: Account) -> None:
    platform_before = eur(await stripe.retrieve_balance())
    assert eur(await stripe.retrieve_balance(stripe_account=professional["id"])) == 0

    await stripe.create_transfer(amount=25_000, destination=professional["id"],
                                 idempotency_key="shift-1")
    assert eur(await stripe.retrieve_balance()) == platform_before - 25_000
    assert eur(await stripe.retrieve_balance(stripe_account=professional["id"])) == 25_000

    payout = await stripe.create_payout(amount=20_000, stripe_account=professional["id"])
    assert payout["status"] == "pending"
    assert eur(await stripe.retrieve_balance(stripe_account=professional["id"])) == 5_000

    failed = await stripe.create_payout(amount=5_000, stripe_account=professional["id"])
    await control.settle_payout(failed["id"], "failed")  # a bounced payout comes back
    assert eur(await stripe.retrieve_balance(stripe_account=professional["id"])) == 5_000
    paid = await control.settle_payout(payout["id"], "paid")
    assert paid["status"] == "paid"


async def test_payout_beyond_balance_is_refused(stripe: StripeClient,
                                                professional: Account) -> None:
    await stripe.create_transfer(amount=100, destination=professional["id"],
                                 idempotency_key="k")
    with pytest.raises(InvalidRequestError) as info:
        await stripe.create_payout(amount=101, stripe_account=professional["id"])
    assert info.value.code == "balance_insufficient"


async def test_pagination_across_pages_newest_first(stripe: StripeClient,
                                                    control: TestServerControl,
                                                    professional: Account) -> None:
    other = await stripe.create_account(email="other@example.fi")
    await control.complete_onboarding(other["id"])
    made = [await stripe.create_transfer(amount=100 + i, destination=professional["id"],
                                         idempotency_key=f"t{i}") for i in range(7)]
    await stripe.create_transfer(amount=1, destination=other["id"], idempotency_key="o")

    listed = [t async for t in stripe.list_transfers(destination=professional["id"],
                                                     page_size=3)]
    assert [t["id"] for t in listed] == [t["id"] for t in reversed(made)]
    assert (await control.state())["requests"]["GET /v1/transfers"] == 3  # 3 + 3 + 1
    assert len([t async for t in stripe.list_transfers(page_size=100)]) == 8


async def test_events_record_what_happened_where(stripe: StripeClient,
                                                 control: TestServerControl,
                                                 professional: Account) -> None:
    transfer = await stripe.create_transfer(amount=300, destination=professional["id"],
                                            idempotency_key="shift-ev")
    payout = await stripe.create_payout(amount=300, stripe_account=professional["id"])
    await control.settle_payout(payout["id"], "paid")

    platform = [e async for e in stripe.list_events()]
    assert [e["type"] for e in platform] == ["transfer.created"]
    assert platform[0]["data"]["object"]["id"] == transfer["id"]
    assert platform[0]["request"]["idempotency_key"] == "shift-ev"

    connected = [e async for e in stripe.list_events(stripe_account=professional["id"])]
    assert [e["type"] for e in connected] == ["payout.paid", "payout.created",
                                              "account.updated"]
    only_paid = [e async for e in stripe.list_events(type="payout.paid",
                                                      stripe_account=professional["id"])]
    assert [e["data"]["object"]["status"] for e in only_paid] == ["paid"]


async def test_invoice_collects_pending_items_and_finalizes(stripe: StripeClient) -> None:
    customer = await stripe.create_customer(name="Pohjanmaan hyvinvointialue")
    for amount in (120_000, 30_000):
        await stripe.create_invoice_item(customer=customer["id"], amount=amount,
                                         description="Asta platform share")
    invoice = await stripe.create_invoice(customer=customer["id"], days_until_due=30)
    assert (invoice["status"], invoice["amount_due"]) == ("draft", 150_000)
    assert invoice["due_date"] is not None
    final = await stripe.finalize_invoice(invoice["id"])
    assert final["status"] == "open"
    assert final["number"] is not None and final["hosted_invoice_url"] is not None
    # Items already on an invoice are not taken again by the next one.
    empty = await stripe.create_invoice(customer=customer["id"])
    assert empty["amount_due"] == 0


async def test_onboarding_link_is_single_use(stripe: StripeClient, stripe_url: str) -> None:
    account = await stripe.create_account(email="new@example.fi")
    link = await stripe.create_account_link(account=account["id"],
                                            refresh_url="https://asta.test/refresh",
                                            return_url="https://asta.test/done")
    assert link["url"].startswith(stripe_url)
    async with httpx.AsyncClient() as browser:
        first = await browser.get(link["url"])
        second = await browser.get(link["url"])
    assert (first.status_code, first.headers["location"]) == (303, "https://asta.test/done")
    assert second.headers["location"] == "https://asta.test/refresh"
    onboarded = await stripe.retrieve_account(account["id"])
    assert onboarded["details_submitted"] and onboarded["payouts_enabled"]
    assert onboarded["capabilities"]["transfers"] == "active"
