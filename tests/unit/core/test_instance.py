"""The data dir's owner and its record: what lets `asta worker` find `asta serve`."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from asta import runtime
from asta.core import instance
from asta.core.config import Settings, get_settings
from asta.core.instance import InstanceError, is_owned, owning, read_record, running_instance


@pytest.fixture(autouse=True)
def quick_claims(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(instance, "CLAIM_WAIT_S", 0.1)


def test_the_record_is_private_and_lives_as_long_as_its_owner(tmp_path: Path) -> None:
    with owning(tmp_path) as ownership:
        assert is_owned(tmp_path)
        assert running_instance(tmp_path) is None  # nothing to use until published
        ownership.publish(database_url="postgresql://postgres:pw@127.0.0.1:5/asta",
                          stripe_api_base="http://127.0.0.1:6")
        record = running_instance(tmp_path)
        assert record is not None and record.pid == os.getpid()
        assert record.stripe_api_base == "http://127.0.0.1:6"
        assert stat.S_IMODE((tmp_path / instance.RECORD_FILE).stat().st_mode) == 0o600
    assert not is_owned(tmp_path)
    assert read_record(tmp_path) is None


def test_a_second_owner_is_refused_with_the_first_ones_pid(tmp_path: Path) -> None:
    with owning(tmp_path) as ownership:
        ownership.publish(database_url=None, stripe_api_base=None)
        with pytest.raises(InstanceError, match=f"pid {os.getpid()}"), owning(tmp_path):
            pass
        assert is_owned(tmp_path)


def test_a_record_left_by_a_killed_owner_is_not_used(tmp_path: Path) -> None:
    (tmp_path / instance.RECORD_FILE).write_text(json.dumps(
        {"pid": 1, "database_url": "postgresql://gone", "stripe_api_base": None}))
    assert running_instance(tmp_path) is None
    with owning(tmp_path):
        assert read_record(tmp_path) is None


def test_a_worker_uses_the_running_instances_database_and_stripe(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, stripe_stand_in=True)
    original = get_settings().stripe_api_base
    try:
        with owning(tmp_path) as ownership:
            ownership.publish(database_url="postgresql://postgres:pw@127.0.0.1:5/asta",
                              stripe_api_base="http://127.0.0.1:6")
            url, record = runtime.attached(settings)
            assert url == "postgresql://postgres:pw@127.0.0.1:5/asta"
            assert record is not None and runtime.still_running(tmp_path, record)
            assert get_settings().stripe_api_base == "http://127.0.0.1:6"
        assert not runtime.still_running(tmp_path, record)
    finally:
        object.__setattr__(get_settings(), "stripe_api_base", original)


def test_a_worker_without_a_running_instance_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(InstanceError, match=r"start `asta serve` first.*ASTA_DATABASE_URL"):
        runtime.attached(Settings(data_dir=tmp_path))


def test_a_worker_with_its_own_database_and_stripe_needs_no_instance(tmp_path: Path) -> None:
    settings = Settings(database_url="postgresql://db/asta", data_dir=tmp_path)
    assert runtime.attached(settings) == ("postgresql://db/asta", None)


def test_one_off_commands_use_the_running_instances_database(tmp_path: Path) -> None:
    with owning(tmp_path) as ownership:
        ownership.publish(database_url="postgresql://postgres:pw@127.0.0.1:5/asta",
                          stripe_api_base=None)
        with runtime.database(Settings(data_dir=tmp_path)) as url:
            assert url == "postgresql://postgres:pw@127.0.0.1:5/asta"
    assert not (tmp_path / "pg").exists()  # nothing was started for the command
