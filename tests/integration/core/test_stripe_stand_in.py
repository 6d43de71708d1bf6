"""Each Asta instance runs its own Stripe stand-in and points its payments client at it."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import stripe

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


@pytest.mark.usefixtures("restored_stripe_api_base")
async def test_the_stand_in_signs_and_sends_account_updated_to_the_server(
        tmp_path: Path) -> None:
    """What makes a demo's payout setup finish: Stripe's webhook, sent like Stripe does."""
    received: list[tuple[str, bytes, str]] = []
    arrived = threading.Event()

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, body, self.headers["Stripe-Signature"]))
            self.send_response(200)
            self.end_headers()
            arrived.set()

        def log_message(self, *_: object) -> None:
            pass

    receiver = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=receiver.serve_forever, daemon=True)
    thread.start()
    own_url = f"http://127.0.0.1:{receiver.server_address[1]}"
    settings = Settings(data_dir=tmp_path, stripe_stand_in=True)
    try:
        with runtime.stripe_stand_in(settings, own_url) as base:
            assert base is not None
            object.__setattr__(get_settings(), "stripe_api_base", base)
            async with stripe_client() as stripe_api:
                account = await stripe_api.v1.accounts.create_async(
                    {"type": "express", "email": "doc@example.fi"})
                link = await stripe_api.v1.account_links.create_async(
                    {"account": account.id, "type": "account_onboarding",
                     "refresh_url": f"{own_url}/again", "return_url": f"{own_url}/back"})
            async with httpx.AsyncClient() as browser:
                assert (await browser.get(link.url)).status_code == 303
            assert await asyncio.to_thread(arrived.wait, 10)
    finally:
        receiver.shutdown()
        thread.join()
        receiver.server_close()
    [(path, body, signature)] = received
    event = stripe.Webhook.construct_event(body, signature, settings.stripe_webhook_secret)
    assert path == "/api/webhooks/stripe" and event["type"] == "account.updated"
    assert event["account"] == account.id and event["data"]["object"]["payouts_enabled"]
