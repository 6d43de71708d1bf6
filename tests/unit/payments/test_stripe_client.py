"""The client against scripted answers (httpx.MockTransport): headers, retries, errors."""

import json
import random
import uuid
from collections.abc import Callable, Iterator
from urllib.parse import parse_qsl

import httpx
import pytest

from asta.payments import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    CardError,
    IdempotencyError,
    InvalidRequestError,
    PermissionError_,
    RateLimitError,
    StripeClient,
)
from asta.payments import stripe_client as module
from asta.payments.stripe_client import DEFAULT_API_VERSION, compute_backoff

Reply = httpx.Response | Exception


def stripe_error(status: int, type_: str, **fields: str) -> httpx.Response:
    return httpx.Response(status, json={"error": {"type": type_, "message": "m", **fields}},
                          headers={"Request-Id": "req_123"})


class Script:
    """Answers requests from a list, recording every request it saw."""

    def __init__(self, *replies: Reply) -> None:
        self.replies = list(replies)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply

    def form(self, index: int = 0) -> dict[str, str]:
        return dict(parse_qsl(self.requests[index].content.decode()))


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    delays: list[float] = []

    async def fake_sleep(delay: float) -> None:
        delays.append(delay)

    monkeypatch.setattr(module, "_sleep", fake_sleep)
    return delays


@pytest.fixture
def make_client() -> Iterator[Callable[[Script], StripeClient]]:
    clients: list[StripeClient] = []

    def make(script: Script) -> StripeClient:
        client = StripeClient("https://stripe.test/", "sk_test_123", max_retries=2,
                              transport=httpx.MockTransport(script))
        clients.append(client)
        return client

    yield make


OK_TRANSFER = httpx.Response(200, json={"id": "tr_1", "object": "transfer", "amount": 500})


async def test_post_sends_auth_version_idempotency_and_form(make_client, sleeps) -> None:
    script = Script(OK_TRANSFER)
    async with make_client(script) as stripe:
        transfer = await stripe.create_transfer(
            amount=500, destination="acct_1", idempotency_key="shift-42-payout",
            metadata={"shift_id": "42"}, transfer_group="shift-42")
    request = script.requests[0]
    assert transfer["id"] == "tr_1"
    assert (request.method, request.url.path) == ("POST", "/v1/transfers")
    assert request.headers["Authorization"] == "Bearer sk_test_123"
    assert request.headers["Stripe-Version"] == DEFAULT_API_VERSION
    assert request.headers["Idempotency-Key"] == "shift-42-payout"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert "Stripe-Account" not in request.headers
    assert script.form() == {"amount": "500", "currency": "eur", "destination": "acct_1",
                             "metadata[shift_id]": "42", "transfer_group": "shift-42"}


async def test_get_has_query_and_no_idempotency_key(make_client) -> None:
    script = Script(httpx.Response(200, json={"object": "balance", "available": []}))
    async with make_client(script) as stripe:
        await stripe.retrieve_balance(stripe_account="acct_9")
    request = script.requests[0]
    assert request.method == "GET"
    assert request.headers["Stripe-Account"] == "acct_9"
    assert "Idempotency-Key" not in request.headers


async def test_create_account_asks_for_express_fi_with_transfers(make_client) -> None:
    script = Script(httpx.Response(200, json={"id": "acct_1"}))
    async with make_client(script) as stripe:
        await stripe.create_account(email="doc@example.fi", metadata={"professional_id": "7"})
    assert script.form() == {"type": "express", "country": "FI", "email": "doc@example.fi",
                             "capabilities[transfers][requested]": "true",
                             "metadata[professional_id]": "7"}


async def test_ids_in_paths_are_quoted(make_client) -> None:
    script = Script(httpx.Response(200, json={"id": "x"}))
    async with make_client(script) as stripe:
        await stripe.retrieve_transfer("../accounts")
    assert script.requests[0].url.raw_path == b"/v1/transfers/..%2Faccounts"


async def test_retries_reuse_one_generated_idempotency_key(make_client, sleeps) -> None:
    script = Script(stripe_error(500, "api_error"), httpx.ReadTimeout("slow"), OK_TRANSFER)
    async with make_client(script) as stripe:
        await stripe.create_customer(email="area@example.fi")
    keys = {r.headers["Idempotency-Key"] for r in script.requests}
    assert len(script.requests) == 3
    assert len(keys) == 1
    uuid.UUID(keys.pop())  # a fresh UUID when the caller gave none
    assert len(sleeps) == 2


async def test_each_logical_call_gets_its_own_key(make_client) -> None:
    script = Script(OK_TRANSFER, OK_TRANSFER)
    async with make_client(script) as stripe:
        await stripe.create_customer()
        await stripe.create_customer()
    first, second = (r.headers["Idempotency-Key"] for r in script.requests)
    assert first != second


@pytest.mark.parametrize(
    ("reply", "error", "attrs"),
    [
        (stripe_error(400, "invalid_request_error", code="parameter_missing", param="amount"),
         InvalidRequestError, {"code": "parameter_missing", "param": "amount",
                               "http_status": 400, "request_id": "req_123"}),
        (stripe_error(404, "invalid_request_error", code="resource_missing"),
         InvalidRequestError, {"code": "resource_missing", "http_status": 404}),
        (stripe_error(402, "card_error", code="card_declined", decline_code="insufficient_funds"),
         CardError, {"code": "card_declined", "decline_code": "insufficient_funds"}),
        (stripe_error(401, "invalid_request_error"), AuthenticationError, {"http_status": 401}),
        (stripe_error(403, "invalid_request_error", code="account_invalid"), PermissionError_,
         {"code": "account_invalid"}),
        (stripe_error(400, "idempotency_error"), IdempotencyError,
         {"error_type": "idempotency_error"}),
        (stripe_error(409, "invalid_request_error", code="lock_timeout"), InvalidRequestError,
         {"http_status": 409}),
    ],
)
async def test_client_errors_map_and_are_not_retried(make_client, sleeps, reply, error,
                                                     attrs) -> None:
    script = Script(reply, OK_TRANSFER)
    async with make_client(script) as stripe:
        with pytest.raises(error) as info:
            await stripe.create_transfer(amount=1, destination="acct_1", idempotency_key="k")
    assert len(script.requests) == 1
    assert sleeps == []
    for name, value in attrs.items():
        assert getattr(info.value, name) == value


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (stripe_error(500, "api_error"), APIError),
        (stripe_error(503, "api_error"), APIError),
        (stripe_error(429, "rate_limit_error", code="rate_limit"), RateLimitError),
        (stripe_error(409, "idempotency_error"), IdempotencyError),
        (httpx.Response(502, text="<html>bad gateway</html>"), APIError),
        (httpx.ConnectTimeout("no answer"), APIConnectionError),
        (httpx.ConnectError("refused"), APIConnectionError),
        (httpx.RemoteProtocolError("cut"), APIConnectionError),
    ],
)
async def test_transient_failures_are_retried_then_raised(make_client, sleeps, reply,
                                                          error) -> None:
    script = Script(reply, reply, reply)
    async with make_client(script) as stripe:
        with pytest.raises(error):
            await stripe.create_transfer(amount=1, destination="acct_1", idempotency_key="k")
    assert len(script.requests) == 3  # first try + max_retries=2
    assert len(sleeps) == 2


async def test_stripe_should_retry_header_overrides_status(make_client, sleeps) -> None:
    no = stripe_error(500, "api_error")
    no.headers["Stripe-Should-Retry"] = "false"
    yes = stripe_error(400, "invalid_request_error")
    yes.headers["Stripe-Should-Retry"] = "true"
    script = Script(no, yes, OK_TRANSFER)
    async with make_client(script) as stripe:
        with pytest.raises(APIError):
            await stripe.retrieve_transfer("tr_1")
        assert (await stripe.retrieve_transfer("tr_1"))["id"] == "tr_1"
    assert len(script.requests) == 3


async def test_retry_after_is_a_floor_for_the_delay(make_client, sleeps) -> None:
    limited = stripe_error(429, "rate_limit_error")
    limited.headers["Retry-After"] = "7"
    script = Script(limited, OK_TRANSFER)
    async with make_client(script) as stripe:
        await stripe.retrieve_transfer("tr_1")
    assert sleeps == [7.0]


async def test_success_body_that_is_not_json_is_an_api_error(make_client) -> None:
    script = Script(httpx.Response(200, text="oops"))
    async with make_client(script) as stripe:
        with pytest.raises(APIError, match="Invalid JSON"):
            await stripe.retrieve_balance()


async def test_pagination_follows_has_more_with_starting_after(make_client) -> None:
    def page(ids: list[str], more: bool) -> httpx.Response:
        return httpx.Response(200, json={"object": "list", "url": "/v1/transfers",
                                         "has_more": more, "data": [{"id": i} for i in ids]})

    script = Script(page(["tr_3", "tr_2"], True), page(["tr_1"], False))
    async with make_client(script) as stripe:
        seen = [t["id"] async for t in stripe.list_transfers(destination="acct_1", page_size=2)]
    assert seen == ["tr_3", "tr_2", "tr_1"]
    first, second = (dict(r.url.params) for r in script.requests)
    assert first == {"destination": "acct_1", "limit": "2"}
    assert second == {"destination": "acct_1", "limit": "2", "starting_after": "tr_2"}


@pytest.mark.parametrize(
    ("attempt", "retry_after", "low", "high"),
    [
        (0, None, 0.25, 0.5),
        (1, None, 0.5, 1.0),
        (3, None, 2.0, 4.0),
        (10, None, 4.0, 8.0),  # capped at max_s before jitter
        (0, 3.0, 3.0, 3.0),  # Retry-After wins over a shorter backoff
        (0, 600.0, 0.25, 0.5),  # absurd Retry-After ignored
    ],
)
def test_compute_backoff(attempt: int, retry_after: float | None, low: float,
                         high: float) -> None:
    rng = random.Random(1)
    for _ in range(50):
        delay = compute_backoff(attempt, base_s=0.5, max_s=8.0, retry_after_s=retry_after,
                                rng=rng)
        assert low <= delay <= high


def test_error_str_carries_code_and_request_id() -> None:
    body = json.loads(stripe_error(400, "invalid_request_error", code="x", param="p").content)
    from asta.payments.errors import error_from_response

    assert str(error_from_response(400, body, "req_9")) == "m code=x param=p request_id=req_9"
