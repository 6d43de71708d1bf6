"""Each Asta instance runs its own Stripe stand-in and points its payments client at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from asta import runtime
from asta.core.config import Settings, get_settings
from asta.core.instance import read_record
from asta.payments.gateway import stripe_client
from tests import stripe_fixtures

AUTH = {"Authorization": "Bearer sk_test_asta"}


@pytest.fixture
def restored_stripe_api_base() -> Iterator[None]:
    original = get_settings().stripe_api_base
    yield
    object.__setattr__(get_settings(), "stripe_api_base", original)


def recorded_stand_in(data_dir: Path) -> str:
    record = read_record(data_dir)
    assert record is not None and record.stripe_api_base is not None
    return record.stripe_api_base


@pytest.mark.usefixtures("restored_stripe_api_base")
async def test_two_instances_get_their_own_stand_ins(database_url: str, tmp_path: Path) -> None:
    def instance(name: str) -> Settings:
        return Settings(database_url=database_url, data_dir=tmp_path / name,
                        stripe_stand_in=True)

    with runtime.serving(instance("first")):
        first = recorded_stand_in(tmp_path / "first")
        assert get_settings().stripe_api_base == first
        with runtime.serving(instance("second")):
            second = recorded_stand_in(tmp_path / "second")
            assert urlsplit(first).port != urlsplit(second).port
            assert get_settings().stripe_api_base == second
            async with stripe_client() as stripe_api:
                account = await stripe_fixtures.express_account(stripe_api, "doc@example.fi")
            async with httpx.AsyncClient(headers=AUTH) as http:
                mine = await http.get(f"{second}/v1/accounts/{account.id}")
                theirs = await http.get(f"{first}/v1/accounts/{account.id}")
            assert (mine.status_code, theirs.status_code) == (200, 404)
        async with httpx.AsyncClient(headers=AUTH) as http:
            # The second stopping took nothing of the first's with it.
            assert (await http.get(f"{first}/v1/balance")).status_code == 200
    async with httpx.AsyncClient(headers=AUTH) as http:
        with pytest.raises(httpx.ConnectError):
            await http.get(f"{first}/v1/balance")
