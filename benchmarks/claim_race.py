"""Race hundreds of professionals for a few open positions over HTTP; print JSON.

    python benchmarks/claim_race.py --start-server [--server-workers 2]
    python benchmarks/claim_race.py --url http://127.0.0.1:8000 --database-url postgresql://...

Seeds N professionals and M open positions straight into the database (not timed), issues
every access token beforehand, then fires all claims at once with httpx.AsyncClient.
With --claims-per-professional 2 each professional also races for two overlapping shifts.
--url needs the server's ASTA_SECRET_KEY in this process's environment.
Its single httpx process is itself a bottleneck under a burst: for the saturation, Poisson and
burst figures with the generator's and PostgreSQL's ceilings, use benchmarks/claim_load.py.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402
from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402

from asta.core.db import async_url  # noqa: E402

# -- a server of our own ----------------------------------------------------------------


def server_app() -> Any:
    """uvicorn --factory entry point for each worker process: configure, then build the app."""
    from asta import runtime
    from asta.app import create_app
    from asta.core.config import get_settings

    settings = get_settings()
    pool = int(os.environ.get("ASTA_BENCH_POOL_SIZE", "20"))
    runtime.prepare(settings, settings.database_url or "")
    from asta.core import db

    db.configure(settings.database_url or "", pool_size=pool)
    return create_app()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def against_server(
    parser: argparse.ArgumentParser,
    args: argparse.Namespace,
    run: Callable[[str, str, argparse.Namespace], Coroutine[Any, Any, dict[str, Any]]],
    pool_size: int,
) -> dict[str, Any]:
    """`run(base URL, database URL, args)` against a started server or the one given."""
    os.environ.setdefault("ASTA_SECRET_KEY", secrets.token_urlsafe(32))
    if args.start_server:
        with running_server(workers=args.server_workers, pool_size=pool_size,
                            database_url=args.database_url) as (base, url):
            return asyncio.run(run(base, url, args))
    if not (args.url and args.database_url):
        parser.error("give --start-server, or both --url and --database-url")
    return asyncio.run(run(args.url, args.database_url, args))


@contextmanager
def running_server(*, workers: int, pool_size: int,
                   database_url: str | None = None) -> Iterator[tuple[str, str]]:
    """(base URL, database URL): an embedded PostgreSQL, migrated, and uvicorn in front."""
    from asta import runtime
    from asta.core.embedded_pg import EmbeddedPostgres

    data_dir = Path(tempfile.mkdtemp(prefix="asta-bench-"))
    data_dir.chmod(0o755)
    server = None if database_url else EmbeddedPostgres(data_dir)
    url = database_url or server.start()  # type: ignore[union-attr]
    runtime.migrate(url)
    port = _free_port()
    env = {**os.environ, "ASTA_DATABASE_URL": url, "ASTA_BENCH_POOL_SIZE": str(pool_size),
           "ASTA_SECRET_KEY": os.environ["ASTA_SECRET_KEY"], "ASTA_ENV": "benchmark"}
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "claim_race:server_app",
         "--app-dir", str(Path(__file__).parent), "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers), "--log-level", "warning", "--no-access-log",
         "--timeout-keep-alive", "60", "--backlog", "4096"],
        env=env, cwd=str(ROOT))
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code < 600:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise RuntimeError("the server did not start")
        yield base, url
    finally:
        process.terminate()
        process.wait(timeout=30)
        if server is not None:
            server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


# -- seeding ------------------------------------------------------------------------------


async def seed_people(conn: Any, n: int, *, profession: str = "doctor",
                      languages: list[dict[str, str]] | None = None,
                      extra: Any = None) -> list[uuid.UUID]:
    from asta.accounts.models import RoleAssignment, User
    from asta.profiles.models import ProfessionalProfile

    ids = [uuid.uuid4() for _ in range(n)]
    now = datetime.now(UTC)
    await conn.execute(insert(User.__table__), [  # type: ignore[attr-defined]
        {"id": i, "email": f"bench-{i}@asta.test", "full_name": f"Bench {k}", "locale": "fi",
         "is_active": True, "created_at": now} for k, i in enumerate(ids)])
    await conn.execute(insert(RoleAssignment.__table__), [  # type: ignore[attr-defined]
        {"id": uuid.uuid4(), "user_id": i, "role": "professional", "created_at": now}
        for i in ids])
    rows = []
    for k, i in enumerate(ids):
        row = {"user_id": i, "profession": profession, "registration_status": "verified",
               "registration_valid_until": None, "registration_number": f"{k:010d}",
               "languages": languages or [{"code": "fi", "level": "native"}],
               "specialties": [], "competences": [], "bio": "", "remote_only": False,
               "preferred_unit_ids": [], "preferred_weekdays": [], "unwanted_weekdays": [],
               "preferred_times": [], "unwanted_times": [], "updated_at": now}
        if extra:
            row.update(extra(k))
        rows.append(row)
    await conn.execute(insert(ProfessionalProfile.__table__), rows)  # type: ignore[attr-defined]
    return ids


async def seed_area(conn: Any, name: str = "Bench area") -> tuple[uuid.UUID, uuid.UUID]:
    from asta.accounts.models import Organisation, Unit

    org, unit = uuid.uuid4(), uuid.uuid4()
    now = datetime.now(UTC)
    await conn.execute(insert(Organisation.__table__).values(  # type: ignore[attr-defined]
        id=org, name=name, slug=f"bench-{org.hex[:12]}", settings={}, created_at=now))
    await conn.execute(insert(Unit.__table__).values(  # type: ignore[attr-defined]
        id=unit, organisation_id=org, name="Bench unit", description="", is_remote=True,
        languages=["fi"], claim_mode="instant", min_rest_hours=11, weekly_max_hours=48,
        cancellation_notice_hours=48, created_at=now,
        rate_card={"base_hourly_cents": {"doctor": 9000, "nurse": 3800}, "evening_pct": 15,
                   "night_pct": 30, "saturday_pct": 25, "sunday_pct": 100}))
    return org, unit


def shift_row(org: uuid.UUID, unit: uuid.UUID, start: datetime, hours: float, positions: int,
              **fields: Any) -> dict[str, Any]:
    row = {"id": uuid.uuid4(), "unit_id": unit, "organisation_id": org, "starts_at": start,
           "ends_at": start + timedelta(hours=hours), "profession": "doctor",
           "positions": positions, "assigned_count": 0, "offered_count": 0,
           "required_specialties": [], "required_languages": {}, "language_tokens": [],
           "required_competences": [], "onboarding_required": False, "is_remote": True,
           "description": "", "visibility": "national", "status": "published",
           "break_minutes": 0, "base_hourly_cents": 9000,
           "pay_total_cents": int(9000 * hours), "pay_breakdown": {"paid_minutes": hours * 60},
           "sequence": 0, "created_at": datetime.now(UTC), "updated_at": datetime.now(UTC),
           "published_at": datetime.now(UTC), "matched_at": datetime.now(UTC)}
    row.update(fields)
    return row


async def seed(database_url: str, professionals: int, positions: int,
               per_shift: int) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    from asta.marketplace.models import Shift

    engine = create_async_engine(async_url(database_url))
    start = (datetime.now(UTC) + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    async with engine.begin() as conn:
        org, unit = await seed_area(conn)
        people = await seed_people(conn, professionals)
        counts = [per_shift] * (positions // per_shift)
        if positions % per_shift:
            counts.append(positions % per_shift)
        # Staggered by an hour: every shift overlaps its neighbours.
        rows = [shift_row(org, unit, start + timedelta(hours=k), 8, c)
                for k, c in enumerate(counts)]
        await conn.execute(insert(Shift.__table__), rows)  # type: ignore[attr-defined]
    await engine.dispose()
    return people, [r["id"] for r in rows]


async def verify(database_url: str, shift_ids: list[uuid.UUID]) -> dict[str, int]:
    engine = create_async_engine(async_url(database_url))
    async with engine.connect() as conn:
        filled = await conn.scalar(text(
            "SELECT coalesce(sum(assigned_count), 0) FROM shifts WHERE id = ANY(:ids)"),
            {"ids": shift_ids})
        over = await conn.scalar(text(
            "SELECT count(*) FROM shifts s WHERE id = ANY(:ids) AND (SELECT count(*) FROM "
            "assignments a WHERE a.shift_id = s.id AND a.status = 'confirmed') > s.positions"),
            {"ids": shift_ids})
        twice = await conn.scalar(text(
            "SELECT count(*) FROM (SELECT shift_id, professional_id FROM assignments "
            "WHERE status = 'confirmed' GROUP BY 1, 2 HAVING count(*) > 1) d"))
        mismatched = await conn.scalar(text(
            "SELECT count(*) FROM shifts s WHERE id = ANY(:ids) AND assigned_count <> (SELECT "
            "count(*) FROM assignments a WHERE a.shift_id = s.id AND a.status = 'confirmed')"),
            {"ids": shift_ids})
        overlaps = await conn.scalar(text(
            "SELECT count(*) FROM assignments a JOIN assignments b ON a.professional_id = "
            "b.professional_id AND a.id < b.id AND a.status = 'confirmed' AND b.status = "
            "'confirmed' AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, "
            "b.ends_at)"))
    await engine.dispose()
    return {"positions_filled": int(filled or 0),
            "double_bookings": int((over or 0) + (twice or 0) + (mismatched or 0)),
            "overlaps": int(overlaps or 0)}


# -- the race -----------------------------------------------------------------------------


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


async def race(base: str, tokens: list[str], shift_ids: list[uuid.UUID],
               claims_each: int, concurrency: int = 0) -> dict[str, Any]:
    plan = []
    for k, token in enumerate(tokens):
        for c in range(claims_each):
            plan.append((token, shift_ids[(k + c) % len(shift_ids)]))
    limits = httpx.Limits(max_connections=len(plan), max_keepalive_connections=len(plan))
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as client:
        # Warm the server's connection pools and code paths (not timed, changes nothing).
        await asyncio.gather(*[client.get("/api/shifts?limit=1", headers={
            "Authorization": f"Bearer {t}"}) for t in tokens[:40]])
        gate = asyncio.Event()
        # 0 = every claim in flight at once; N = at most N in flight (latency under a load
        # the server can absorb, rather than time spent queueing behind 500 others).
        slots = asyncio.Semaphore(concurrency or len(plan))

        async def claim(token: str, shift_id: uuid.UUID) -> tuple[int, float]:
            await gate.wait()
            async with slots:
                return await timed_claim(token, shift_id)

        async def timed_claim(token: str, shift_id: uuid.UUID) -> tuple[int, float]:
            started = time.perf_counter()
            try:
                response = await client.post(f"/api/shifts/{shift_id}/claim",
                                             headers={"Authorization": f"Bearer {token}"})
                status = response.status_code
            except httpx.HTTPError:
                status = 0  # the connection failed: counted, not fatal
            return status, (time.perf_counter() - started) * 1000

        tasks = [asyncio.create_task(claim(t, s)) for t, s in plan]
        await asyncio.sleep(0.05)
        wall = time.perf_counter()
        gate.set()
        results = await asyncio.gather(*tasks)
        wall = time.perf_counter() - wall
    latencies = [ms for _, ms in results]
    codes: dict[str, int] = {}
    for status, _ in results:
        codes[str(status)] = codes.get(str(status), 0) + 1
    return {"attempts": len(plan), "winners": codes.get("201", 0),
            "http_5xx": sum(v for k, v in codes.items() if k.startswith("5")),
            "transport_errors": codes.get("0", 0),
            "status_counts": codes, "p50_ms": round(statistics.median(latencies), 1),
            "p99_ms": round(percentile(latencies, 99), 1),
            "max_ms": round(max(latencies), 1),
            "claims_per_s": round(len(plan) / wall, 1), "wall_s": round(wall, 3)}


async def run(base: str, database_url: str, args: argparse.Namespace) -> dict[str, Any]:
    from asta.core.security import issue_token

    people, shift_ids = await seed(database_url, args.professionals, args.positions,
                                   args.positions_per_shift)
    tokens = [issue_token(p, minutes=60) for p in people]
    result = await race(base, tokens, shift_ids, args.claims_per_professional, args.concurrency)
    checks = await verify(database_url, shift_ids)
    return {"professionals": args.professionals, "positions": args.positions,
            "concurrency": args.concurrency or result["attempts"],
            "shifts": len(shift_ids), **result, **checks,
            "winners_equal_positions": result["winners"] == args.positions == checks[
                "positions_filled"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--professionals", type=int, default=500)
    parser.add_argument("--positions", type=int, default=50)
    parser.add_argument("--positions-per-shift", type=int, default=5)
    parser.add_argument("--claims-per-professional", type=int, default=1,
                        help="2 also races each professional for two overlapping shifts")
    parser.add_argument("--start-server", action="store_true",
                        help="start an embedded PostgreSQL and uvicorn for the run")
    parser.add_argument("--server-workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=0,
                        help="claims in flight at once (default 0: all of them)")
    parser.add_argument("--pool-size", type=int, default=20)
    parser.add_argument("--url", help="a running server (with --database-url)")
    parser.add_argument("--database-url", help="the running server's database, for seeding")
    args = parser.parse_args(argv)
    print(json.dumps(against_server(parser, args, run, args.pool_size)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
