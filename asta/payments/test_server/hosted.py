"""The pages Stripe hosts for a person's browser: Express onboarding and invoices.

Always served, unlike the `/_test` controls: the demo sends real browsers here. Each URL
carries an id only the account link or the invoice gave out.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from asta.payments.test_server.answers import Answer, failure_answer
from asta.payments.test_server.params import ApiFailure

if TYPE_CHECKING:
    from asta.payments.test_server.store import Store

PREFIX = "/hosted/"


def hosted_page(store: Store, method: str, path: str) -> Answer | None:
    """The page at `path`, or None when there is no such page."""
    try:
        if method == "GET" and (m := re.fullmatch(r"/hosted/onboarding/([^/]+)", path)):
            # Finishing onboarding sends the browser back to Asta.
            return Answer(303, b"", [("Location", store.follow_link(m[1]))])
        if method == "GET" and (m := re.fullmatch(r"/hosted/invoices/([^/]+)(/pdf)?", path)):
            invoice = store.get("invoices", m[1], "invoice")
            text = f"Invoice {invoice['number']}: {invoice['amount_due'] / 100:.2f} EUR"
            return Answer(200, text.encode(), content_type="text/plain; charset=utf-8")
    except ApiFailure as failure:
        return failure_answer(failure)
    return None
