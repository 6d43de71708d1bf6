"""Money must move once, whatever the network does between the `stripe` package and Stripe.

The package sends one Idempotency-Key per call (ours, or one it makes up) and retries
network failures, 5xx and 409 with it; a 429 or a 4xx comes back at once, for the outbox.
"""

import asyncio

import httpx
import pytest
import stripe as stripe_package

from asta.payments.gateway import ClientOptions, client_for
from asta.payments.test_server import TestServerControl
from tests.stripe_fixtures import transfer


async def transfers_to(control: TestServerControl, account: stripe_package.Account) -> int:
    state = await control.state()
    count: int = state["transfers_by_destination"].get(account.id, 0)
    return count


async def post_count(control: TestServerControl, path: str = "/v1/transfers") -> int:
    count: int = (await control.state())["requests"].get(f"POST {path}", 0)
    return count


async def test_same_key_same_body_replays_the_same_object(stripe_url, control,
                                                          professional) -> None:
    headers = {"Authorization": "Bearer sk_test_asta", "Idempotency-Key": "shift-1"}
    body = {"amount": "1000", "currency": "eur", "destination": professional.id}
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
    await transfer(stripe, amount=1000, destination=professional.id, key="shift-2")
    with pytest.raises(stripe_package.IdempotencyError) as info:
        await transfer(stripe, amount=2000, destination=professional.id, key="shift-2")
    assert info.value.http_status == 400
    assert info.value.error is not None and info.value.error.type == "idempotency_error"
    assert await transfers_to(control, professional) == 1


async def test_same_key_other_endpoint_is_an_idempotency_error(stripe, professional) -> None:
    await stripe.v1.customers.create_async({"email": "a@example.fi"}, {"idempotency_key": "k-3"})
    with pytest.raises(stripe_package.IdempotencyError):
        await transfer(stripe, amount=1, destination=professional.id, key="k-3")


async def test_refused_request_does_not_burn_the_key(stripe, control, professional) -> None:
    with pytest.raises(stripe_package.InvalidRequestError):
        await transfer(stripe, amount=1, destination="acct_nope", key="k-4")
    # Stripe keeps no result for a request refused by validation: the fix may reuse the key.
    await transfer(stripe, amount=1, destination=professional.id, key="k-4")
    assert await transfers_to(control, professional) == 1


async def test_lost_response_is_retried_with_the_same_key(stripe, control,
                                                          professional) -> None:
    await control.add_fault("/v1/transfers", "process_then_500", times=1)
    made = await transfer(stripe, amount=5000, destination=professional.id, key="shift-5")
    assert await post_count(control) == 2  # the package retried...
    assert await transfers_to(control, professional) == 1  # ...with the key: one transfer
    assert (await stripe.v1.transfers.retrieve_async(made.id)).amount == 5000


async def test_lost_responses_past_the_retry_budget_still_move_money_once(
    stripe, control, professional
) -> None:
    await control.add_fault("/v1/transfers", "process_then_500", times=3)
    with pytest.raises(stripe_package.APIError):
        await transfer(stripe, amount=700, destination=professional.id, key="shift-6")
    assert await transfers_to(control, professional) == 1
    # Later (the outbox's next attempt) the same key yields the transfer made first.
    again = await transfer(stripe, amount=700, destination=professional.id, key="shift-6")
    page = await stripe.v1.transfers.list_async({"destination": professional.id})
    assert [t.id async for t in page.auto_paging_iter()] == [again.id]


async def test_server_errors_are_retried(stripe, control, professional) -> None:
    await control.add_fault("/v1/transfers", "http_500", times=2)
    await transfer(stripe, amount=100, destination=professional.id, key="shift-500")
    assert await post_count(control) == 3
    assert await transfers_to(control, professional) == 1


async def test_rate_limits_come_back_at_once_for_the_outbox(stripe, control,
                                                            professional) -> None:
    """The package does not retry a 429 (nor wait for Retry-After): the transfer row's
    next_attempt_at does, with backoff (asta.payments.rules.is_retryable)."""
    await control.add_fault("/v1/transfers", "http_429", times=1, retry_after=1)
    with pytest.raises(stripe_package.RateLimitError):
        await transfer(stripe, amount=100, destination=professional.id, key="k")
    assert await post_count(control) == 1
    await transfer(stripe, amount=100, destination=professional.id, key="k")
    assert await transfers_to(control, professional) == 1


async def test_timeout_then_retry_moves_money_once(stripe, control, professional) -> None:
    await control.add_fault("/v1/transfers", "timeout", times=1)
    made = await transfer(stripe, amount=900, destination=professional.id, key="shift-7")
    await control.wait_idle()  # let the hung first request finish on the server too
    assert await post_count(control) == 2
    assert await transfers_to(control, professional) == 1
    assert (await stripe.v1.transfers.retrieve_async(made.id)).id == made.id


async def test_timeouts_past_the_budget_raise_connection_error(stripe, control,
                                                               professional) -> None:
    await control.add_fault("/v1/transfers", "timeout", times=3)
    with pytest.raises(stripe_package.APIConnectionError):
        await transfer(stripe, amount=300, destination=professional.id, key="shift-8")
    await control.wait_idle()  # every hung attempt completes now, all with one key
    assert await transfers_to(control, professional) == 1


async def test_the_packages_own_key_protects_its_retries_too(stripe, control) -> None:
    await control.add_fault("/v1/customers", "process_then_500", times=1)
    await stripe.v1.customers.create_async({"email": "area@example.fi"})
    state = await control.state()
    assert state["requests"]["POST /v1/customers"] == 2
    assert state["counts"]["customers"] == 1


async def test_card_decline_is_not_retried_and_is_remembered(stripe, control,
                                                             professional) -> None:
    await control.add_fault("/v1/transfers", "card_declined", times=1)
    with pytest.raises(stripe_package.CardError):
        await transfer(stripe, amount=100, destination=professional.id, key="shift-9")
    assert await post_count(control) == 1
    # Stripe stores the outcome of a request that ran: the same key replays the decline.
    with pytest.raises(stripe_package.CardError):
        await transfer(stripe, amount=100, destination=professional.id, key="shift-9")
    assert await transfers_to(control, professional) == 0


async def test_in_progress_key_answers_409_and_the_package_waits(
        stripe_url, control, professional, monkeypatch) -> None:
    """A retry racing the original (still running) gets 409 and retries until done."""
    monkeypatch.setattr(stripe_package.HTTPClient, "INITIAL_DELAY", 0.1)
    monkeypatch.setattr(stripe_package.HTTPClient, "MAX_DELAY", 0.4)
    await control.add_fault("/v1/transfers", "slow", times=1, delay_s=0.4)
    patient = ClientOptions(timeout_s=2, max_network_retries=5)
    async with client_for(stripe_url, "sk_test_asta", patient) as client:
        first, second = await asyncio.gather(
            transfer(client, amount=42, destination=professional.id, key="race"),
            transfer(client, amount=42, destination=professional.id, key="race"))
    assert first.id == second.id
    assert await transfers_to(control, professional) == 1
    assert await post_count(control) > 2  # the racing call was answered 409 and retried


async def test_slow_stripe_past_the_budget_raises_then_the_key_recovers(
    stripe, control, professional
) -> None:
    await control.add_fault("/v1/transfers", "slow", times=1)
    # The first attempt times out; the retries find the key still held (409, retryable).
    with pytest.raises(stripe_package.APIError) as info:
        await transfer(stripe, amount=55, destination=professional.id, key="slow-1")
    assert info.value.http_status == 409
    assert info.value.error is not None and info.value.error.type == "idempotency_error"
    await control.wait_idle()
    later = await transfer(stripe, amount=55, destination=professional.id, key="slow-1")
    assert later.amount == 55
    assert await transfers_to(control, professional) == 1

