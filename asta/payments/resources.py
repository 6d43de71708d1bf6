"""The Stripe fields Asta reads, as TypedDicts.

Responses are returned whole (a plain dict at runtime); these types name only the
fields Asta relies on, so a field read elsewhere is a type error until it is listed
here. tests/unit/payments/test_resources.py checks that every field listed here
exists in Stripe's published example object (fixtures3.json) for the resource.
"""

from __future__ import annotations

from typing import Any, TypedDict


class AccountCapabilities(TypedDict, total=False):
    # Absent until requested; "inactive" | "pending" | "active" afterwards.
    transfers: str


class AccountRequirements(TypedDict):
    currently_due: list[str]
    disabled_reason: str | None


class Account(TypedDict):
    """A professional's Express account: transfers go here once onboarding is done."""

    id: str
    object: str
    email: str | None
    details_submitted: bool
    charges_enabled: bool
    payouts_enabled: bool
    capabilities: AccountCapabilities
    requirements: AccountRequirements
    metadata: dict[str, str]


class AccountLink(TypedDict):
    url: str
    expires_at: int


class Transfer(TypedDict):
    id: str
    amount: int
    currency: str
    destination: str
    transfer_group: str | None
    reversed: bool
    created: int
    metadata: dict[str, str]


class Payout(TypedDict):
    id: str
    amount: int
    currency: str
    status: str
    arrival_date: int
    failure_code: str | None
    metadata: dict[str, str]


class BalanceAmount(TypedDict):
    amount: int
    currency: str


class Balance(TypedDict):
    available: list[BalanceAmount]
    pending: list[BalanceAmount]


class Customer(TypedDict):
    id: str
    email: str | None
    metadata: dict[str, str]


class InvoiceItem(TypedDict):
    id: str
    amount: int
    currency: str
    customer: str
    invoice: str | None
    metadata: dict[str, str]


class Invoice(TypedDict):
    id: str
    customer: str
    status: str | None
    number: str | None
    amount_due: int
    amount_paid: int
    currency: str
    due_date: int | None
    hosted_invoice_url: str | None
    metadata: dict[str, str]


class EventData(TypedDict):
    object: dict[str, Any]


class Event(TypedDict):
    id: str
    type: str
    created: int
    data: EventData


# Which fixture in fixtures3.json each type describes (used by the field check).
FIXTURE_OF: dict[str, type] = {
    "account": Account,
    "account_link": AccountLink,
    "transfer": Transfer,
    "payout": Payout,
    "balance": Balance,
    "customer": Customer,
    "invoiceitem": InvoiceItem,
    "invoice": Invoice,
    "event": Event,
}
