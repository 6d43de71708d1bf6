"""Every module that adds demo data, imported when the demo is seeded."""

import asta.demo_shifts
import asta.metrics.demo_history  # noqa: F401
