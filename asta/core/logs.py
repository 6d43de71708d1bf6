"""How much Asta logs: ASTA_LOG_LEVEL (default info); job-broker chatter only at debug."""

from __future__ import annotations

from litestar.logging.config import LoggingConfig

# Dramatiq logs every message it consumes and every purge at info, and aiosmtpd (the mail
# catcher) every SMTP command, httpx and the stripe package every Stripe request and Alembic
# each migration it applies: a busy demo printed hundreds of such lines a minute, hiding what an
# operator needs to see.
CHATTY = ("dramatiq", "dramatiq_pg", "mail.log", "httpx", "stripe", "alembic")


def logging_config(level: str) -> LoggingConfig:
    """One configuration for the app and the worker process (Litestar applies it)."""
    name = level.upper()
    chatter = name if name in ("DEBUG", "ERROR") else "WARNING"
    handlers = ["queue_listener"]
    return LoggingConfig(
        root={"handlers": handlers, "level": name},
        loggers={"litestar": {"level": name, "handlers": handlers, "propagate": False},
                 **{logger: {"level": chatter} for logger in CHATTY}})


def configure_logging(level: str) -> None:
    logging_config(level).configure()
