"""Sign-in throttling: atomic under concurrency, and never a lockout of the rightful owner."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import httpx
import time_machine
from litestar import Litestar
from sqlalchemy import select, text
from sqlmodel import col

from asta.accounts import throttle
from asta.accounts.models import SignInThrottle
from asta.core.db import unit_of_work
from tests import factories

TOKEN = "/api/auth/token"


@asynccontextmanager
async def from_address(app: Litestar, ip: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=(ip, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://asta.test") as client:
        yield client


async def attempt(client: httpx.AsyncClient, email: str, password: str) -> int:
    response = await client.post(TOKEN, json={"email": email, "password": password})
    return response.status_code


async def test_concurrent_wrong_passwords_are_throttled(client: httpx.AsyncClient) -> None:
    person = await factories.professional()
    answers = Counter(await asyncio.gather(*(
        attempt(client, person.email, f"wrong-password-{n}") for n in range(20))))
    assert answers[429] >= 15, answers
    assert answers[401] <= 5, answers
    assert set(answers) <= {401, 429}


async def test_after_five_wrong_passwords_the_right_one_works_after_a_short_delay(
        client: httpx.AsyncClient, clock: time_machine.TimeMachineFixture) -> None:
    person = await factories.professional()
    for _ in range(5):
        assert await attempt(client, person.email, "wrong-password") == 401
    refused = await client.post(TOKEN, json={"email": person.email,
                                             "password": factories.PASSWORD})
    assert refused.status_code == 429
    assert 0 < int(refused.headers["retry-after"]) <= 15
    clock.shift(timedelta(seconds=16))
    assert await attempt(client, person.email, factories.PASSWORD) == 200
    # The success forgets the failures: five more tries before any delay.
    for _ in range(5):
        assert await attempt(client, person.email, "wrong-password") == 401


async def test_delays_grow_while_the_guessing_goes_on(
        client: httpx.AsyncClient, clock: time_machine.TimeMachineFixture) -> None:
    person = await factories.professional()
    waits = []
    for _ in range(5):
        await attempt(client, person.email, "wrong-password")
    for _ in range(3):
        refused = await client.post(TOKEN, json={"email": person.email, "password": "guess"})
        waits.append(int(refused.headers["retry-after"]))
        clock.shift(timedelta(seconds=waits[-1] + 1))
        assert await attempt(client, person.email, "wrong-password") == 401
    assert waits == [15, 30, 60]


async def test_an_attacked_address_still_lets_in_accounts_it_has_not_attacked(
        app: Litestar) -> None:
    victim, colleague = await factories.professional(), await factories.professional()
    async with from_address(app, "10.0.0.1") as nat:
        for n in range(50):
            await attempt(nat, f"nobody{n}@asta.test", "guess-password")
        assert await attempt(nat, victim.email, "wrong-password") == 429  # a failure: throttled
        assert await attempt(nat, "nobody@asta.test", "guess-password") == 429  # unknown account
        assert await attempt(nat, colleague.email, factories.PASSWORD) == 200  # not attacked
        assert await attempt(nat, victim.email, factories.PASSWORD) == 429  # attacked from here
    async with from_address(app, "10.0.0.2") as elsewhere:
        assert await attempt(elsewhere, victim.email, factories.PASSWORD) == 200


async def test_a_distributed_attack_does_not_lock_the_owner_out_of_their_usual_place(
        app: Litestar) -> None:
    owner = await factories.professional()
    async with from_address(app, "192.0.2.10") as home:
        assert await attempt(home, owner.email, factories.PASSWORD) == 200
    for n in range(20):
        async with from_address(app, f"198.51.100.{n + 1}") as bot:
            assert await attempt(bot, owner.email, "guess-password") == 401
    async with from_address(app, "198.51.100.200") as bot:
        assert await attempt(bot, owner.email, "guess-password") == 429
        assert await attempt(bot, owner.email, factories.PASSWORD) == 429  # a new place waits
    async with from_address(app, "192.0.2.10") as home:
        assert await attempt(home, owner.email, factories.PASSWORD) == 200


async def test_a_success_frees_its_slots_in_the_order_attempts_take_them() -> None:
    """An attempt holds the pair row and then wants the account row while a success deletes
    both: the success must wait on the pair row, not hold the account row (a deadlock)."""
    email, ip, now = "order@example.test", "192.0.2.77", datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    admission = await throttle.admit(email, ip, now, recognised=False)
    pair, account = throttle.PAIR.key(email, ip), throttle.ACCOUNT.key(email)
    async with unit_of_work() as again:  # the pair row's newest version now lies after the account's
        await again.execute(throttle._TAKE_SLOT, throttle._params(throttle.PAIR, pair, now))
    async with unit_of_work() as attempt:
        await attempt.execute(throttle._TAKE_SLOT, throttle._params(throttle.PAIR, pair, now))
        freeing = asyncio.create_task(throttle.settle(admission, now, succeeded=True))
        await _until_a_backend_waits_for_a_lock()
        # The success waits on the pair row; the account row must still be free to take.
        taken = await attempt.scalar(throttle._TAKE_SLOT,
                                     throttle._params(throttle.ACCOUNT, account, now))
        assert taken == 2
    await freeing
    async with unit_of_work() as session:
        left = await session.scalars(select(SignInThrottle.key).where(
            col(SignInThrottle.key).in_([pair, account])))
        assert list(left) == []


async def _until_a_backend_waits_for_a_lock() -> None:
    waiting = text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                   "AND datname = current_database()")
    async with unit_of_work() as session:
        for _ in range(6000):  # polls for at most a minute: the success's DELETE must block
            if await session.scalar(waiting):
                return
            await asyncio.sleep(0.01)
    raise AssertionError("the success never waited for the attempt's pair row")
