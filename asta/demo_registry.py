"""Every module that adds demo data, imported when the demo is seeded."""

import asta.demo_shifts  # noqa: F401
