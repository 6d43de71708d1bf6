"""Money must move once, whatever the network does between us and Stripe."""

import asyncio
import time

import httpx
import pytest

from asta.payments import (
    APIConnectionError,
    APIError,
    CardError,
    IdempotencyError,
    InvalidRequestError,
    RateLimitError,
    StripeClient,
)
from asta.payments.resources import Account
from asta.payments.test_server import TestServerControl


async def transfers_to(control: TestServerControl, account: Account) -> int:
    state = await control.state()
    count: int = state["transfers_by_destination"].get(account["id"], 0)
    return count


async def post_count(control: TestServerControl, path: str = "/v1/transfers") -> int:
    count: int = (await control.state())["requests"].get(f"POST {path}", 0)
    return count


async def test_same_key_same_body_replays_the_same_object(stripe_url, control,
                                                          professional) -> None:
    headers = {"Authorization": "Bearer sk_test_asta", "Idempotency-Key": "shift-1"}
    body = {"amount": "1000", "currency": "eur", "destination": professional["id"]}
    async with httpx.AsyncClient(base_url=stripe_url) as http:
        first = await http.post("/v1/transfers", data=body, headers=headers)
        second = await http.post("/v1/transfers", data=body, headers=headers)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content  # byte for byte the original answer
    assert second.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert await transfers_to(control, professional) == 1


async def test_same_key_other_body_is_an_idempotency_error(stripe, control,
                                                           professional) -> None:
    await stripe.create_transfer(amount=1000, destination=professional["id"],
                                 idempotency_key="shift-2")
    with pytest.raises(IdempotencyError) as info:
        await stripe.create_transfer(amount=2000, destination=professional["id"],
                                     idempotency_key="shift-2")
    assert info.value.http_status == 400
    assert info.value.error_type == "idempotency_error"
    assert await transfers_to(control, professional) == 1


async def test_same_key_other_endpoint_is_an_idempotency_error(stripe, professional) -> None:
    await stripe.create_customer(email="a@example.fi", idempotency_key="k-3")
    with pytest.raises(IdempotencyError):
        await stripe.create_transfer(amount=1, destination=professional["id"],
                                     idempotency_key="k-3")


async def test_refused_request_does_not_burn_the_key(stripe, control, professional) -> None:
    with pytest.raises(InvalidRequestError):
        await stripe.create_transfer(amount=1, destination="acct_nope", idempotency_key="k-4")
    # Stripe keeps no result for a request refused by validation: the fix may reuse the key.
    await stripe.create_transfer(amount=1, destination=professional["id"],
                                 idempotency_key="k-4")
    assert await transfers_to(control, professional) == 1


async def test_lost_response_is_retried_without_a_second_transfer(stripe, control,
                                                                  professional) -> None:
    await control.add_fault("/v1/transfers", "process_then_500", times=1)
    transfer = await stripe.create_transfer(amount=5000, destination=professional["id"],
                                            idempotency_key="shift-5")
    assert await post_count(control) == 2
    assert await transfers_to(control, professional) == 1
    assert (await stripe.retrieve_transfer(transfer["id"]))["amount"] == 5000


async def test_lost_responses_past_the_retry_budget_still_move_money_once(
    stripe, control, professional
) -> None:
    await control.add_fault("/v1/transfers", "process_then_500", times=3)
    with pytest.raises(APIError):
        await stripe.create_transfer(amount=700, destination=professional["id"],
                                     idempotency_key="shift-6")
    assert await transfers_to(control, professional) == 1
    # Later (e.g. the outbox job runs again) the same key yields the transfer made first.
    again = await stripe.create_transfer(amount=700, destination=professional["id"],
                                         idempotency_key="shift-6")
    listed = [t async for t in stripe.list_transfers(destination=professional["id"])]
    assert [t["id"] for t in listed] == [again["id"]]


@pytest.mark.parametrize("mode", ["http_500", "http_429"])
async def test_transient_errors_are_retried(stripe, control, professional, mode) -> None:
    await control.add_fault("/v1/transfers", mode, times=2)
    await stripe.create_transfer(amount=100, destination=professional["id"],
                                 idempotency_key=f"shift-{mode}")
    assert await post_count(control) == 3
    assert await transfers_to(control, professional) == 1


async def test_rate_limit_past_the_budget_raises(stripe, control, professional) -> None:
    await control.add_fault("/v1/transfers", "http_429", times=3)
    with pytest.raises(RateLimitError):
        await stripe.create_transfer(amount=100, destination=professional["id"],
                                     idempotency_key="k")
    assert await transfers_to(control, professional) == 0


async def test_retry_after_is_honoured(stripe, control, professional) -> None:
    await control.add_fault("/v1/balance", "http_429", times=1, retry_after=1)
    started = time.monotonic()
    await stripe.retrieve_balance()
    assert time.monotonic() - started >= 1.0


async def test_timeout_then_retry_moves_money_once(stripe, control, professional) -> None:
    await control.add_fault("/v1/transfers", "timeout", times=1)
    transfer = await stripe.create_transfer(amount=900, destination=professional["id"],
                                            idempotency_key="shift-7")
    await control.wait_idle()  # let the hung first request finish on the server too
    assert await post_count(control) == 2
    assert await transfers_to(control, professional) == 1
    assert (await stripe.retrieve_transfer(transfer["id"]))["id"] == transfer["id"]


async def test_timeouts_past_the_budget_raise_connection_error(stripe, control,
                                                               professional) -> None:
    await control.add_fault("/v1/transfers", "timeout", times=3)
    with pytest.raises(APIConnectionError):
        await stripe.create_transfer(amount=300, destination=professional["id"],
                                     idempotency_key="shift-8")
    await control.wait_idle()  # every hung attempt completes now, all with one key
    assert await transfers_to(control, professional) == 1


async def test_generated_key_protects_retries_too(stripe, control) -> None:
    await control.add_fault("/v1/customers", "process_then_500", times=1)
    await stripe.create_customer(email="area@example.fi")
    assert (await control.state())["counts"]["customers"] == 1


async def test_card_decline_is_not_retried_and_is_remembered(stripe, control,
                                                             professional) -> None:
    await control.add_fault("/v1/transfers", "card_declined", times=1)
    with pytest.raises(CardError):
        await stripe.create_transfer(amount=100, destination=professional["id"],
                                     idempotency_key="shift-9")
    assert await post_count(control) == 1
    # Stripe stores the outcome of a request that ran: the same key replays the decline.
    with pytest.raises(CardError):
        await stripe.create_transfer(amount=100, destination=professional["id"],
                                     idempotency_key="shift-9")
    assert await transfers_to(control, professional) == 0


async def test_in_progress_key_answers_409_and_client_waits(stripe_url, control,
                                                            professional) -> None:
    """A retry racing the original (still running) gets 409 and retries until done."""
    await control.add_fault("/v1/transfers", "slow", times=1, delay_s=0.4)
    async with StripeClient(stripe_url, "sk_test_asta", timeout_s=2, max_retries=5,
                            backoff_base_s=0.1) as patient:
        first, second = await asyncio.gather(
            patient.create_transfer(amount=42, destination=professional["id"],
                                    idempotency_key="race"),
            patient.create_transfer(amount=42, destination=professional["id"],
                                    idempotency_key="race"),
        )
    assert first["id"] == second["id"]
    assert await transfers_to(control, professional) == 1
    assert await post_count(control) > 2  # the racing call was answered 409 and retried


async def test_slow_stripe_past_the_budget_raises_then_the_key_recovers(
    stripe, control, professional
) -> None:
    await control.add_fault("/v1/transfers", "slow", times=1)
    # The first attempt times out; the retries find the key still held (409, retryable).
    with pytest.raises(IdempotencyError) as info:
        await stripe.create_transfer(amount=55, destination=professional["id"],
                                     idempotency_key="slow-1")
    assert info.value.http_status == 409
    await control.wait_idle()
    later = await stripe.create_transfer(amount=55, destination=professional["id"],
                                         idempotency_key="slow-1")
    assert later["amount"] == 55
    assert await transfers_to(control, professional) == 1
