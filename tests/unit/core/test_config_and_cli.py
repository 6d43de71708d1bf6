from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from asta.cli import build_parser
from asta.core.config import (
    DEFAULT_SECRET_KEY,
    DEFAULT_STRIPE_API_KEY,
    DEFAULT_WEBHOOK_SECRET,
    ConfigurationError,
    settings_from_env,
)

ROOT = Path(__file__).resolve().parents[3]


def test_production_refuses_the_default_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASTA_ENV", "production")
    monkeypatch.setenv("ASTA_SECRET_KEY", DEFAULT_SECRET_KEY)
    with pytest.raises(ConfigurationError, match="ASTA_SECRET_KEY"):
        settings_from_env().check()


def _production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASTA_ENV", "production")
    monkeypatch.setenv("ASTA_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("ASTA_STRIPE_WEBHOOK_SECRET", "whsec_" + "w" * 32)
    monkeypatch.setenv("ASTA_STRIPE_API_KEY", "sk_live_private")


def test_production_accepts_private_secrets_and_a_stripe_key(
        monkeypatch: pytest.MonkeyPatch) -> None:
    _production(monkeypatch)
    settings_from_env().check()


@pytest.mark.parametrize(("name", "value"), [
    ("ASTA_STRIPE_WEBHOOK_SECRET", DEFAULT_WEBHOOK_SECRET),
    ("ASTA_STRIPE_WEBHOOK_SECRET", "whsec_short"),
    ("ASTA_STRIPE_API_KEY", DEFAULT_STRIPE_API_KEY),
    ("ASTA_STRIPE_API_KEY", ""),
    ("ASTA_STRIPE_API_KEY", "changeme"),
])
def test_production_refuses_default_or_missing_stripe_secrets(
        monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    _production(monkeypatch)
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match=name):
        settings_from_env().check()


@pytest.mark.parametrize("name", ["ASTA_STRIPE_WEBHOOK_SECRET", "ASTA_STRIPE_API_KEY"])
def test_production_refuses_missing_stripe_secrets(monkeypatch: pytest.MonkeyPatch,
                                                   name: str) -> None:
    _production(monkeypatch)
    monkeypatch.delenv(name)
    with pytest.raises(ConfigurationError, match=name):
        settings_from_env().check()


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    monkeypatch.setenv("ASTA_DATABASE_URL", "postgresql://db/asta")
    monkeypatch.setenv("ASTA_BROKER_URL", "redis://r:6379/0")
    monkeypatch.setenv("ASTA_DATA_DIR", str(tmp_path))
    settings = settings_from_env()
    assert settings.database_url == "postgresql://db/asta"
    assert settings.broker_url == "redis://r:6379/0"
    assert settings.data_dir == tmp_path
    assert not settings.embedded_database


def test_links_point_at_the_servers_own_port_unless_configured(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from asta.core import config

    monkeypatch.delenv("ASTA_PUBLIC_BASE_URL", raising=False)
    monkeypatch.setattr(config, "get_settings", lambda: own)
    own = settings_from_env()
    config.links_to_server("0.0.0.0", 9123)  # noqa: S104
    assert own.public_base_url == "http://127.0.0.1:9123"
    monkeypatch.setenv("ASTA_PUBLIC_BASE_URL", "https://asta.example.fi")
    own = settings_from_env()
    config.links_to_server("127.0.0.1", 9123)
    assert own.public_base_url == "https://asta.example.fi"


def test_bad_numbers_in_the_environment_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASTA_SMTP_PORT", "twenty-five")
    with pytest.raises(ConfigurationError, match="ASTA_SMTP_PORT"):
        settings_from_env()


def test_cli_offers_the_documented_commands() -> None:
    result = subprocess.run([sys.executable, "-m", "asta.cli", "--help"], capture_output=True,
                            text=True, check=True)
    for command in ("serve", "worker", "migrate", "demo"):
        assert command in result.stdout
    args = build_parser().parse_args(["demo", "--port", "9000", "--seed-only"])
    assert (args.port, args.seed_only) == (9000, True)


def test_compose_defines_the_production_services() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert {"postgres", "redis", "api", "worker", "stripe-mock"} <= set(compose["services"])
    assert compose["services"]["stripe-mock"]["image"].startswith("stripe/stripe-mock")
