"""What the `stripe` package's retries cost and whether they keep one Idempotency-Key.

Runs the stand-in in a thread and sends one transfer through asta.payments.gateway with
production's retries (2, with the package's own backoff) and a 1 s timeout, under each
injected fault. Prints per fault: the call's outcome, POSTs Stripe saw, transfers made,
whether the transfer Stripe made carries Asta's key, and the call's wall time.

    .venv/bin/python benchmarks/stripe_retries.py [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

import stripe

from asta.payments.gateway import ClientOptions, client_for
from asta.payments.test_server import ServerConfig, TestServerControl, running_test_server

FAULTS = [("none", 0), ("http_500", 1), ("http_500", 2), ("process_then_500", 1),
          ("process_then_500", 3), ("timeout", 1), ("http_429", 1)]


async def one(url: str, control: TestServerControl, mode: str, times: int,
              key: str) -> tuple[str, int, int, bool, float]:
    await control.reset()
    options = ClientOptions(timeout_s=1.0)  # the stand-in's "timeout" fault hangs 2 s
    async with client_for(url, "sk_test_bench", options) as client:
        account = await client.v1.accounts.create_async(
            {"type": "express", "email": "bench@example.fi",
             "capabilities": {"transfers": {"requested": True}}})
        await control.complete_onboarding(account.id)
        if times:
            await control.add_fault("/v1/transfers", mode, times=times, method="POST")
        started = time.monotonic()
        try:
            await client.v1.transfers.create_async(
                {"amount": 100, "currency": "eur", "destination": account.id},
                {"idempotency_key": key})
            outcome = "ok"
        except stripe.StripeError as exc:
            outcome = type(exc).__name__
        elapsed = time.monotonic() - started
        await control.wait_idle()
        page = await client.v1.events.list_async({"type": "transfer.created"})
        keys = {e.request.idempotency_key async for e in page.auto_paging_iter()
                if e.request is not None}
    state = await control.state()
    return (outcome, state["requests"].get("POST /v1/transfers", 0),
            state["counts"]["transfers"], keys <= {key}, elapsed)


async def main(runs: int) -> None:
    with running_test_server(ServerConfig(test_controls=True, fault_delay_s=2.0)) as url:
        control = TestServerControl(url)
        print(f"stripe {stripe.VERSION}, {ClientOptions()}")
        print(f"{'fault':<22} {'outcome':<18} {'POSTs':>5} {'made':>4} {'our key':>7}"
              f" {'median s':>8} {'max s':>6}")
        for mode, times in FAULTS:
            results = [await one(url, control, mode, times, f"bench-{mode}-{times}-{i}")
                       for i in range(runs)]
            outcomes = {r[0] for r in results}
            posts = {r[1] for r in results}
            made = {r[2] for r in results}
            kept = all(r[3] for r in results)
            seconds = [r[4] for r in results]
            print(f"{mode + ' x' + str(times):<22} {'/'.join(sorted(outcomes)):<18} "
                  f"{'/'.join(map(str, sorted(posts))):>5} {'/'.join(map(str, sorted(made))):>4} "
                  f"{'yes' if kept else 'NO':>7} "
                  f"{statistics.median(seconds):>8.2f} {max(seconds):>6.2f}")
        await control.aclose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    asyncio.run(main(parser.parse_args().runs))
