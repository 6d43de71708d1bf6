"""The `/v1` endpoints the test server answers, mapped onto Store operations."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from asta.payments.test_server import objects
from asta.payments.test_server.params import ApiFailure, no_such, p_int, p_str
from asta.payments.test_server.store import PLATFORM, Store


@dataclass(frozen=True)
class Ctx:
    params: dict[str, Any]
    account: str  # Stripe-Account header, PLATFORM when absent
    server_url: str
    request_id: str
    idempotency_key: str | None

    @property
    def event_meta(self) -> dict[str, Any]:
        return {"request_id": self.request_id, "idempotency_key": self.idempotency_key}


Handler = Callable[[Store, Ctx, str], dict[str, Any]]


def paginate(items: list[dict[str, Any]], ctx: Ctx, url: str) -> dict[str, Any]:
    """Stripe's cursor pagination over a newest-first list."""
    limit = p_int(ctx.params, "limit") or 10
    if not 1 <= limit <= 100:
        raise ApiFailure(400, "Invalid limit: must be between 1 and 100", param="limit")
    ids = [item["id"] for item in items]
    after = p_str(ctx.params, "starting_after")
    before = p_str(ctx.params, "ending_before")
    if after is not None:
        if after not in ids:
            raise no_such("object", after, "starting_after", status=400)
        rest = items[ids.index(after) + 1 :]
        return objects.list_object(url, rest[:limit], has_more=len(rest) > limit)
    if before is not None:
        if before not in ids:
            raise no_such("object", before, "ending_before", status=400)
        head = items[: ids.index(before)]
        return objects.list_object(url, head[-limit:], has_more=len(head) > limit)
    return objects.list_object(url, items[:limit], has_more=len(items) > limit)


def _filter(ctx: Ctx, *names: str) -> Callable[[dict[str, Any]], bool]:
    wanted = {name: value for name in names if (value := p_str(ctx.params, name)) is not None}
    return lambda obj: all(obj.get(name) == value for name, value in wanted.items())


def _scoped(store: Store, ctx: Ctx, kind: str, id: str) -> dict[str, Any]:
    """Payouts and events live on one account; another account cannot see them."""
    obj = store.get(kind, id)
    if store.scope_of.get(id, PLATFORM) != ctx.account:
        raise no_such(kind.rstrip("s"), id)
    return obj


def _list_accounts(store: Store, ctx: Ctx, _: str) -> dict[str, Any]:
    return paginate(store.listing("accounts", lambda _: True), ctx, "/v1/accounts")


def _list_transfers(store: Store, ctx: Ctx, _: str) -> dict[str, Any]:
    items = store.listing("transfers", _filter(ctx, "destination", "transfer_group"))
    return paginate(items, ctx, "/v1/transfers")


def _list_payouts(store: Store, ctx: Ctx, _: str) -> dict[str, Any]:
    match = _filter(ctx, "status")
    items = store.listing(
        "payouts", lambda p: store.scope_of[p["id"]] == ctx.account and match(p))
    return paginate(items, ctx, "/v1/payouts")


def _list_invoiceitems(store: Store, ctx: Ctx, _: str) -> dict[str, Any]:
    match = _filter(ctx, "customer", "invoice")
    pending = p_str(ctx.params, "pending")
    items = store.listing("invoiceitems", lambda i: match(i) and (
        pending is None or (i["invoice"] is None) == (pending == "true")))
    return paginate(items, ctx, "/v1/invoiceitems")


def _list_invoices(store: Store, ctx: Ctx, _: str) -> dict[str, Any]:
    return paginate(store.listing("invoices", _filter(ctx, "customer", "status")), ctx,
                    "/v1/invoices")


def _list_events(store: Store, ctx: Ctx, _: str) -> dict[str, Any]:
    match = _filter(ctx, "type")
    items = store.listing(
        "events", lambda e: store.scope_of[e["id"]] == ctx.account and match(e))
    return paginate(items, ctx, "/v1/events")


_ROUTES: list[tuple[str, re.Pattern[str], Handler]] = [
    (method, re.compile(f"^{pattern}$"), handler) for method, pattern, handler in [
        ("POST", "/v1/accounts", lambda s, c, _: s.create_account(c.params)),
        ("GET", "/v1/accounts", _list_accounts),
        ("GET", "/v1/accounts/(?P<id>[^/]+)", lambda s, c, i: s.get("accounts", i, "account")),
        ("POST", "/v1/account_links",
         lambda s, c, _: s.create_account_link(c.params, c.server_url)),
        ("POST", "/v1/transfers",
         lambda s, c, _: s.create_transfer(c.params, **c.event_meta)),
        ("GET", "/v1/transfers", _list_transfers),
        ("GET", "/v1/transfers/(?P<id>[^/]+)", lambda s, c, i: s.get("transfers", i)),
        ("POST", "/v1/payouts",
         lambda s, c, _: s.create_payout(c.params, c.account, **c.event_meta)),
        ("GET", "/v1/payouts", _list_payouts),
        ("GET", "/v1/payouts/(?P<id>[^/]+)", lambda s, c, i: _scoped(s, c, "payouts", i)),
        ("GET", "/v1/balance", lambda s, c, _: s.balance(c.account)),
        ("POST", "/v1/customers", lambda s, c, _: s.create_customer(c.params)),
        ("GET", "/v1/customers/(?P<id>[^/]+)", lambda s, c, i: s.get("customers", i)),
        ("POST", "/v1/invoiceitems", lambda s, c, _: s.create_invoiceitem(c.params)),
        ("GET", "/v1/invoiceitems", _list_invoiceitems),
        ("GET", "/v1/invoiceitems/(?P<id>[^/]+)",
         lambda s, c, i: s.get("invoiceitems", i, "invoiceitem")),
        ("POST", "/v1/invoices", lambda s, c, _: s.create_invoice(c.params, **c.event_meta)),
        ("GET", "/v1/invoices", _list_invoices),
        ("GET", "/v1/invoices/(?P<id>[^/]+)", lambda s, c, i: s.get("invoices", i, "invoice")),
        ("POST", "/v1/invoices/(?P<id>[^/]+)/finalize",
         lambda s, c, i: s.finalize_invoice(i, c.server_url, **c.event_meta)),
        ("GET", "/v1/events", _list_events),
        ("GET", "/v1/events/(?P<id>[^/]+)", lambda s, c, i: _scoped(s, c, "events", i)),
    ]
]


def route(store: Store, method: str, path: str, ctx: Ctx) -> dict[str, Any]:
    path_known = False
    for route_method, pattern, handler in _ROUTES:
        match = pattern.match(path)
        if match is None:
            continue
        path_known = True
        if route_method == method:
            return handler(store, ctx, match.groupdict().get("id", ""))
    if path_known:
        raise ApiFailure(405, f"Method {method} not allowed for {path}")
    raise ApiFailure(404, f"Unrecognized request URL ({method}: {path}).",
                     code="resource_missing")
