"""Signed webhook delivery from the server, and the server as a separate process."""

import asyncio
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import stripe

from asta.payments.gateway import client_for
from asta.payments.test_server import (
    ServerConfig,
    TestServerControl,
    running_test_server,
    running_test_server_process,
)
from tests.stripe_fixtures import express_account, transfer

SECRET = "whsec_asta_test"


class Receiver(BaseHTTPRequestHandler):
    received: list[tuple[str, bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.headers["Stripe-Signature"], body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[tuple[str, bytes]]]]:
    Receiver.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/stripe/webhook", Receiver.received
    server.shutdown()
    server.server_close()


async def test_events_are_delivered_signed(receiver, clock) -> None:
    url, received = receiver
    with running_test_server(ServerConfig(webhook_url=url, webhook_secret=SECRET,
                                          test_controls=True)) as base:
        control = TestServerControl(base)
        async with client_for(base, "sk_test_x") as client:
            account = await express_account(client, "doc@example.fi")
            await control.complete_onboarding(account.id)
            await transfer(client, amount=100, destination=account.id, key="k")
            for _ in range(150):  # delivery is asynchronous, as Stripe's is
                state = await control.state()
                if len(state["webhook_deliveries"]) >= 2:
                    break
                await asyncio.sleep(0.02)
        await control.aclose()

    events = {}
    for header, body in received:
        event = stripe.Webhook.construct_event(body, header, SECRET)
        events[event.type] = event
    assert set(events) == {"account.updated", "transfer.created"}
    assert events["account.updated"].account == account.id  # Connect delivery
    assert "account" not in events["transfer.created"]
    assert [d["status_code"] for d in state["webhook_deliveries"]] == [200, 200]

    header, body = received[0]
    timestamp = int(header.split(",")[0].removeprefix("t="))
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(
            body.replace(b'"livemode": false', b'"livemode": true'), header, SECRET)
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(body, header, "whsec_wrong")
    clock.move_to(timestamp + 301)
    with pytest.raises(stripe.SignatureVerificationError, match="tolerance"):
        stripe.Webhook.construct_event(body, header, SECRET)


async def test_server_runs_as_a_separate_process() -> None:
    with running_test_server_process("--api-key", "sk_test_proc", "--test-controls") as base:
        control = TestServerControl(base)
        await control.add_fault("/v1/customers", "process_then_500")
        async with client_for(base, "sk_test_proc") as client:
            customer = await client.v1.customers.create_async({"email": "area@example.fi"})
        state = await control.state()
        await control.aclose()
    assert customer.id.startswith("cus_")
    assert state["counts"]["customers"] == 1
    assert state["requests"]["POST /v1/customers"] == 2


async def test_a_connected_balance_is_paid_out_automatically_like_stripes_schedule(
        receiver) -> None:
    url, received = receiver
    config = ServerConfig(webhook_url=url, webhook_secret=SECRET, test_controls=True,
                          automatic_payouts_after_s=0.3)
    with running_test_server(config) as base:
        control = TestServerControl(base)
        async with client_for(base, "sk_test_x") as client:
            account = await express_account(client, "doc@example.fi")
            await control.complete_onboarding(account.id)
            await transfer(client, amount=100, destination=account.id, key="a")
            await transfer(client, amount=250, destination=account.id, key="b")
            for _ in range(200):
                state = await control.state()
                if any(d["type"] == "payout.paid" for d in state["webhook_deliveries"]):
                    break
                await asyncio.sleep(0.02)
        await control.aclose()
    payouts = [stripe.Webhook.construct_event(body, header, SECRET) for header, body in received]
    payouts = [e for e in payouts if e.type.startswith("payout.")]
    assert [e.type for e in payouts] == ["payout.created", "payout.paid"]  # one sweeps both
    paid = payouts[1].data.object
    assert (paid.amount, paid.automatic, paid.status) == (350, True, "paid")
    assert payouts[1].account == account.id
    assert state["balances"][account.id] == {"eur": 0}
