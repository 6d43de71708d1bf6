"""A small async Stripe client over httpx, covering only what Asta uses.

No Stripe SDK: the REST API is small for our needs and this keeps retries,
idempotency and timeouts explicit and testable against the local test server.
Every POST carries an Idempotency-Key that stays the same across retries, so a
retry after a lost response can never move money twice.
"""

from __future__ import annotations

import asyncio
import json
import random
import uuid
from collections.abc import AsyncIterator, Mapping
from types import TracebackType
from typing import Any, Self, cast
from urllib.parse import quote

import httpx

from asta.payments.errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    StripeError,
    error_from_response,
)
from asta.payments.forms import encode_params
from asta.payments.resources import (
    Account,
    AccountLink,
    Balance,
    Customer,
    Event,
    Invoice,
    InvoiceItem,
    Payout,
    Transfer,
)
from asta.payments.webhooks import construct_event, sign_payload

__all__ = ["DEFAULT_API_VERSION", "StripeClient", "compute_backoff", "construct_event",
           "sign_payload"]

# Pinned so a Stripe-side default change cannot alter the shapes Asta reads.
DEFAULT_API_VERSION = "2024-06-20"
MAX_RETRY_AFTER_S = 60.0
_sleep = asyncio.sleep  # module-level so tests can observe backoff without waiting

Params = Mapping[str, Any]


def compute_backoff(
    attempt: int,
    *,
    base_s: float,
    max_s: float,
    retry_after_s: float | None = None,
    rng: random.Random | None = None,
) -> float:
    """Delay before retry number `attempt` (0-based): exponential, capped, jittered.

    Jitter keeps many workers from retrying in lockstep; it only shortens the delay
    (to 50-100 %), and a server's Retry-After is a floor, never cut by jitter.
    """
    exp = min(max_s, base_s * 2.0**attempt)
    jitter = (rng.uniform if rng is not None else random.uniform)(0.5, 1.0)
    delay = exp * jitter
    if retry_after_s is not None and retry_after_s <= MAX_RETRY_AFTER_S:
        delay = max(delay, retry_after_s)
    return delay


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # HTTP-date form; Stripe sends seconds, fall back to backoff


def _should_retry(response: httpx.Response, body: Any) -> bool:
    header = response.headers.get("Stripe-Should-Retry")
    if header == "true":
        return True
    if header == "false":
        return False
    status = response.status_code
    if status == 409:
        error = body.get("error") if isinstance(body, dict) else None
        return isinstance(error, dict) and error.get("type") == "idempotency_error"
    return status == 429 or status >= 500


def _id(value: str) -> str:
    """Quote an id placed in a path, so a malformed id cannot reach another endpoint."""
    return quote(value, safe="")


class StripeClient:
    """Async Stripe REST client. Use as `async with StripeClient(...) as stripe:`."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout_s: float = 10,
        max_retries: int = 3,
        backoff_base_s: float = 0.5,
        backoff_max_s: float = 8.0,
        api_version: str = DEFAULT_API_VERSION,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if not api_key.strip():
            raise AuthenticationError("No API key provided")  # as Stripe's SDKs do, early
        self.max_retries = max_retries
        self.backoff_base_s = backoff_base_s
        self.backoff_max_s = backoff_max_s
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            timeout=timeout_s,
            transport=transport,
            headers={
                "Authorization": f"Bearer {api_key}",
                "Stripe-Version": api_version,
                "User-Agent": "asta-stripe/0.1",
            },
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- transport -----------------------------------------------------------------

    async def request(
        self,
        method: str,
        path: str,
        params: Params | None = None,
        *,
        idempotency_key: str | None = None,
        stripe_account: str | None = None,
    ) -> dict[str, Any]:
        """One logical call, retried as needed; returns the decoded JSON object."""
        method = method.upper()
        headers: dict[str, str] = {}
        if stripe_account:
            headers["Stripe-Account"] = stripe_account
        content: str | None = None
        query: str | None = None
        encoded = encode_params(params or {})
        if method == "POST":
            # Generated once here, reused by every retry below: that is the whole point.
            headers["Idempotency-Key"] = idempotency_key or str(uuid.uuid4())
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            content = encoded
        elif encoded:
            query = encoded
        url = f"{path}?{query}" if query else path

        attempt = 0
        while True:
            try:
                response = await self._http.request(method, url, content=content, headers=headers)
            except httpx.TimeoutException as exc:
                failure: StripeError = APIConnectionError(f"Request to Stripe timed out: {exc!r}")
                retry_after = None
            except httpx.TransportError as exc:
                failure = APIConnectionError(f"Could not connect to Stripe: {exc!r}")
                retry_after = None
            else:
                request_id = response.headers.get("Request-Id")
                try:
                    body = response.json()
                except (json.JSONDecodeError, UnicodeDecodeError):
                    body = None
                if 200 <= response.status_code < 300:
                    if not isinstance(body, dict):
                        raise APIError(
                            "Invalid JSON in Stripe response",
                            http_status=response.status_code, request_id=request_id,
                        )
                    return body
                failure = error_from_response(response.status_code, body, request_id)
                if not _should_retry(response, body):
                    raise failure
                retry_after = _retry_after(response)
            if attempt >= self.max_retries:
                raise failure
            await _sleep(
                compute_backoff(
                    attempt, base_s=self.backoff_base_s, max_s=self.backoff_max_s,
                    retry_after_s=retry_after,
                )
            )
            attempt += 1

    async def paginate(
        self,
        path: str,
        params: Params | None = None,
        *,
        page_size: int = 100,
        stripe_account: str | None = None,
    ) -> AsyncIterator[dict[str, Any]]:
        """Every object of a list endpoint, following has_more / starting_after."""
        query: dict[str, Any] = {**(params or {}), "limit": page_size}
        while True:
            page = await self.request("GET", path, query, stripe_account=stripe_account)
            data = page.get("data") or []
            for item in data:
                yield item
            if not page.get("has_more") or not data:
                return
            query["starting_after"] = data[-1]["id"]

    # -- Connect accounts ----------------------------------------------------------

    async def create_account(
        self, *, email: str, metadata: Params | None = None, country: str = "FI",
        idempotency_key: str | None = None,
    ) -> Account:
        params = {
            "type": "express",
            "country": country,
            "email": email,
            "capabilities": {"transfers": {"requested": True}},
            "metadata": metadata,
        }
        return cast(Account, await self.request(
            "POST", "/v1/accounts", params, idempotency_key=idempotency_key))

    async def retrieve_account(self, account: str) -> Account:
        return cast(Account, await self.request("GET", f"/v1/accounts/{_id(account)}"))

    async def create_account_link(
        self, *, account: str, refresh_url: str, return_url: str,
        type: str = "account_onboarding",  # Stripe's parameter name
    ) -> AccountLink:
        params = {"account": account, "refresh_url": refresh_url, "return_url": return_url,
                  "type": type}
        return cast(AccountLink, await self.request("POST", "/v1/account_links", params))

    # -- Transfers, payouts, balance -----------------------------------------------

    async def create_transfer(
        self, *, amount: int, destination: str, idempotency_key: str, currency: str = "eur",
        metadata: Params | None = None, transfer_group: str | None = None,
        description: str | None = None,
    ) -> Transfer:
        """Move `amount` cents to a connected account; the key is required on purpose."""
        params = {"amount": amount, "currency": currency, "destination": destination,
                  "metadata": metadata, "transfer_group": transfer_group,
                  "description": description}
        return cast(Transfer, await self.request(
            "POST", "/v1/transfers", params, idempotency_key=idempotency_key))

    async def retrieve_transfer(self, transfer: str) -> Transfer:
        return cast(Transfer, await self.request("GET", f"/v1/transfers/{_id(transfer)}"))

    def list_transfers(
        self, *, destination: str | None = None, transfer_group: str | None = None,
        page_size: int = 100,
    ) -> AsyncIterator[Transfer]:
        params = {"destination": destination, "transfer_group": transfer_group}
        return cast(AsyncIterator[Transfer],
                    self.paginate("/v1/transfers", params, page_size=page_size))

    async def create_payout(
        self, *, amount: int, stripe_account: str, currency: str = "eur",
        metadata: Params | None = None, idempotency_key: str | None = None,
    ) -> Payout:
        params = {"amount": amount, "currency": currency, "metadata": metadata}
        return cast(Payout, await self.request(
            "POST", "/v1/payouts", params, idempotency_key=idempotency_key,
            stripe_account=stripe_account))

    async def retrieve_balance(self, *, stripe_account: str | None = None) -> Balance:
        return cast(Balance, await self.request(
            "GET", "/v1/balance", stripe_account=stripe_account))

    # -- Invoicing the wellbeing area --------------------------------------------------

    async def create_customer(
        self, *, name: str | None = None, email: str | None = None,
        metadata: Params | None = None, idempotency_key: str | None = None,
    ) -> Customer:
        params = {"name": name, "email": email, "metadata": metadata}
        return cast(Customer, await self.request(
            "POST", "/v1/customers", params, idempotency_key=idempotency_key))

    async def create_invoice_item(
        self, *, customer: str, amount: int, currency: str = "eur",
        description: str | None = None, metadata: Params | None = None,
        invoice: str | None = None, idempotency_key: str | None = None,
    ) -> InvoiceItem:
        params = {"customer": customer, "amount": amount, "currency": currency,
                  "description": description, "metadata": metadata, "invoice": invoice}
        return cast(InvoiceItem, await self.request(
            "POST", "/v1/invoiceitems", params, idempotency_key=idempotency_key))

    async def create_invoice(
        self, *, customer: str, collection_method: str = "send_invoice",
        days_until_due: int | None = 14, auto_advance: bool = False,
        metadata: Params | None = None, pending_invoice_items_behavior: str = "include",
        idempotency_key: str | None = None,
    ) -> Invoice:
        """Draft invoice; by default it takes the customer's pending invoice items."""
        params = {
            "customer": customer, "collection_method": collection_method,
            "days_until_due": days_until_due if collection_method == "send_invoice" else None,
            "auto_advance": auto_advance, "metadata": metadata,
            "pending_invoice_items_behavior": pending_invoice_items_behavior,
        }
        return cast(Invoice, await self.request(
            "POST", "/v1/invoices", params, idempotency_key=idempotency_key))

    async def finalize_invoice(
        self, invoice: str, *, idempotency_key: str | None = None
    ) -> Invoice:
        return cast(Invoice, await self.request(
            "POST", f"/v1/invoices/{_id(invoice)}/finalize", idempotency_key=idempotency_key))

    async def retrieve_invoice(self, invoice: str) -> Invoice:
        return cast(Invoice, await self.request("GET", f"/v1/invoices/{_id(invoice)}"))

    # -- Events (reconciliation when a webhook was missed) -------------------------------

    def list_events(
        self, *, type: str | None = None,  # Stripe's parameter name
        stripe_account: str | None = None, page_size: int = 100,
    ) -> AsyncIterator[Event]:
        return cast(AsyncIterator[Event], self.paginate(
            "/v1/events", {"type": type}, page_size=page_size, stripe_account=stripe_account))
