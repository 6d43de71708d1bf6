"""ASTA_LOG_LEVEL: quiet by default, job-broker chatter only when debugging."""

import pytest

from asta.core.config import ConfigurationError, settings_from_env
from asta.core.logs import logging_config


@pytest.mark.parametrize(("level", "root", "chatter"), [
    ("info", "INFO", "WARNING"), ("debug", "DEBUG", "DEBUG"),
    ("warning", "WARNING", "WARNING"), ("error", "ERROR", "ERROR")])
def test_dramatiq_consumed_and_purged_lines_show_only_at_debug(level: str, root: str,
                                                               chatter: str) -> None:
    config = logging_config(level)
    assert config.root["level"] == root
    assert config.loggers["dramatiq_pg"]["level"] == chatter
    assert config.loggers["dramatiq"]["level"] == chatter
    assert config.loggers["mail.log"]["level"] == chatter  # aiosmtpd, the mail catcher
    assert config.loggers["httpx"]["level"] == chatter  # a line per Stripe request
    assert config.loggers["stripe"]["level"] == chatter  # two more, from the stripe package


def test_log_level_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASTA_LOG_LEVEL", raising=False)
    assert settings_from_env().log_level == "info"
    monkeypatch.setenv("ASTA_LOG_LEVEL", "DEBUG")
    assert settings_from_env().log_level == "debug"
    monkeypatch.setenv("ASTA_LOG_LEVEL", "loud")
    with pytest.raises(ConfigurationError, match="ASTA_LOG_LEVEL"):
        settings_from_env()


def test_the_mail_catcher_runs_only_in_development_without_smtp(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASTA_SMTP_HOST", raising=False)
    monkeypatch.delenv("ASTA_SMTP_PORT", raising=False)
    monkeypatch.delenv("ASTA_ENV", raising=False)
    assert settings_from_env().mail_catcher
    monkeypatch.setenv("ASTA_SMTP_HOST", "relay.example.org")
    assert not settings_from_env().mail_catcher
    monkeypatch.delenv("ASTA_SMTP_HOST")
    monkeypatch.setenv("ASTA_SMTP_PORT", "2525")  # a local test server, say
    assert not settings_from_env().mail_catcher
    monkeypatch.delenv("ASTA_SMTP_PORT")
    monkeypatch.setenv("ASTA_ENV", "production")
    assert not settings_from_env().mail_catcher
