"""The test server's HTTP face: a plain ASGI app with Stripe's auth, idempotency,
list pagination and error format, the pages Stripe hosts (`/hosted/*`), plus, when
asked for, `/_test/*` controls for failure injection.

Plain ASGI rather than Litestar: the fake must control every byte and status Stripe
would send (and hang or fail on purpose), which is simpler without a framework.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import parse_qsl

import httpx
import stripe

from asta.payments.test_server import objects
from asta.payments.test_server.answers import Answer, failure_answer, json_answer
from asta.payments.test_server.controls import Fault, control
from asta.payments.test_server.forms import decode_pairs
from asta.payments.test_server.hosted import PREFIX as HOSTED_PREFIX
from asta.payments.test_server.hosted import hosted_page
from asta.payments.test_server.params import ApiFailure
from asta.payments.test_server.routes import Ctx, route
from asta.payments.test_server.store import PLATFORM, Store

log = logging.getLogger(__name__)

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


KINDS = ("accounts", "transfers", "payouts", "customers", "invoiceitems", "invoices", "events")


@dataclass(frozen=True)
class ServerConfig:
    api_key: str | None = None  # None: any Bearer key is accepted
    platform_balance: int = 100_000_000  # cents of EUR available for transfers
    fault_delay_s: float = 2.0  # how long a "timeout" fault hangs by default
    webhook_url: str | None = None
    webhook_secret: str | None = None
    api_version: str = "2024-06-20"
    # The unauthenticated `/_test` controls (reset, faults, state...): tests ask for them;
    # the stand-in Asta runs for development and the demo leaves them out.
    test_controls: bool = False
    # Stripe pays a connected account's balance out to its bank on a daily schedule; the
    # stand-in does it this many seconds after a transfer, and the bank pays as long again
    # (payout.created, then payout.paid). None: only the /_test control settles payouts.
    automatic_payouts_after_s: float | None = None


DROPPED = json_answer(500, {"error": {"type": "api_error", "message": "Dropped by reset"}})


@dataclass
class IdempotentResult:
    method: str
    path: str
    params: dict[str, Any]
    answer: Answer | None  # None while the first request is still running


class StripeTestServer:
    """ASGI callable; one instance is one Stripe "world"."""

    def __init__(self, config: ServerConfig | None = None) -> None:
        self.config = config or ServerConfig()
        self.store = Store(platform_balance=self.config.platform_balance,
                          api_version=self.config.api_version, on_event=self._on_event)
        self.faults: list[Fault] = []
        self.idempotency: dict[tuple[str, str, str], IdempotentResult] = {}
        self.requests: Counter[str] = Counter()
        self.deliveries: list[dict[str, Any]] = []
        self.generation = 0  # bumped by reset, so requests hung across it are dropped
        self.in_flight = 0  # /v1 requests being handled now (tests wait for 0)
        self._tasks: set[asyncio.Task[None]] = set()
        self._payouts_due: set[str] = set()  # connected accounts with a payout on its way

    def reset(self) -> None:
        self.store.reset()
        self.faults.clear()
        self.idempotency.clear()
        self.requests.clear()
        self.deliveries.clear()
        self.generation += 1

    # -- ASGI ---------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (message := await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope["headers"]}
        request_id = objects.new_id("req", 14)
        try:
            answer = await self.handle(scope["method"], scope["path"],
                                       scope["query_string"].decode("latin-1"), headers, body,
                                       request_id)
        except Exception:  # a bug in the fake must still answer like Stripe's 500
            log.exception("test server failure")
            answer = json_answer(500, {"error": {"type": "api_error",
                                                 "message": "Test server crashed"}})
        raw_headers = [(b"content-type", answer.content_type.encode()),
                       (b"request-id", request_id.encode()),
                       (b"stripe-version", self.config.api_version.encode())]
        raw_headers += [(k.lower().encode(), v.encode()) for k, v in answer.headers]
        await send({"type": "http.response.start", "status": answer.status,
                    "headers": raw_headers})
        await send({"type": "http.response.body", "body": answer.body})

    # -- request handling ---------------------------------------------------------------

    async def handle(self, method: str, path: str, query: str, headers: dict[str, str],
                     body: bytes, request_id: str) -> Answer:
        server_url = f"http://{headers.get('host', '127.0.0.1')}"
        if path.startswith("/_test/") and self.config.test_controls:
            return control(self, method, path, body, server_url)
        if path.startswith(HOSTED_PREFIX) and (page := hosted_page(self.store, method, path)):
            return page
        if not path.startswith("/v1/"):
            return failure_answer(ApiFailure(404, f"Unrecognized request URL ({method}: "
                                             f"{path}).", code="resource_missing"))
        self.requests[f"{method} {path}"] += 1
        self.in_flight += 1
        try:
            return await self._handle_api(method, path, query, headers, body, request_id,
                                          server_url)
        finally:
            self.in_flight -= 1

    async def _handle_api(self, method: str, path: str, query: str, headers: dict[str, str],
                          body: bytes, request_id: str, server_url: str) -> Answer:
        api_key = self._api_key(headers.get("authorization", ""))
        if api_key is None:
            return json_answer(401, {"error": {
                "type": "invalid_request_error",
                "message": "You did not provide a valid API key. Provide it as "
                           "'Authorization: Bearer <key>'."}})

        fault = self._take_fault(method, path)
        if fault is not None and fault.mode == "timeout":
            # Hangs before Stripe starts work (as a stalled connection would): no key held.
            if not await self._hang(fault):
                return DROPPED
        elif fault is not None and (early := fault.early_answer()) is not None:
            return early

        account = headers.get("stripe-account", PLATFORM)
        try:
            if account != PLATFORM:
                self.store.connected(account)
            pairs = parse_qsl(body.decode() if method == "POST" else query,
                              keep_blank_values=True)
            params = decode_pairs(pairs)
        except ApiFailure as failure:
            return failure_answer(failure)
        except (UnicodeDecodeError, ValueError) as exc:
            return failure_answer(ApiFailure(400, f"Invalid request body: {exc}"))

        key = headers.get("idempotency-key") if method == "POST" else None
        ctx = Ctx(params=params, account=account, server_url=server_url,
                  request_id=request_id, idempotency_key=key)
        if key is None:
            if fault is not None and fault.mode == "slow" and not await self._hang(fault):
                return DROPPED
            answer, _ = self._dispatch(method, path, ctx, fault)
        else:
            answer = await self._idempotent(api_key, account, key, method, path, ctx, fault)
        if fault is not None and fault.mode == "process_then_500":
            # The work is done and remembered; only this reply is lost on the wire.
            return json_answer(500, {"error": {"type": "api_error",
                                               "message": "Injected failure after processing"}})
        return answer

    def _api_key(self, authorization: str) -> str | None:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        if self.config.api_key is not None and token.strip() != self.config.api_key:
            return None
        return token.strip()

    async def _hang(self, fault: Fault) -> bool:
        """Sleep for the fault; False if a reset happened meanwhile (drop the request)."""
        generation = self.generation
        await asyncio.sleep(fault.delay_s or self.config.fault_delay_s)
        return generation == self.generation

    def _take_fault(self, method: str, path: str) -> Fault | None:
        for fault in self.faults:
            if fault.matches(method, path):
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    def _dispatch(self, method: str, path: str, ctx: Ctx,
                  fault: Fault | None) -> tuple[Answer, bool]:
        """The answer, and whether Stripe would remember it for the idempotency key."""
        try:
            if fault is not None and fault.mode == "card_declined":
                raise ApiFailure(402, "Your card was declined.", type="card_error",
                                 code="card_declined", decline_code="generic_decline",
                                 stored=True)
            return json_answer(200, route(self.store, method, path, ctx)), True
        except ApiFailure as failure:
            return failure_answer(failure), failure.stored

    async def _idempotent(self, api_key: str, account: str, key: str, method: str, path: str,
                    ctx: Ctx, fault: Fault | None) -> Answer:
        """Stripe's rules: replay a finished result; refuse a reused key for other params."""
        cache_key = (api_key, account, key)
        previous = self.idempotency.get(cache_key)
        if previous is not None:
            if previous.path != path or previous.method != method or previous.params != ctx.params:
                return failure_answer(ApiFailure(
                    400, "Keys for idempotent requests can only be used with the same "
                    f"parameters they were first used with. Try using a key other than '{key}' "
                    "if you meant to execute a different request.", type="idempotency_error"))
            if previous.answer is None:
                answer = failure_answer(ApiFailure(
                    409, "There is currently another in-progress request using this "
                    "Idempotent Key.", type="idempotency_error"))
                answer.headers.append(("Stripe-Should-Retry", "true"))
                return answer
            replay = previous.answer
            return Answer(replay.status, replay.body, [("Idempotent-Replayed", "true")])
        entry = IdempotentResult(method, path, ctx.params, None)
        self.idempotency[cache_key] = entry
        if fault is not None and fault.mode == "slow" and not await self._hang(fault):
            return DROPPED  # Stripe is slow while holding the key: retries get 409
        answer, stored = self._dispatch(method, path, ctx, fault)
        if stored:
            entry.answer = Answer(answer.status, answer.body)
        else:  # Stripe keeps no result for requests refused before they ran
            del self.idempotency[cache_key]
        return answer

    # -- webhooks -------------------------------------------------------------------------

    def _on_event(self, event: dict[str, Any], scope: str) -> None:
        if event["type"] == "transfer.created" and self.config.automatic_payouts_after_s:
            self._pay_out_later(event["data"]["object"]["destination"])
        if not (self.config.webhook_url and self.config.webhook_secret):
            return
        payload = dict(event)
        if scope != PLATFORM:
            payload["account"] = scope  # as Stripe adds on Connect webhook deliveries
        self._spawn(self._deliver(payload))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _pay_out_later(self, account_id: str) -> None:
        if account_id not in self._payouts_due:  # one payout sweeps every transfer before it
            self._payouts_due.add(account_id)
            self._spawn(self._automatic_payout(account_id, self.generation))

    async def _automatic_payout(self, account_id: str, generation: int) -> None:
        delay = self.config.automatic_payouts_after_s or 0.0
        await asyncio.sleep(delay)
        self._payouts_due.discard(account_id)
        amount = self.store.available[account_id]["eur"]
        if generation != self.generation or amount <= 0:
            return
        try:
            payout = self.store.create_payout({"amount": str(amount), "currency": "eur"}, account_id,
                                              automatic=True)
        except ApiFailure:  # no bank account yet: the balance waits, as at Stripe
            return
        await asyncio.sleep(delay)
        if generation == self.generation:
            self.store.settle_payout(payout["id"], "paid")

    async def _deliver(self, event: dict[str, Any], attempts: int = 3) -> None:
        assert self.config.webhook_url and self.config.webhook_secret
        payload = json.dumps(event).encode()
        record: dict[str, Any] = {"event_id": event["id"], "type": event["type"]}
        async with httpx.AsyncClient(timeout=5) as client:
            for attempt in range(attempts):
                signature = stripe.WebhookSignature.generate_signature_header(
                    payload.decode(), self.config.webhook_secret, self.store.now())
                try:
                    response = await client.post(
                        self.config.webhook_url, content=payload,
                        headers={"Content-Type": "application/json",
                                 "Stripe-Signature": signature})
                    record["status_code"] = response.status_code
                    if response.is_success:
                        break
                except httpx.HTTPError as exc:
                    record["error"] = repr(exc)
                await asyncio.sleep(0.2 * 2**attempt)
        record["attempts"] = attempt + 1
        self.deliveries.append(record)

    def state(self) -> dict[str, Any]:
        transfers = self.store.objects["transfers"].values()
        return {
            "counts": {kind: len(self.store.objects[kind]) for kind in KINDS},
            "transfers_by_destination": dict(Counter(t["destination"] for t in transfers)),
            "requests": dict(self.requests),
            "balances": {scope or "platform": dict(amounts)
                         for scope, amounts in self.store.available.items()},
            "faults": [asdict(f) for f in self.faults],
            "in_flight": self.in_flight,
            "webhook_deliveries": list(self.deliveries),
        }


def create_app(config: ServerConfig | None = None) -> StripeTestServer:
    return StripeTestServer(config)

