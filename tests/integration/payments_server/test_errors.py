"""Stripe's error format from the server becomes the matching exception in the client."""

import httpx
import pytest

from asta.payments import (
    AuthenticationError,
    CardError,
    InvalidRequestError,
    PermissionError_,
    StripeClient,
)
from asta.payments.test_server import ServerConfig, running_test_server


async def test_card_declined_becomes_card_error(stripe, control, professional) -> None:
    await control.add_fault("/v1/transfers", "card_declined")
    with pytest.raises(CardError) as info:
        await stripe.create_transfer(amount=100, destination=professional["id"],
                                     idempotency_key="k")
    error = info.value
    assert (error.http_status, error.code, error.decline_code) == (
        402, "card_declined", "generic_decline")
    assert error.request_id is not None and error.request_id.startswith("req_")


async def test_unknown_destination_is_invalid_request(stripe) -> None:
    with pytest.raises(InvalidRequestError) as info:
        await stripe.create_transfer(amount=100, destination="acct_missing",
                                     idempotency_key="k")
    assert (info.value.http_status, info.value.code, info.value.param) == (
        400, "resource_missing", "destination")


async def test_account_invalid_fault_is_invalid_request(stripe, control, professional) -> None:
    await control.add_fault("/v1/transfers", "account_invalid")
    with pytest.raises(InvalidRequestError) as info:
        await stripe.create_transfer(amount=100, destination=professional["id"],
                                     idempotency_key="k")
    assert info.value.code == "account_invalid"


async def test_account_not_onboarded_cannot_receive_transfers(stripe) -> None:
    account = await stripe.create_account(email="new@example.fi")
    assert account["capabilities"] == {"transfers": "inactive"}
    with pytest.raises(InvalidRequestError) as info:
        await stripe.create_transfer(amount=100, destination=account["id"],
                                     idempotency_key="k")
    assert info.value.code == "insufficient_capabilities_for_transfer"


async def test_unknown_connected_account_header_is_permission_error(stripe) -> None:
    with pytest.raises(PermissionError_) as info:
        await stripe.retrieve_balance(stripe_account="acct_nobody")
    assert (info.value.http_status, info.value.code) == (403, "account_invalid")


@pytest.mark.parametrize(
    ("params", "param", "code"),
    [
        ({"currency": "eur", "destination": "acct_x"}, "amount", "parameter_missing"),
        ({"amount": "ten", "currency": "eur", "destination": "acct_x"}, "amount",
         "parameter_invalid_integer"),
        ({"amount": 0, "currency": "eur", "destination": "acct_x"}, "amount",
         "parameter_invalid_integer"),
        ({"amount": 5, "destination": "acct_x"}, "currency", "parameter_missing"),
        ({"amount": 5, "currency": "eur"}, "destination", "parameter_missing"),
    ],
)
async def test_validation_errors_name_the_param(stripe, params, param, code) -> None:
    with pytest.raises(InvalidRequestError) as info:
        await stripe.request("POST", "/v1/transfers", params)
    assert (info.value.http_status, info.value.param, info.value.code) == (400, param, code)


async def test_insufficient_platform_balance(stripe, professional) -> None:
    with pytest.raises(InvalidRequestError) as info:
        await stripe.create_transfer(amount=10**12, destination=professional["id"],
                                     idempotency_key="k")
    assert info.value.code == "balance_insufficient"


@pytest.mark.parametrize("path", ["/v1/transfers/tr_nope", "/v1/invoices/in_nope",
                                  "/v1/accounts/acct_nope", "/v1/events/evt_nope"])
async def test_unknown_ids_are_404_resource_missing(stripe, path) -> None:
    with pytest.raises(InvalidRequestError) as info:
        await stripe.request("GET", path)
    assert (info.value.http_status, info.value.code) == (404, "resource_missing")


async def test_missing_auth_is_401_in_stripes_format(stripe_url) -> None:
    async with httpx.AsyncClient(base_url=stripe_url) as http:
        response = await http.get("/v1/balance")
    assert response.status_code == 401
    assert response.json()["error"]["type"] == "invalid_request_error"
    assert response.headers["Request-Id"].startswith("req_")


async def test_wrong_key_is_authentication_error() -> None:
    with running_test_server(ServerConfig(api_key="sk_test_right")) as url:
        async with StripeClient(url, "sk_test_wrong") as wrong:
            with pytest.raises(AuthenticationError) as info:
                await wrong.retrieve_balance()
        async with StripeClient(url, "sk_test_right") as right:
            assert (await right.retrieve_balance())["object"] == "balance"
    assert info.value.http_status == 401


def test_empty_key_is_refused_before_any_request() -> None:
    with pytest.raises(AuthenticationError):
        StripeClient("http://127.0.0.1:9", " ")
