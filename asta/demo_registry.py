"""Every module that adds demo data, imported when the demo is seeded."""

import asta.demo_shifts
import asta.metrics.demo_history
import asta.payments.demo_invoices  # noqa: F401 - after the history it bills
