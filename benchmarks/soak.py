"""A bounded soak of the job system on loopback; prints JSON.

    python benchmarks/soak.py --start-server [--minutes 10]

Starts its own PostgreSQL, one API server (`asta serve --no-worker`), one `asta worker`
(killed with SIGKILL every --kill-every-s seconds and started again, as a supervisor
would), an SMTP sink that is down for the first half, and a Stripe stand-in. Meanwhile
doctors claim shifts, read the board, and a scheduler publishes shifts, each at a steady
rate, and approved pay becomes a transfer to one of --transfers doctors at a steady rate.
Every second it samples the broker queue, the outbox and PostgreSQL's lock table.

Goals (issue 11): 0 5xx; queue depth never above the due rows plus the workers' prefetch;
every e-mail and transfer delivered exactly once within 60 s after SMTP returns; claim p99
with jobs busy within 1.2x of jobs idle.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import httpx  # noqa: E402
from claim_race import _free_port, percentile, seed_area, seed_people  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine  # noqa: E402

from asta.core.config import DEFAULT_STRIPE_API_KEY  # noqa: E402
from asta.core.db import async_url  # noqa: E402
from asta.payments.test_server import TestServerControl  # noqa: E402
from asta.payments.test_server.runner import running_test_server_process  # noqa: E402

PERIODIC_JOBS = 12
SAMPLES = {
    "queue": "SELECT count(*) FROM dramatiq.queue WHERE state IN ('queued', 'consumed')",
    "due": "SELECT count(*) FROM notifications WHERE status = 'pending' "
           "AND (next_attempt_at IS NULL OR next_attempt_at <= now()) "
           "AND (claimed_until IS NULL OR claimed_until < now())",
    "in_flight": "SELECT count(*) FROM notifications WHERE status = 'pending' "
                 "AND claimed_until >= now()",
    "oldest_due_s": "SELECT coalesce(extract(epoch FROM now() - min(coalesce(next_attempt_at, "
                    "created_at))), 0) FROM notifications WHERE status = 'pending'",
    "locks": "SELECT count(*) FROM pg_locks",
}


def asta_process(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "asta.cli", *args], env=env, cwd=ROOT,
                            stdout=log.open("ab"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop(process: subprocess.Popen[bytes] | None, sig: int = signal.SIGTERM) -> None:
    if process is not None and process.poll() is None:
        os.killpg(process.pid, sig)
        process.wait(timeout=30)


@contextmanager
def world(workdir: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """An embedded PostgreSQL (migrated) and the environment for Asta's processes."""
    from asta import runtime
    from asta.core.embedded_pg import EmbeddedPostgres

    server = EmbeddedPostgres(workdir / "pg", durable=False)
    (workdir / "pg").mkdir()
    (workdir / "pg").chmod(0o755)
    url = server.start()
    try:
        runtime.migrate(url)
        yield url, {**os.environ, "ASTA_DATABASE_URL": url, "PYTHONUNBUFFERED": "1",
                    "ASTA_SECRET_KEY": os.environ["ASTA_SECRET_KEY"],
                    "ASTA_FAST_PASSWORD_HASHING": "1"}
    finally:
        server.stop()


async def sample(engine: AsyncEngine, into: list[dict[str, float]], until: float) -> None:
    while time.monotonic() < until:
        async with engine.connect() as conn:
            row = {name: float(await conn.scalar(text(sql)) or 0) for name, sql in SAMPLES.items()}
        into.append({"t": time.monotonic(), **row})
        await asyncio.sleep(1)


async def seed(engine: AsyncEngine, doctors: int
               ) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID, list[uuid.UUID]]:
    async with engine.begin() as conn:
        org, unit = await seed_area(conn)
        people = await seed_people(conn, doctors)
        scheduler = uuid.uuid4()
        now = datetime.now(UTC)
        await conn.execute(text(
            "INSERT INTO users (id, email, full_name, locale, is_active, created_at) "
            "VALUES (:id, :email, 'Soak scheduler', 'fi', true, :now)"),
            {"id": scheduler, "email": f"soak-{scheduler.hex[:8]}@asta.test", "now": now})
        await conn.execute(text(
            "INSERT INTO role_assignments (id, user_id, role, organisation_id, created_at) "
            "VALUES (:id, :user, 'scheduler', :org, :now)"),
            {"id": uuid.uuid4(), "user": scheduler, "org": org, "now": now})
    return org, unit, scheduler, people


async def payout_accounts(engine: AsyncEngine, stripe_url: str, people: list[uuid.UUID]
                          ) -> None:
    """Each of `people` gets an onboarded Express account at the stand-in, known to Asta."""
    control = TestServerControl(stripe_url)
    async with httpx.AsyncClient(base_url=stripe_url, headers={
            "Authorization": f"Bearer {DEFAULT_STRIPE_API_KEY}"}) as stripe:
        for person in people:
            account = (await stripe.post("/v1/accounts", data={
                "type": "express", "email": f"{person.hex[:12]}@asta.test",
                "capabilities[transfers][requested]": "true"})).json()["id"]
            await control.complete_onboarding(account)
            async with engine.begin() as conn:
                await conn.execute(text(
                    "INSERT INTO connected_accounts (user_id, stripe_account_id, "
                    "details_submitted, transfers_enabled, payouts_enabled, created_at) "
                    "VALUES (:user, :account, true, true, true, now())"),
                    {"user": person, "account": account})
    await control.aclose()


async def approve_pay(engine: AsyncEngine, org: uuid.UUID, person: uuid.UUID) -> None:
    """What approving a timesheet leaves for the jobs: one pending transfer."""
    transfer = uuid.uuid4()
    async with engine.begin() as conn:
        await conn.execute(text(
            "INSERT INTO payout_transfers (id, professional_id, organisation_id, amount_cents, "
            "currency, mode, idempotency_key, transfer_group, status, attempts, created_at) "
            "VALUES (:id, :person, :org, 12000, 'eur', 'per_shift', :key, :key, 'pending', 0, "
            "now())"), {"id": transfer, "person": person, "org": org, "key": f"soak-{transfer}"})


async def load(base: str, unit: uuid.UUID, scheduler: str, doctors: list[str], until: float,
               rates: dict[str, float], latencies: list[tuple[float, float]],
               statuses: dict[int, int]) -> None:
    """Open-loop traffic: each kind of request starts on its own schedule."""
    shift_ids: list[str] = []
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        async def one(kind: str) -> None:
            started = time.monotonic()
            if kind == "publish":
                start = datetime.now(UTC) + timedelta(days=random.randint(3, 60), hours=1)
                start = start.replace(minute=0, second=0, microsecond=0)
                body = {"shifts": [{"starts_at": start.isoformat(), "profession": "doctor",
                                    "ends_at": (start + timedelta(hours=4)).isoformat(),
                                    "visibility": "national", "positions": 3}],
                        "publish": True}
                r = await client.post(f"/api/units/{unit}/shifts", json=body,
                                      headers={"Authorization": f"Bearer {scheduler}"})
                if r.status_code == 201:
                    shift_ids.extend(s["id"] for s in r.json())
            elif kind == "claim" and shift_ids:
                r = await client.post(f"/api/shifts/{random.choice(shift_ids[-50:])}/claim",
                                      headers={"Authorization": f"Bearer {random.choice(doctors)}"})
                latencies.append((started, time.monotonic() - started))
            elif kind == "read":
                r = await client.get("/api/shifts?limit=30",
                                     headers={"Authorization": f"Bearer {random.choice(doctors)}"})
            else:
                return
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1

        async def schedule(kind: str, per_s: float) -> None:
            tasks = set()
            next_at = time.monotonic()
            while next_at < until:
                await asyncio.sleep(max(0.0, next_at - time.monotonic()))
                task = asyncio.create_task(one(kind))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
                next_at += random.expovariate(per_s)
            await asyncio.gather(*tasks)

        await asyncio.gather(*(schedule(kind, rate) for kind, rate in rates.items()))


def message_ids(folder: Path) -> list[str]:
    from email import message_from_bytes

    return [str(message_from_bytes(p.read_bytes())["Message-ID"]) for p in folder.glob("*.eml")]


async def soak(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    from asta.core.security import issue_token

    smtp_port = _free_port()
    mail_dir = workdir / "mail"
    mail_dir.mkdir()
    with world(workdir) as (url, env), running_test_server_process("--test-controls") as stripe_url:
        env["ASTA_SMTP_PORT"] = str(smtp_port)
        env["ASTA_OUTBOX_LEASE_S"] = str(args.lease_s)
        env["ASTA_STRIPE_API_BASE"] = stripe_url
        engine = create_async_engine(async_url(url))
        org, unit, scheduler, people = await seed(engine, args.doctors)
        paid = people[:args.transfers]
        await payout_accounts(engine, stripe_url, paid)
        tokens = [issue_token(p, minutes=args.minutes * 60 + 60) for p in people]
        scheduler_token = issue_token(scheduler, minutes=args.minutes * 60 + 60)
        port = _free_port()
        api = asta_process(["serve", "--no-worker", "--port", str(port)], env,
                           workdir / "api.log")
        worker = asta_process(["worker"], env, workdir / "worker.log")
        base = f"http://127.0.0.1:{port}"
        await _started(base)
        duration = args.minutes * 60
        started = time.monotonic()
        until = started + duration
        smtp_back_at = started + duration / 2
        samples: list[dict[str, float]] = []
        latencies: list[tuple[float, float]] = []
        statuses: dict[int, int] = {}
        sink = None
        smtp_back_wall = datetime.now(UTC)
        kills = 0

        async def chaos() -> None:
            nonlocal worker, sink, kills, smtp_back_wall
            next_kill = started + args.kill_every_s
            to_pay = list(paid)
            while time.monotonic() < until:
                await asyncio.sleep(1)
                if to_pay and time.monotonic() >= started + duration * (
                        1 - len(to_pay) / len(paid)):
                    await approve_pay(engine, org, to_pay.pop())
                if sink is None and time.monotonic() >= smtp_back_at:
                    sink = await asyncio.to_thread(
                        subprocess.Popen, [sys.executable, "-m", "tests.integration.mail",
                                           str(smtp_port), str(mail_dir)], cwd=ROOT)
                    smtp_back_wall = datetime.now(UTC)
                if time.monotonic() >= next_kill:
                    stop(worker, signal.SIGKILL)
                    kills += 1
                    worker = asta_process(["worker"], env, workdir / "worker.log")
                    next_kill += args.kill_every_s

        await asyncio.gather(
            load(base, unit, scheduler_token, tokens, until,
                 {"claim": args.claims_per_s, "read": args.reads_per_s,
                  "publish": args.publishes_per_s}, latencies, statuses),
            sample(engine, samples, until), chaos())
        # Drain: how long after SMTP returned was the last e-mail delivered?
        drain: list[dict[str, float]] = []
        await sample(engine, drain, time.monotonic() + args.drain_s)
        async with engine.connect() as conn:
            rows = int(await conn.scalar(text("SELECT count(*) FROM notifications")) or 0)
            done = int(await conn.scalar(text(
                "SELECT count(*) FROM notifications WHERE status = 'done'")) or 0)
            # The backlog written while SMTP was down: how long until its last e-mail went?
            backlog_sent_s = await conn.scalar(text(
                "SELECT extract(epoch FROM max(sent_at) - :back) FROM notifications "
                "WHERE created_at <= :back"), {"back": smtp_back_wall})
            transfers_sent = int(await conn.scalar(text(
                "SELECT count(*) FROM payout_transfers WHERE status = 'sent'")) or 0)
        control = TestServerControl(stripe_url)
        made = (await control.state())["transfers_by_destination"]
        await control.aclose()
        ids = message_ids(mail_dir)
        stop(worker)
        stop(api)
        if sink is not None:
            sink.terminate()
            sink.wait(10)
        await engine.dispose()

    busy = [d for t, d in latencies if _busy_at(samples, t)]
    idle = [d for t, d in latencies if not _busy_at(samples, t)]
    # One worker prefetches two messages a thread (four threads); periodic jobs add one each.
    allowance = 2 * 4 + PERIODIC_JOBS
    return {
        "minutes": args.minutes, "worker_kills": kills,
        "requests": sum(statuses.values()),
        "status_counts": {str(k): v for k, v in sorted(statuses.items())},
        "server_errors": sum(v for k, v in statuses.items() if k >= 500),
        "max_queue_depth": max(s["queue"] for s in samples),
        "queue_within_bound": all(s["queue"] <= s["due"] + s["in_flight"] + allowance
                                  for s in samples + drain),
        "max_due_outbox_rows": max(s["due"] for s in samples),
        "max_oldest_due_s": round(max(s["oldest_due_s"] for s in samples), 1),
        "max_pg_locks": max(s["locks"] for s in samples + drain),
        "notifications": rows, "notifications_done": done,
        "emails_sent": len(ids), "emails_distinct": len(set(ids)),
        "backlog_delivered_s_after_smtp_returned": round(float(backlog_sent_s or 0), 1),
        "transfers": len(paid), "transfers_sent": transfers_sent,
        "transfers_made_at_stripe": sum(made.values()),
        "transfers_distinct_destinations": len(made),
        "claims": len(latencies),
        "claim_ms_busy": {"n": len(busy), "p50": _ms(busy, 50), "p99": _ms(busy, 99)},
        "claim_ms_idle": {"n": len(idle), "p50": _ms(idle, 50), "p99": _ms(idle, 99)},
    }


async def _started(base: str) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(300):
            try:
                await client.get(f"{base}/health", timeout=2)
                return
            except httpx.HTTPError:
                await asyncio.sleep(0.2)
    raise RuntimeError("the API did not start")


def _busy_at(samples: list[dict[str, float]], at: float) -> bool:
    """Jobs are busy when the queue or the outbox held work in the nearest second."""
    nearest = min(samples, key=lambda s: abs(s["t"] - at))
    return nearest["queue"] > 0 or nearest["due"] > 0 or nearest["in_flight"] > 0


def _ms(values: list[float], pct: float) -> float | None:
    return round(percentile(values, pct) * 1000, 1) if values else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--start-server", action="store_true", required=True,
                        help="start PostgreSQL, the API and a worker here (the only mode)")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--kill-every-s", type=float, default=120)
    parser.add_argument("--lease-s", type=int, default=30)
    parser.add_argument("--drain-s", type=float, default=90)
    parser.add_argument("--doctors", type=int, default=100)
    parser.add_argument("--claims-per-s", type=float, default=10)
    parser.add_argument("--reads-per-s", type=float, default=10)
    parser.add_argument("--publishes-per-s", type=float, default=0.1)
    parser.add_argument("--keep", action="store_true", help="keep the logs (prints where)")
    parser.add_argument("--transfers", type=int, default=40,
                        help="doctors paid once each, spread over the run")
    args = parser.parse_args(argv)
    os.environ.setdefault("ASTA_SECRET_KEY", secrets.token_urlsafe(32))
    workdir = Path(tempfile.mkdtemp(prefix="asta-soak-"))
    workdir.chmod(0o755)
    try:
        print(json.dumps(asyncio.run(soak(args, workdir)), indent=2))
    finally:
        if args.keep:
            print(f"logs: {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
