from __future__ import annotations

import asyncio
import dataclasses
import uuid
from datetime import timedelta

import pytest
import time_machine
from argon2 import extract_parameters

from asta.core import security
from asta.core.clock import utcnow
from asta.core.config import get_settings


@pytest.mark.parametrize("fast", [False, True])
def test_an_unknown_address_is_checked_against_a_hash_as_costly_as_a_real_one(
        monkeypatch: pytest.MonkeyPatch, fast: bool) -> None:
    settings = dataclasses.replace(get_settings(), fast_password_hashing=fast)
    monkeypatch.setattr(security, "get_settings", lambda: settings)
    real = extract_parameters(security.hash_password("a-real-password"))
    assert extract_parameters(security.dummy_hash()) == real
    assert not security.verify_password(None, "not-a-password")


def test_production_hashes_use_owasps_argon2id_parameters(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = dataclasses.replace(get_settings(), fast_password_hashing=False)
    monkeypatch.setattr(security, "get_settings", lambda: settings)
    made = extract_parameters(security.hash_password("a-real-password"))
    assert (made.time_cost, made.memory_cost, made.parallelism) == (2, 19 * 1024, 1)


async def test_hashing_leaves_the_event_loop_free(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = dataclasses.replace(get_settings(), fast_password_hashing=False)
    monkeypatch.setattr(security, "get_settings", lambda: settings)
    stored = security.hash_password("a-real-password")
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    ticker = asyncio.create_task(tick())
    # Four sign-ins queue on the hashing thread while the loop keeps answering.
    results = await asyncio.gather(*[security.verify_password_off_loop(stored, p) for p in
                                     ("a-real-password", "wrong", "a-real-password", "")])
    ticker.cancel()
    assert results == [True, False, True, False]
    assert ticks > 100  # a hash on the loop would let it tick only between them


def test_a_token_read_once_still_expires_and_a_forged_one_never_passes(
        clock: time_machine.TimeMachineFixture) -> None:
    """The signature's check is remembered per token; its expiry is not."""
    person = uuid.uuid4()
    token = security.issue_token(person, minutes=5)
    assert security.read_token(token) == security.TokenSubject(person, 0)
    assert security.read_token(token, kind="session") is None
    clock.move_to(utcnow() + timedelta(minutes=5, seconds=1))
    assert security.read_token(token) is None
    head, body, signature = token.split(".")
    forged = ".".join((head, body, signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB")))
    assert security.read_token(forged) is None
