"""`/_test/*`: failure injection and state inspection over HTTP.

Driven over HTTP (not in-process calls) so a test, or an app under test in another
process, can script Stripe outages the same way wherever the server runs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from asta.payments.test_server.answers import Answer, failure_answer, json_answer
from asta.payments.test_server.params import ApiFailure

if TYPE_CHECKING:
    from asta.payments.test_server.app import StripeTestServer

# timeout: hang before Stripe starts work (a stalled connection), then process.
# slow: hold the idempotency key while hanging (Stripe itself slow): retries get 409.
FAULT_MODES = ("timeout", "slow", "http_500", "http_429", "card_declined", "account_invalid",
               "process_then_500")


@dataclass
class Fault:
    path_prefix: str
    mode: str
    times: int = 1
    method: str | None = None  # None: any method
    delay_s: float | None = None  # "timeout"/"slow" only; None uses the server's default
    retry_after: int | None = None  # "http_429" only: the Retry-After header to send

    def matches(self, method: str, path: str) -> bool:
        return path.startswith(self.path_prefix) and self.method in (None, method)

    def early_answer(self) -> Answer | None:
        """Faults answered before any work is done (and so never remembered)."""
        if self.mode == "http_500":
            return failure_answer(ApiFailure(500, "Injected internal error", type="api_error"))
        if self.mode == "http_429":
            answer = failure_answer(ApiFailure(
                429, "Too many requests hit the API too quickly.", type="rate_limit_error",
                code="rate_limit"))
            if self.retry_after is not None:
                answer.headers.append(("Retry-After", str(self.retry_after)))
            return answer
        if self.mode == "account_invalid":
            return failure_answer(ApiFailure(
                400, "The account provided as destination is invalid.",
                code="account_invalid", param="destination"))
        return None


def parse_fault(data: Any) -> Fault:
    if not isinstance(data, dict):
        raise ValueError("fault must be a JSON object")
    mode = data.get("mode")
    if mode not in FAULT_MODES:
        raise ValueError(f"mode must be one of {', '.join(FAULT_MODES)}")
    prefix = data.get("path_prefix")
    if not isinstance(prefix, str) or not prefix.startswith("/v1/"):
        raise ValueError("path_prefix must start with /v1/")
    times = data.get("times", 1)
    if not isinstance(times, int) or times < 1:
        raise ValueError("times must be a positive integer")
    method = data.get("method")
    if method is not None and method not in ("GET", "POST"):
        raise ValueError("method must be GET or POST")
    delay = data.get("delay_s")
    if delay is not None and not isinstance(delay, int | float):
        raise ValueError("delay_s must be a number")
    retry_after = data.get("retry_after")
    if retry_after is not None and not isinstance(retry_after, int):
        raise ValueError("retry_after must be an integer")
    return Fault(prefix, mode, times, method, None if delay is None else float(delay),
                 retry_after)


def control(server: StripeTestServer, method: str, path: str, body: bytes,
            server_url: str) -> Answer:
    store = server.store
    try:
        data = json.loads(body) if body else {}
        if (method, path) == ("POST", "/_test/reset"):
            server.reset()
            return json_answer(200, {"ok": True})
        if (method, path) == ("POST", "/_test/faults"):
            faults = data if isinstance(data, list) else [data]
            server.faults.extend(parse_fault(f) for f in faults)
            return json_answer(200, {"ok": True, "faults": len(server.faults)})
        if (method, path) == ("GET", "/_test/state"):
            return json_answer(200, server.state())
        if method == "POST" and (m := re.fullmatch(r"/_test/accounts/([^/]+)/onboard", path)):
            return json_answer(200, store.complete_onboarding(m[1]))
        if method == "POST" and (m := re.fullmatch(r"/_test/payouts/([^/]+)/settle", path)):
            status = data.get("status", "paid")
            if status not in ("paid", "failed"):
                raise ValueError("status must be paid or failed")
            return json_answer(200, store.settle_payout(m[1], status))
        if method == "POST" and (m := re.fullmatch(r"/_test/invoices/([^/]+)/pay", path)):
            return json_answer(200, store.pay_invoice(m[1]))
    except ApiFailure as failure:
        return failure_answer(failure)
    except (ValueError, AttributeError) as exc:
        return json_answer(400, {"error": {"type": "invalid_request_error", "message": str(exc)}})
    return json_answer(404, {"error": {"type": "invalid_request_error",
                                       "message": f"No test control {method} {path}"}})
