"""Sign-in throttling that holds under concurrency and cannot be turned into a lockout.

Three counters of recent failures, one row each, changed only by single upserts:
- per (account, address): 5 tries, then growing delays. An attempt takes its slot before the
  password is checked, so 20 concurrent guesses cannot all get through.
- per account: 20 tries from anywhere, then growing delays, except from an address the
  account has signed in from before: a distributed attack does not lock the owner out.
- per address: 50 failures on any accounts, then growing delays for unknown accounts and
  wrong passwords only; a correct password of an account that address has not attacked
  still gets in, so one attacker behind a hospital's NAT does not lock the hospital out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.accounts.models import LoginAttempt, SignInThrottle
from asta.core.db import unit_of_work
from asta.core.errors import TooManyAttemptsError

FORGET_AFTER = timedelta(hours=1)  # a counter starts again after an hour with no failures
BASE_DELAY = timedelta(seconds=15)
MAX_DELAY = timedelta(minutes=15)
RECOGNISED_FOR = timedelta(days=90)
TOO_MANY = "Too many failed sign-ins; wait a while before trying again"


@dataclass(frozen=True)
class Limit:
    scope: str
    free: int  # failures allowed before delays start

    def key(self, *parts: str) -> str:
        return ":".join((self.scope, *parts))


PAIR, ACCOUNT, ADDRESS = Limit("pair", 5), Limit("account", 20), Limit("address", 50)


def delay_after(failures: int, free: int) -> timedelta:
    """How long the next try waits after the last failure: doubling from BASE_DELAY."""
    if failures < free:
        return timedelta(0)
    return min(MAX_DELAY, BASE_DELAY * (1 << min(failures - free, 16)))


def wait_left(failures: int, last_failure_at: datetime, free: int, now: datetime) -> timedelta:
    if last_failure_at <= now - FORGET_AFTER:
        return timedelta(0)
    return max(timedelta(0), last_failure_at + delay_after(failures, free) - now)


# One statement takes a slot (counts the attempt as a failure until it succeeds) unless the
# key is waiting out a delay; the row lock of the upsert orders concurrent attempts.
_TAKE_SLOT = text("""
    INSERT INTO sign_in_throttles AS t (key, failures, last_failure_at) VALUES (:key, 1, :now)
    ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN t.last_failure_at <= :forget_before THEN 1 ELSE t.failures + 1 END,
        last_failure_at = :now
    WHERE t.last_failure_at <= :forget_before OR t.failures < :free
       OR t.last_failure_at + make_interval(secs => LEAST(:max_s,
              :base_s * power(2, LEAST(t.failures - :free, 16)))) <= :now
    RETURNING failures
""")
_COUNT_FAILURE = text("""
    INSERT INTO sign_in_throttles AS t (key, failures, last_failure_at) VALUES (:key, 1, :now)
    ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN t.last_failure_at <= :forget_before THEN 1 ELSE t.failures + 1 END,
        last_failure_at = :now
""")


def _params(limit: Limit, key: str, now: datetime) -> dict[str, object]:
    return {"key": key, "now": now, "forget_before": now - FORGET_AFTER, "free": limit.free,
            "base_s": BASE_DELAY.total_seconds(), "max_s": MAX_DELAY.total_seconds()}


async def _wait(session: AsyncSession, limit: Limit, key: str, now: datetime) -> timedelta:
    row = await session.get(SignInThrottle, key, populate_existing=True)
    return wait_left(row.failures, row.last_failure_at, limit.free, now) if row else timedelta(0)


def _refuse(wait: timedelta) -> TooManyAttemptsError:
    return TooManyAttemptsError(TOO_MANY, retry_after_s=max(1, int(wait.total_seconds() + 0.999)))


@dataclass(frozen=True)
class Admission:
    """An attempt let through to the password check, and the slots it holds."""

    email: str
    ip: str
    account_slot: bool
    address_wait: timedelta  # > 0: the address is throttled, so a failure answers 429


async def admit(email: str, ip: str, now: datetime, *, recognised: bool) -> Admission:
    """Take the attempt's slots in one short transaction of its own, or refuse with 429."""
    async with unit_of_work() as session:
        pair = await session.scalar(_TAKE_SLOT, _params(PAIR, PAIR.key(email, ip), now))
        if pair is None:
            raise _refuse(await _wait(session, PAIR, PAIR.key(email, ip), now))
        address_wait = await _wait(session, ADDRESS, ADDRESS.key(ip), now)
        if address_wait and pair > 1:  # this address has already failed on this account
            raise _refuse(address_wait)  # raising rolls back: the slot is given back
        if not recognised:
            taken = await session.scalar(_TAKE_SLOT, _params(ACCOUNT, ACCOUNT.key(email), now))
            if taken is None:
                # Raising rolls back, giving the pair slot back: nothing was tried.
                raise _refuse(await _wait(session, ACCOUNT, ACCOUNT.key(email), now))
    return Admission(email, ip, not recognised, address_wait)


async def settle(admission: Admission, now: datetime, *, succeeded: bool) -> None:
    """After the check: a success frees the slots it held; a failure also counts for the
    address. Its own transaction, as a failed sign-in rolls the request back."""
    email, ip = admission.email, admission.ip
    async with unit_of_work() as session:
        session.add(LoginAttempt(email=email, ip=ip, succeeded=succeeded, at=now))
        if succeeded:
            # One key at a time, in the order `admit` locks them: a single DELETE ... IN
            # locks rows in whatever order its scan meets them, account row first once the
            # pair row was updated last, and against an attempt that holds the pair and
            # waits for the account row that was a deadlock (a 409 in CI).
            keys = [PAIR.key(email, ip)] + ([ACCOUNT.key(email)] if admission.account_slot else [])
            for key in keys:
                await session.execute(delete(SignInThrottle).where(
                    SignInThrottle.key == key))  # type: ignore[arg-type]
        else:
            await session.execute(_COUNT_FAILURE, _params(ADDRESS, ADDRESS.key(ip), now))
    if not succeeded and admission.address_wait:
        raise _refuse(admission.address_wait)


async def recognised(session: AsyncSession, email: str, ip: str, now: datetime) -> bool:
    """The account has signed in from this address lately: its owner's own place."""
    found = await session.scalar(select(col(LoginAttempt.id)).where(
        col(LoginAttempt.email) == email, col(LoginAttempt.ip) == ip,
        col(LoginAttempt.succeeded).is_(True), col(LoginAttempt.at) > now - RECOGNISED_FOR)
        .limit(1))
    return found is not None


async def take_slot(limit: Limit, key: str, now: datetime) -> None:
    """The same slots for other guessable secrets (second-factor codes): one try, taken before
    the check in its own transaction, or 429 while the key waits out its delay."""
    async with unit_of_work() as session:
        if await session.scalar(_TAKE_SLOT, _params(limit, key, now)) is None:
            raise _refuse(await _wait(session, limit, key, now))


async def free_slots(key: str) -> None:
    """A success: the failures counted on this key are forgotten."""
    async with unit_of_work() as session:
        await session.execute(delete(SignInThrottle).where(SignInThrottle.key == key))  # type: ignore[arg-type]
