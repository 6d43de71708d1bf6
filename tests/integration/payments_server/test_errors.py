"""Stripe's error format from the stand-in becomes the package's matching exception."""

import httpx
import pytest
import stripe as stripe_package

from asta.payments.gateway import client_for
from asta.payments.test_server import ServerConfig, running_test_server
from tests.stripe_fixtures import express_account, transfer


async def test_card_declined_becomes_card_error(stripe, control, professional) -> None:
    await control.add_fault("/v1/transfers", "card_declined")
    with pytest.raises(stripe_package.CardError) as info:
        await transfer(stripe, amount=100, destination=professional.id, key="k")
    error = info.value
    assert error.error is not None
    assert (error.http_status, error.code, error.error.decline_code) == (
        402, "card_declined", "generic_decline")
    assert error.request_id is not None and error.request_id.startswith("req_")


async def test_unknown_destination_is_invalid_request(stripe) -> None:
    with pytest.raises(stripe_package.InvalidRequestError) as info:
        await transfer(stripe, amount=100, destination="acct_missing", key="k")
    assert (info.value.http_status, info.value.code, info.value.param) == (
        400, "resource_missing", "destination")


async def test_account_invalid_fault_is_invalid_request(stripe, control, professional) -> None:
    await control.add_fault("/v1/transfers", "account_invalid")
    with pytest.raises(stripe_package.InvalidRequestError) as info:
        await transfer(stripe, amount=100, destination=professional.id, key="k")
    assert info.value.code == "account_invalid"


async def test_account_not_onboarded_cannot_receive_transfers(stripe) -> None:
    account = await express_account(stripe, "new@example.fi")
    assert account.capabilities.to_dict() == {"transfers": "inactive"}
    with pytest.raises(stripe_package.InvalidRequestError) as info:
        await transfer(stripe, amount=100, destination=account.id, key="k")
    assert info.value.code == "insufficient_capabilities_for_transfer"


async def test_unknown_connected_account_header_is_permission_error(stripe) -> None:
    with pytest.raises(stripe_package.PermissionError) as info:
        await stripe.v1.balance.retrieve_async(options={"stripe_account": "acct_nobody"})
    assert info.value.error is not None
    assert (info.value.http_status, info.value.error.code) == (403, "account_invalid")


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
    with pytest.raises(stripe_package.InvalidRequestError) as info:
        await stripe.v1.transfers.create_async(params)
    assert (info.value.http_status, info.value.param, info.value.code) == (400, param, code)


async def test_insufficient_platform_balance(stripe, professional) -> None:
    with pytest.raises(stripe_package.InvalidRequestError) as info:
        await transfer(stripe, amount=10**12, destination=professional.id, key="k")
    assert info.value.code == "balance_insufficient"


@pytest.mark.parametrize("service", ["transfers", "invoices", "accounts", "events"])
async def test_unknown_ids_are_404_resource_missing(stripe, service) -> None:
    with pytest.raises(stripe_package.InvalidRequestError) as info:
        await getattr(stripe.v1, service).retrieve_async("xx_nope")
    assert (info.value.http_status, info.value.code) == (404, "resource_missing")


async def test_missing_auth_is_401_in_stripes_format(stripe_url) -> None:
    async with httpx.AsyncClient(base_url=stripe_url) as http:
        response = await http.get("/v1/balance")
    assert response.status_code == 401
    assert response.json()["error"]["type"] == "invalid_request_error"
    assert response.headers["Request-Id"].startswith("req_")


async def test_wrong_key_is_authentication_error() -> None:
    with running_test_server(ServerConfig(api_key="sk_test_right")) as url:
        async with client_for(url, "sk_test_wrong") as wrong:
            with pytest.raises(stripe_package.AuthenticationError) as info:
                await wrong.v1.balance.retrieve_async()
        async with client_for(url, "sk_test_right") as right:
            assert (await right.v1.balance.retrieve_async()).object == "balance"
    assert info.value.http_status == 401
