"""Payment services, split by concern and re-exported here."""

from asta.payments.services.accounts import my_payout_account, setup_payouts
from asta.payments.services.earnings import my_earnings
from asta.payments.services.events import receive_event
from asta.payments.services.invoices import (
    areas_to_bill,
    get_invoice,
    list_invoices,
    record_invoice,
)
from asta.payments.services.transfers import claim_due_transfers, queue_transfers, send_transfer

__all__ = [
    "areas_to_bill",
    "claim_due_transfers",
    "get_invoice",
    "list_invoices",
    "my_earnings",
    "my_payout_account",
    "queue_transfers",
    "receive_event",
    "record_invoice",
    "send_transfer",
    "setup_payouts",
]
