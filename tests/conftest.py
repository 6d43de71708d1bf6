"""Settings every test process shares; database fixtures live in tests/integration."""

import os

os.environ.setdefault("ASTA_FAST_PASSWORD_HASHING", "1")
os.environ.setdefault("ASTA_SECRET_KEY", "asta-test-secret-key-0123456789abcdef")

import logging

logging.getLogger("httpx").setLevel(logging.WARNING)
