"""The test server's in-memory Stripe: objects, balances, events, with Stripe's rules.

Operations take already-decoded form params and raise ApiFailure for anything Stripe
would refuse; HTTP concerns (auth, idempotency, faults) live in app.py.
"""

from __future__ import annotations

import copy
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from asta.payments.test_server import objects
from asta.payments.test_server.params import (
    ApiFailure,
    missing,
    no_such,
    p_bool,
    p_currency,
    p_int,
    p_metadata,
    p_str,
    req_int,
    req_str,
)

PLATFORM = ""  # balance/event scope of the platform itself; connected accounts use acct_...


@dataclass
class OnboardingLink:
    account: str
    return_url: str
    refresh_url: str
    expires_at: int
    used: bool = False


@dataclass
class Store:
    """All state of one server; `reset()` starts afresh (tests call it between cases)."""

    platform_balance: int = 100_000_000
    api_version: str | None = None
    clock: Callable[[], float] = time.time
    on_event: Callable[[dict[str, Any], str], None] | None = None
    objects: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    order: dict[str, int] = field(default_factory=dict)
    available: dict[str, dict[str, int]] = field(default_factory=dict)
    scope_of: dict[str, str] = field(default_factory=dict)  # payout/event id -> scope
    links: dict[str, OnboardingLink] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.objects = defaultdict(dict)
        self.order = {}
        self.available = defaultdict(lambda: defaultdict(int))
        self.available[PLATFORM]["eur"] = self.platform_balance
        self.scope_of = {}
        self.links = {}

    def now(self) -> int:
        return int(self.clock())

    # -- bookkeeping ------------------------------------------------------------------

    def _add(self, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
        self.objects[kind][obj["id"]] = obj
        self.order[obj["id"]] = len(self.order)
        return obj

    def get(self, kind: str, id: str, label: str | None = None) -> dict[str, Any]:
        try:
            return self.objects[kind][id]
        except KeyError:
            raise no_such(label or kind.rstrip("s"), id) from None

    def listing(self, kind: str, predicate: Callable[[dict[str, Any]], bool]
                ) -> list[dict[str, Any]]:
        """Newest first, as Stripe lists; ties in `created` broken by creation order."""
        found = [o for o in self.objects[kind].values() if predicate(o)]
        return sorted(found, key=lambda o: (o.get("created", 0), self.order[o["id"]]),
                      reverse=True)

    def record_event(self, type: str, obj: dict[str, Any], *, scope: str = PLATFORM,
                     request_id: str | None = None, idempotency_key: str | None = None) -> None:
        evt = objects.event(id=objects.new_id("evt"), created=self.now(), type=type,
                            obj=copy.deepcopy(obj), api_version=self.api_version,
                            request_id=request_id, idempotency_key=idempotency_key)
        self._add("events", evt)
        self.scope_of[evt["id"]] = scope
        if self.on_event is not None:
            self.on_event(evt, scope)

    def connected(self, account_id: str) -> dict[str, Any]:
        account = self.objects["accounts"].get(account_id)
        if account is None:
            raise ApiFailure(
                403, f"The provided key does not have access to account '{account_id}' "
                "(or that account does not exist).", code="account_invalid")
        return account

    # -- accounts -----------------------------------------------------------------------

    def create_account(self, params: dict[str, Any]) -> dict[str, Any]:
        req_str(params, "type", choices=("express", "standard", "custom"))
        country = (p_str(params, "country") or "FI").upper()
        capabilities = params.get("capabilities") or {}
        if not isinstance(capabilities, dict):
            raise ApiFailure(400, "Invalid capabilities", param="capabilities")
        requested = [name for name, cap in capabilities.items()
                     if isinstance(cap, dict) and cap.get("requested") == "true"]
        return self._add("accounts", objects.account(
            id=objects.new_id("acct", 16), created=self.now(), country=country,
            email=p_str(params, "email"), requested=requested, metadata=p_metadata(params)))

    def complete_onboarding(self, account_id: str) -> dict[str, Any]:
        account = self.get("accounts", account_id, "account")
        objects.complete_onboarding(account, self.now())
        self.record_event("account.updated", account, scope=account_id)
        return account

    def create_account_link(self, params: dict[str, Any], server_url: str) -> dict[str, Any]:
        account = req_str(params, "account")
        if account not in self.objects["accounts"]:
            raise no_such("account", account, "account", status=400)
        refresh_url = req_str(params, "refresh_url")
        return_url = req_str(params, "return_url")
        req_str(params, "type", choices=("account_onboarding", "account_update"))
        created = self.now()
        token = objects.new_id("link")
        self.links[token] = OnboardingLink(account, return_url, refresh_url, created + 300)
        return objects.account_link(created=created, expires_at=created + 300,
                                    url=f"{server_url}/hosted/onboarding/{token}")

    def follow_link(self, token: str) -> str:
        """The hosted onboarding page: completes onboarding, answers where to redirect."""
        link = self.links.get(token)
        if link is None:
            raise no_such("account link", token)
        if link.used or self.now() > link.expires_at:
            return link.refresh_url  # Stripe's single-use links: ask the app for a new one
        link.used = True
        self.complete_onboarding(link.account)
        return link.return_url

    # -- money movement -----------------------------------------------------------------

    def create_transfer(self, params: dict[str, Any], **event_meta: Any) -> dict[str, Any]:
        amount = req_int(params, "amount", minimum=1)
        currency = p_currency(params)
        destination = req_str(params, "destination")
        account = self.objects["accounts"].get(destination)
        if account is None:
            raise no_such("destination", destination, "destination", status=400)
        if account["capabilities"].get("transfers") != "active":
            raise ApiFailure(400, "Your destination account needs to have at least one of the "
                             "following capabilities enabled: transfers, crypto_transfers, "
                             "legacy_payments", code="insufficient_capabilities_for_transfer",
                             param="destination")
        self._debit(PLATFORM, currency, amount)
        self.available[destination][currency] += amount
        obj = self._add("transfers", objects.transfer(
            id=objects.new_id("tr"), created=self.now(), amount=amount, currency=currency,
            destination=destination, description=p_str(params, "description"),
            metadata=p_metadata(params), transfer_group=p_str(params, "transfer_group")))
        self.record_event("transfer.created", obj, **event_meta)
        return obj

    def _debit(self, scope: str, currency: str, amount: int) -> None:
        if self.available[scope][currency] < amount:
            raise ApiFailure(400, "You have insufficient available funds in your Stripe "
                             "account.", code="balance_insufficient", param="amount")
        self.available[scope][currency] -= amount

    def create_payout(self, params: dict[str, Any], scope: str, *, automatic: bool = False,
                      **event_meta: Any) -> dict[str, Any]:
        amount = req_int(params, "amount", minimum=1)
        currency = p_currency(params)
        destination = objects.new_id("ba")
        if scope != PLATFORM:
            banks = self.connected(scope)["external_accounts"]["data"]
            if not banks:
                raise ApiFailure(400, "Stripe doesn't currently support payouts to this "
                                 "account: no external account", code="no_external_account")
            destination = banks[0]["id"]
        self._debit(scope, currency, amount)
        obj = self._add("payouts", objects.payout(
            id=objects.new_id("po"), created=self.now(), amount=amount, currency=currency,
            destination=destination, description=p_str(params, "description"),
            metadata=p_metadata(params), automatic=automatic))
        self.scope_of[obj["id"]] = scope
        self.record_event("payout.created", obj, scope=scope, **event_meta)
        return obj

    def settle_payout(self, payout_id: str, status: str) -> dict[str, Any]:
        """Test control: the bank paid (or bounced) a pending payout."""
        payout = self.get("payouts", payout_id)
        if payout["status"] != "pending":
            raise ApiFailure(400, f"Payout is already {payout['status']}")
        scope = self.scope_of[payout_id]
        if status == "paid":
            payout["status"] = "paid"
            payout["trace_id"] = {"status": "supported", "value": objects.new_id("trace", 12)}
        else:
            payout.update(status="failed", failure_code="account_closed",
                          failure_message="The bank account has been closed.")
            self.available[scope][payout["currency"]] += payout["amount"]
        self.record_event(f"payout.{payout['status']}", payout, scope=scope)
        return payout

    def balance(self, scope: str) -> dict[str, Any]:
        if scope != PLATFORM:
            self.connected(scope)
        return objects.balance(dict(self.available[scope]), {})

    # -- invoicing -------------------------------------------------------------------------

    def create_customer(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._add("customers", objects.customer(
            id=objects.new_id("cus", 14), created=self.now(), name=p_str(params, "name"),
            email=p_str(params, "email"), description=p_str(params, "description"),
            metadata=p_metadata(params)))

    def create_invoiceitem(self, params: dict[str, Any]) -> dict[str, Any]:
        customer = req_str(params, "customer")
        if customer not in self.objects["customers"]:
            raise no_such("customer", customer, "customer", status=400)
        amount = req_int(params, "amount")
        currency = p_currency(params)
        invoice_id = p_str(params, "invoice")
        invoice = None
        if invoice_id is not None:
            invoice = self.get("invoices", invoice_id, "invoice")
            if invoice["status"] != "draft" or invoice["customer"] != customer:
                raise ApiFailure(400, "Invoice items can only be added to a draft invoice of "
                                 "the same customer.", code="invoice_not_editable",
                                 param="invoice")
        item = self._add("invoiceitems", objects.invoiceitem(
            id=objects.new_id("ii"), created=self.now(), customer=customer, amount=amount,
            currency=currency, description=p_str(params, "description"),
            metadata=p_metadata(params), invoice=invoice_id))
        if invoice is not None:
            self._refresh_lines(invoice)
        return item

    def _refresh_lines(self, invoice: dict[str, Any]) -> None:
        items = [i for i in self.objects["invoiceitems"].values() if i["invoice"] == invoice["id"]]
        objects.set_invoice_lines(invoice, sorted(items, key=lambda i: self.order[i["id"]]))

    def create_invoice(self, params: dict[str, Any], **event_meta: Any) -> dict[str, Any]:
        customer_id = req_str(params, "customer")
        customer = self.objects["customers"].get(customer_id)
        if customer is None:
            raise no_such("customer", customer_id, "customer", status=400)
        method = p_str(params, "collection_method",
                       choices=("charge_automatically", "send_invoice")) or "charge_automatically"
        days = p_int(params, "days_until_due", minimum=0)
        due_date = p_int(params, "due_date")
        if method == "send_invoice":
            if days is None and due_date is None:
                raise missing("days_until_due")
        elif days is not None or due_date is not None:
            raise ApiFailure(400, "days_until_due/due_date need collection_method "
                             "send_invoice", param="days_until_due")
        created = self.now()
        behaviour = p_str(params, "pending_invoice_items_behavior",
                          choices=("include", "exclude")) or "exclude"
        invoice = self._add("invoices", objects.invoice(
            id=objects.new_id("in"), created=created, customer=customer,
            collection_method=method,
            due_date=due_date if due_date is not None else (
                created + days * 86400 if days is not None else None),
            auto_advance=p_bool(params, "auto_advance", default=False),
            description=p_str(params, "description"), metadata=p_metadata(params)))
        if behaviour == "include":
            for item in self.objects["invoiceitems"].values():
                if item["customer"] == customer_id and item["invoice"] is None:
                    item["invoice"] = invoice["id"]
            self._refresh_lines(invoice)
        self.record_event("invoice.created", invoice, **event_meta)
        return invoice

    def finalize_invoice(self, invoice_id: str, server_url: str,
                         **event_meta: Any) -> dict[str, Any]:
        invoice = self.get("invoices", invoice_id, "invoice")
        if invoice["status"] != "draft":
            raise ApiFailure(400, f"This invoice is already {invoice['status']}.",
                             code="invoice_not_editable")
        customer = self.objects["customers"][invoice["customer"]]
        now = self.now()
        invoice.update(
            status="open", effective_at=now, ending_balance=0, webhooks_delivered_at=now,
            number=f"{customer['invoice_prefix']}-{customer['next_invoice_sequence']:04d}",
            hosted_invoice_url=f"{server_url}/hosted/invoices/{invoice_id}",
            invoice_pdf=f"{server_url}/hosted/invoices/{invoice_id}/pdf")
        invoice["status_transitions"]["finalized_at"] = now
        customer["next_invoice_sequence"] += 1
        self.record_event("invoice.finalized", invoice, **event_meta)
        return invoice

    def pay_invoice(self, invoice_id: str) -> dict[str, Any]:
        """Test control: the wellbeing area paid the invoice out of band."""
        invoice = self.get("invoices", invoice_id, "invoice")
        if invoice["status"] != "open":
            raise ApiFailure(400, "Only open invoices can be paid.", code="invoice_not_open")
        invoice.update(status="paid", amount_paid=invoice["amount_due"], amount_remaining=0)
        invoice["status_transitions"]["paid_at"] = self.now()
        self.record_event("invoice.paid", invoice)
        return invoice
