"""Builders for Stripe-shaped objects, key for key after Stripe's fixtures3.json.

tests/unit/payments/test_server_shapes.py compares what these build with the
published fixtures, so a key added or dropped here fails a test.
"""

from __future__ import annotations

import secrets
import string
from typing import Any

_ALNUM = string.ascii_letters + string.digits

ADDRESS_NULL = {"city": None, "country": None, "line1": None, "line2": None,
                "postal_code": None, "state": None}


def new_id(prefix: str, length: int = 24) -> str:
    return f"{prefix}_" + "".join(secrets.choice(_ALNUM) for _ in range(length))


def list_object(url: str, data: list[dict[str, Any]], has_more: bool = False) -> dict[str, Any]:
    return {"object": "list", "data": data, "has_more": has_more, "url": url}


def _requirements(currently_due: list[str], disabled_reason: str | None) -> dict[str, Any]:
    return {"alternatives": [], "current_deadline": None, "currently_due": list(currently_due),
            "disabled_reason": disabled_reason, "errors": [],
            "eventually_due": list(currently_due), "past_due": list(currently_due),
            "pending_verification": []}


# What Stripe asks of a new Express account holder before transfers can start.
ONBOARDING_DUE = ["business_type", "external_account", "tos_acceptance.date",
                  "tos_acceptance.ip"]


def account(*, id: str, created: int, country: str, email: str | None,
            requested: list[str], metadata: dict[str, str]) -> dict[str, Any]:
    return {
        "business_profile": {
            "annual_revenue": {"amount": None, "currency": None, "fiscal_year_end": None},
            "estimated_worker_count": None, "mcc": None, "name": None,
            "product_description": None, "support_address": dict(ADDRESS_NULL),
            "support_email": None, "support_phone": None, "support_url": None, "url": None,
            "minority_owned_business_designation": None,
        },
        "business_type": None,
        "capabilities": dict.fromkeys(requested, "inactive"),
        "charges_enabled": False,
        "controller": {"type": "application"},
        "country": country,
        "created": created,
        "default_currency": "eur",
        "details_submitted": False,
        "email": email,
        "external_accounts": list_object(f"/v1/accounts/{id}/external_accounts", []),
        "future_requirements": _requirements([], None),
        "id": id,
        "metadata": metadata,
        "object": "account",
        "payouts_enabled": False,
        "requirements": _requirements(ONBOARDING_DUE, "requirements.past_due"),
        "settings": {
            "bacs_debit_payments": {"display_name": None, "service_user_number": None},
            "branding": {"icon": None, "logo": None, "primary_color": None,
                         "secondary_color": None},
            "card_issuing": {"tos_acceptance": {"date": None, "ip": None}},
            "card_payments": {"decline_on": {"avs_failure": False, "cvc_failure": False},
                              "statement_descriptor_prefix": None,
                              "statement_descriptor_prefix_kana": None,
                              "statement_descriptor_prefix_kanji": None},
            "dashboard": {"display_name": None, "timezone": "Europe/Helsinki"},
            "invoices": {"default_account_tax_ids": None, "hosted_payment_method_save": None},
            "payments": {"statement_descriptor": None, "statement_descriptor_kana": None,
                         "statement_descriptor_kanji": None,
                         "statement_descriptor_prefix_kana": None,
                         "statement_descriptor_prefix_kanji": None},
            "payouts": {"debit_negative_balances": True,
                        "schedule": {"delay_days": 7, "interval": "daily"},
                        "statement_descriptor": None},
            "sepa_debit_payments": {},
        },
        "tos_acceptance": {"date": None, "ip": None, "user_agent": None},
        "type": "express",
    }


def complete_onboarding(acct: dict[str, Any], now: int) -> None:
    """What Stripe's hosted onboarding leaves behind when the professional finishes."""
    acct["details_submitted"] = True
    acct["charges_enabled"] = True
    acct["payouts_enabled"] = True
    acct["business_type"] = "individual"
    acct["capabilities"] = dict.fromkeys(acct["capabilities"], "active")
    acct["requirements"] = _requirements([], None)
    acct["tos_acceptance"] = {"date": now, "ip": "127.0.0.1", "user_agent": "asta-test"}
    bank = {"id": new_id("ba"), "object": "bank_account"}
    acct["external_accounts"]["data"] = [bank]


def account_link(*, created: int, expires_at: int, url: str) -> dict[str, Any]:
    return {"created": created, "expires_at": expires_at, "object": "account_link", "url": url}


def transfer(*, id: str, created: int, amount: int, currency: str, destination: str,
             description: str | None, metadata: dict[str, str],
             transfer_group: str | None) -> dict[str, Any]:
    return {
        "amount": amount, "amount_reversed": 0, "balance_transaction": new_id("txn"),
        "created": created, "currency": currency, "description": description,
        "destination": destination, "destination_payment": new_id("py", 14), "id": id,
        "livemode": False, "metadata": metadata, "object": "transfer",
        "reversals": list_object(f"/v1/transfers/{id}/reversals", []),
        "reversed": False, "source_transaction": None, "source_type": "card",
        "transfer_group": transfer_group,
    }


def payout(*, id: str, created: int, amount: int, currency: str, destination: str,
           description: str | None, metadata: dict[str, str],
           automatic: bool = False) -> dict[str, Any]:
    return {
        "amount": amount, "application_fee": None, "application_fee_amount": None,
        "arrival_date": created + 2 * 86400, "automatic": automatic,
        "balance_transaction": new_id("txn"), "created": created, "currency": currency,
        "description": description, "destination": destination,
        "failure_balance_transaction": None, "failure_code": None, "failure_message": None,
        "id": id, "livemode": False, "metadata": metadata, "method": "standard",
        "object": "payout", "original_payout": None,
        "reconciliation_status": "not_applicable", "reversed_by": None, "source_type": "card",
        "statement_descriptor": None, "status": "pending", "type": "bank_account",
        "trace_id": {"status": "pending", "value": None}, "payout_method": None,
    }


def balance(available: dict[str, int], pending: dict[str, int]) -> dict[str, Any]:
    currencies = sorted(set(available) | set(pending)) or ["eur"]
    return {
        "available": [{"amount": available.get(c, 0), "currency": c,
                       "source_types": {"card": available.get(c, 0)}} for c in currencies],
        "connect_reserved": [{"amount": 0, "currency": c} for c in currencies],
        "livemode": False,
        "object": "balance",
        "pending": [{"amount": pending.get(c, 0), "currency": c,
                     "source_types": {"card": pending.get(c, 0)}} for c in currencies],
    }


def customer(*, id: str, created: int, name: str | None, email: str | None,
             description: str | None, metadata: dict[str, str]) -> dict[str, Any]:
    return {
        "address": dict(ADDRESS_NULL), "balance": 0, "created": created,
        "currency": None, "default_source": None, "delinquent": False,
        "description": description, "discount": None, "email": email, "id": id,
        "invoice_prefix": secrets.token_hex(4).upper(),
        "invoice_settings": {"custom_fields": None, "default_payment_method": None,
                             "footer": None,
                             "rendering_options": {"amount_tax_display": None,
                                                   "template": None}},
        "livemode": False, "metadata": metadata, "name": name, "next_invoice_sequence": 1,
        "object": "customer", "phone": None, "preferred_locales": [], "shipping": None,
        "tax_exempt": "none", "test_clock": None,
    }


def invoiceitem(*, id: str, created: int, customer: str, amount: int, currency: str,
                description: str | None, metadata: dict[str, str],
                invoice: str | None) -> dict[str, Any]:
    return {
        "amount": amount, "currency": currency, "customer": customer, "date": created,
        "description": description, "discountable": True, "discounts": [], "id": id,
        "invoice": invoice, "livemode": False, "metadata": metadata,
        "object": "invoiceitem", "period": {"end": created, "start": created},
        "proration": False, "quantity": 1, "tax_rates": [], "test_clock": None,
        "parent": None,
        "pricing": {"type": "price_details", "unit_amount_decimal": str(amount)},
        "net_amount": amount, "customer_account": None, "quantity_decimal": "1",
    }


def line_item(item: dict[str, Any], invoice_id: str) -> dict[str, Any]:
    """An invoice line for a one-off invoice item."""
    return {
        "amount": item["amount"], "currency": item["currency"],
        "description": item["description"], "discount_amounts": [], "discountable": True,
        "discounts": [], "id": "il_" + item["id"].removeprefix("ii_"), "invoice": invoice_id,
        "livemode": False, "metadata": item["metadata"], "object": "line_item",
        "period": dict(item["period"]), "quantity": 1, "subscription": None,
        "pretax_credit_amounts": [], "taxes": [],
        "parent": {
            "invoice_item_details": {"invoice_item": item["id"], "proration": False,
                                     "proration_details": {"credited_items": None},
                                     "subscription": None},
            "subscription_item_details": None,
            "type": "invoice_item_details",
        },
        "pricing": dict(item["pricing"]), "subtotal": item["amount"], "quantity_decimal": "1",
    }


def invoice(*, id: str, created: int, customer: dict[str, Any], collection_method: str,
            due_date: int | None, auto_advance: bool, description: str | None,
            metadata: dict[str, str]) -> dict[str, Any]:
    return {
        "account_country": "FI", "account_name": "Asta test platform",
        "account_tax_ids": None, "amount_due": 0, "amount_paid": 0, "amount_remaining": 0,
        "amount_shipping": 0, "application": None, "attempt_count": 0, "attempted": False,
        "auto_advance": auto_advance,
        "automatic_tax": {"enabled": False, "liability": None, "status": None,
                          "disabled_reason": None, "provider": None},
        "billing_reason": "manual", "collection_method": collection_method,
        "created": created, "currency": "eur", "custom_fields": None,
        "customer": customer["id"], "customer_address": None,
        "customer_email": customer["email"], "customer_name": customer["name"],
        "customer_phone": None, "customer_shipping": None, "customer_tax_exempt": "none",
        "customer_tax_ids": [], "default_payment_method": None, "default_source": None,
        "default_tax_rates": [], "description": description, "discounts": [],
        "due_date": due_date, "effective_at": None, "ending_balance": None, "footer": None,
        "from_invoice": None, "hosted_invoice_url": None, "id": id, "invoice_pdf": None,
        "issuer": {"type": "self"}, "last_finalization_error": None,
        "latest_revision": None, "lines": list_object(f"/v1/invoices/{id}/lines", []),
        "livemode": False, "metadata": metadata, "next_payment_attempt": None,
        "number": None, "object": "invoice", "on_behalf_of": None,
        "payment_settings": {"default_mandate": None, "payment_method_options": None,
                             "payment_method_types": None},
        "period_end": created, "period_start": created,
        "post_payment_credit_notes_amount": 0, "pre_payment_credit_notes_amount": 0,
        "receipt_number": None,
        "rendering": {"amount_tax_display": None, "pdf": {"page_size": "auto"},
                      "template": None, "template_version": None},
        "shipping_cost": None, "shipping_details": None, "starting_balance": 0,
        "statement_descriptor": None, "status": "draft",
        "status_transitions": {"finalized_at": None, "marked_uncollectible_at": None,
                               "paid_at": None, "voided_at": None},
        "subscription": None, "subtotal": 0, "subtotal_excluding_tax": 0,
        "test_clock": None, "total": 0, "total_discount_amounts": [],
        "total_excluding_tax": 0, "webhooks_delivered_at": None,
        "automatically_finalizes_at": None, "total_pretax_credit_amounts": [],
        "total_taxes": [], "amount_overpaid": 0, "parent": None, "customer_account": None,
    }


def set_invoice_lines(inv: dict[str, Any], items: list[dict[str, Any]]) -> None:
    lines = [line_item(item, inv["id"]) for item in items]
    total = sum(line["amount"] for line in lines)
    inv["lines"]["data"] = lines
    for key in ("amount_due", "amount_remaining", "subtotal", "subtotal_excluding_tax",
                "total", "total_excluding_tax"):
        inv[key] = total


def event(*, id: str, created: int, type: str, obj: dict[str, Any], api_version: str | None,
          request_id: str | None, idempotency_key: str | None) -> dict[str, Any]:
    return {
        "api_version": api_version, "created": created, "data": {"object": obj}, "id": id,
        "livemode": False, "object": "event", "pending_webhooks": 0,
        "request": {"id": request_id, "idempotency_key": idempotency_key}, "type": type,
    }
