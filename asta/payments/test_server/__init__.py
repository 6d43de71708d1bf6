"""A stateful, Stripe-compatible local server for tests (stripe-mock is not available).

Start it with `python -m asta.payments.test_server` (prints the URL of the free port it
got; `--port` picks one), or in tests with `running_test_server()` (thread) or
`running_test_server_process()` (subprocess); both yield the base URL. `asta serve`
runs one per instance as the development and demo stand-in for Stripe; that one also pays
connected accounts' balances out to their banks a few seconds after each transfer
(`ServerConfig.automatic_payouts_after_s`: payout.created, then payout.paid), as Stripe's
automatic payout schedule does in a day or two.

Pages Stripe hosts for browsers (always served):
- GET  /hosted/onboarding/{token}       the URL an account link points at: onboards and
                                         redirects to return_url (refresh_url if reused)
- GET  /hosted/invoices/{id}[/pdf]       hosted_invoice_url and invoice_pdf

Test controls (plain JSON, no auth), wrapped by `TestServerControl`. They exist only when
asked for: `ServerConfig(test_controls=True)` or `--test-controls`; otherwise they are 404.
- POST /_test/reset                     forget everything (also faults, idempotency keys)
- POST /_test/faults                    {"path_prefix": "/v1/transfers", "mode": ...,
                                         "times": 1, "method": null, "delay_s": null,
                                         "retry_after": null}; modes in FAULT_MODES
- GET  /_test/state                     counts, transfers_by_destination, requests per
                                         "METHOD path", balances, in_flight, deliveries
- POST /_test/accounts/{id}/onboard     finish Express onboarding (account.updated)
- POST /_test/payouts/{id}/settle       {"status": "paid"|"failed"} (payout.paid/failed)
- POST /_test/invoices/{id}/pay         mark an open invoice paid (invoice.paid)
"""

from asta.payments.test_server.app import ServerConfig, StripeTestServer, create_app
from asta.payments.test_server.controls import FAULT_MODES, Fault
from asta.payments.test_server.runner import (
    TestServerControl,
    running_test_server,
    running_test_server_process,
)

__all__ = [
    "FAULT_MODES",
    "Fault",
    "ServerConfig",
    "StripeTestServer",
    "TestServerControl",
    "create_app",
    "running_test_server",
    "running_test_server_process",
]
