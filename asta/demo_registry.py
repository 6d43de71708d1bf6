"""Every module that adds demo data, imported when the demo is seeded."""

import asta.demo_shifts
import asta.metrics.demo_history
import asta.payments.demo_invoices  # after the history it bills
import asta.scheduling.demo_forecast  # noqa: F401 - domains append their seeders to SEEDERS
