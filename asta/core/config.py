"""Typed settings read once from the environment."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DEFAULT_SECRET_KEY = "asta-development-secret-change-me"  # noqa: S105 - refused in production
DEFAULT_WEBHOOK_SECRET = "whsec_asta_development"  # noqa: S105 - refused in production
DEFAULT_STRIPE_API_KEY = "sk_test_asta"  # the stand-in's key; refused in production


class ConfigurationError(RuntimeError):
    """The environment asks for something Asta refuses to run with."""


@dataclass(frozen=True)
class Settings:
    environment: str = "development"
    database_url: str | None = None
    broker_url: str | None = None
    data_dir: Path = field(default_factory=lambda: Path(".asta-data").resolve())
    secret_key: str = DEFAULT_SECRET_KEY
    access_token_minutes: int = 60
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    # No SMTP configured outside production: `asta serve` catches its own e-mail (/dev/mail).
    mail_catcher: bool = False
    mail_from: str = "Asta <no-reply@asta.example>"
    # Where e-mailed links point. Unless ASTA_PUBLIC_BASE_URL says otherwise, the server's
    # own address once it knows its port (see links_to_server).
    public_base_url: str = "http://127.0.0.1:8000"
    public_base_url_given: bool = False
    stripe_api_base: str = "http://127.0.0.1:12111"
    # No Stripe configured outside production: run Asta's Stripe-compatible stand-in there.
    stripe_stand_in: bool = False
    stripe_api_key: str = DEFAULT_STRIPE_API_KEY
    stripe_webhook_secret: str = DEFAULT_WEBHOOK_SECRET
    # Cheap argon2 parameters make test suites fast; production keeps the library defaults.
    fast_password_hashing: bool = False
    # How long a claimed outbox item waits for its worker before another may send it: longer
    # than any delivery job runs (4 min). Tests that kill workers shorten it.
    outbox_lease_s: int = 600
    log_level: str = "info"  # ASTA_LOG_LEVEL: debug, info, warning or error
    # Web Push: the VAPID private key (base64url, from `asta vapid-keys`) and the contact the
    # push services see. No key: no push (outside production `asta serve` makes one).
    vapid_private_key: str | None = None
    vapid_subject: str = "mailto:no-reply@asta.example"
    # The demo's own names shown in the viewer's language (asta.web.demo_texts); `asta demo`
    # turns it on.
    demo_texts: bool = False
    # ASTA_DB_CONNECTIONS: this machine's share of PostgreSQL's connections, when several
    # machines' API processes share one database; else its max_connections.
    db_connections: int | None = None

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def caught_mail_dir(self) -> Path:
        """Where the development mail catcher keeps what it received."""
        return self.data_dir / "mail"

    @property
    def embedded_database(self) -> bool:
        return self.database_url is None

    def check(self) -> None:
        if self.is_production and self.secret_key == DEFAULT_SECRET_KEY:
            raise ConfigurationError(
                "ASTA_SECRET_KEY must be set to a private value when ASTA_ENV=production"
            )
        if self.is_production and self.stripe_stand_in:
            raise ConfigurationError("ASTA_STRIPE_API_BASE must be set when ASTA_ENV=production")
        if self.is_production and len(self.secret_key) < 32:
            raise ConfigurationError("ASTA_SECRET_KEY must be at least 32 characters in production")
        if self.is_production:
            self._check_stripe()
        if self.vapid_private_key is not None:
            self._check_vapid()

    def _check_vapid(self) -> None:
        # A key that is not one would fail every push, quietly, long after start-up.
        key = self.vapid_private_key or ""
        try:
            raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
        except ValueError:
            raw = b""
        if len(raw) != 32:
            raise ConfigurationError("ASTA_VAPID_PRIVATE_KEY must be a key from `asta vapid-keys` "
                                     "(32 bytes, base64url)")
        if not self.vapid_subject.startswith(("mailto:", "https://")):
            raise ConfigurationError("ASTA_VAPID_SUBJECT must start with mailto: or https://")

    def _check_stripe(self) -> None:
        # Anyone who knows a default webhook secret could forge payout events.
        secret = self.stripe_webhook_secret
        if secret == DEFAULT_WEBHOOK_SECRET or len(secret) < 32:
            raise ConfigurationError("ASTA_STRIPE_WEBHOOK_SECRET must be set to the endpoint's "
                                     "own secret (at least 32 characters) in production")
        key = self.stripe_api_key
        if key == DEFAULT_STRIPE_API_KEY or not key.startswith(("sk_", "rk_")):
            raise ConfigurationError("ASTA_STRIPE_API_KEY must be set to a Stripe key (sk_... or "
                                     "rk_...) in production")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a whole number, got {raw!r}") from exc


def _log_level(raw: str) -> str:
    level = raw.strip().lower() or "info"
    if level not in ("debug", "info", "warning", "error"):
        raise ConfigurationError(f"ASTA_LOG_LEVEL must be debug, info, warning or error, got {raw!r}")
    return level


def settings_from_env() -> Settings:
    env = os.environ
    return Settings(
        environment=env.get("ASTA_ENV", "development"),
        database_url=env.get("ASTA_DATABASE_URL") or None,
        broker_url=env.get("ASTA_BROKER_URL") or None,
        data_dir=Path(env.get("ASTA_DATA_DIR", ".asta-data")).resolve(),
        secret_key=env.get("ASTA_SECRET_KEY", DEFAULT_SECRET_KEY),
        access_token_minutes=_env_int("ASTA_ACCESS_TOKEN_MINUTES", 60),
        smtp_host=env.get("ASTA_SMTP_HOST", "127.0.0.1"),
        smtp_port=_env_int("ASTA_SMTP_PORT", 8025),
        # Either SMTP setting names a mail server to use (tests give only a port).
        mail_catcher=(not env.get("ASTA_SMTP_HOST") and not env.get("ASTA_SMTP_PORT")
                      and env.get("ASTA_ENV", "development") != "production"),
        mail_from=env.get("ASTA_MAIL_FROM", "Asta <no-reply@asta.example>"),
        public_base_url=env.get("ASTA_PUBLIC_BASE_URL") or "http://127.0.0.1:8000",
        public_base_url_given=bool(env.get("ASTA_PUBLIC_BASE_URL")),
        stripe_api_base=env.get("ASTA_STRIPE_API_BASE", "http://127.0.0.1:12111"),
        stripe_stand_in=(not env.get("ASTA_STRIPE_API_BASE")
                         and env.get("ASTA_ENV", "development") != "production"),
        stripe_api_key=env.get("ASTA_STRIPE_API_KEY", DEFAULT_STRIPE_API_KEY),
        stripe_webhook_secret=env.get("ASTA_STRIPE_WEBHOOK_SECRET", DEFAULT_WEBHOOK_SECRET),
        fast_password_hashing=env.get("ASTA_FAST_PASSWORD_HASHING", "") == "1",
        outbox_lease_s=_env_int("ASTA_OUTBOX_LEASE_S", 600),
        log_level=_log_level(env.get("ASTA_LOG_LEVEL", "info")),
        vapid_private_key=env.get("ASTA_VAPID_PRIVATE_KEY") or None,
        vapid_subject=env.get("ASTA_VAPID_SUBJECT") or "mailto:no-reply@asta.example",
        demo_texts=env.get("ASTA_DEMO_TEXTS", "") == "1",
        db_connections=_env_int("ASTA_DB_CONNECTIONS", 0) or None,
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return settings_from_env()


def use_stripe_api_base(url: str) -> None:
    """Point this process at a Stripe whose address is known only at startup (the
    stand-in's free port). In place, so code already holding the settings sees it too."""
    object.__setattr__(get_settings(), "stripe_api_base", url)


def own_address(host: str, port: int) -> str:
    """The URL this machine reaches a server listening on host:port at."""
    shown = "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host  # noqa: S104
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}"


def links_to_server(host: str, port: int) -> None:
    """With no ASTA_PUBLIC_BASE_URL, e-mailed links point at this server's own port."""
    settings = get_settings()
    if not settings.public_base_url_given:
        object.__setattr__(settings, "public_base_url", own_address(host, port))


def use_smtp_port(port: int) -> None:
    """Send e-mail to the mail catcher, whose loopback port is known only at startup."""
    settings = get_settings()
    object.__setattr__(settings, "smtp_host", "127.0.0.1")
    object.__setattr__(settings, "smtp_port", port)


def use_vapid_private_key(key: str) -> None:
    """Push with a key known only at startup (the development key kept in the data dir)."""
    object.__setattr__(get_settings(), "vapid_private_key", key)
