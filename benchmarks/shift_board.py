"""Time GET /api/shifts for professionals with a realistic national board; print JSON.

    python benchmarks/shift_board.py --start-server [--shifts 10000] [--professionals 5000]
    python benchmarks/shift_board.py --url http://127.0.0.1:8000 --database-url postgresql://...

Seeds (not timed) published shifts across 3 areas and 30 units with mixed professions,
languages, competences and visibility, and professionals with mixed profiles and
onboardings; then sends --requests board requests, one at a time, each as a randomly
chosen professional, and reports p50/p95/p99 in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from claim_race import (
    ROOT,
    against_server,
    percentile,
    seed_area,
    seed_people,
    shift_row,
)

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import create_async_engine

from asta.core.db import async_url

PROFESSIONS = ["doctor"] * 5 + ["nurse"] * 4 + ["physiotherapist"]
COMPETENCES = ["triage", "remote_consultation", "als", "paediatrics", "mental_health"]
LEVELS = ["basic", "professional", "fluent", "native"]


async def seed(database_url: str, n_shifts: int, n_people: int,
               rng: random.Random) -> list[uuid.UUID]:
    from asta.accounts.models import Unit
    from asta.marketplace.models import Shift
    from asta.profiles.models import UnitOnboarding

    engine = create_async_engine(async_url(database_url))
    async with engine.begin() as conn:
        areas = [await seed_area(conn, f"Area {k}") for k in range(3)]
        units: list[tuple[uuid.UUID, uuid.UUID]] = []
        for org, first_unit in areas:
            units.append((org, first_unit))
            for _ in range(9):
                unit = uuid.uuid4()
                await conn.execute(insert(Unit.__table__).values(  # type: ignore[attr-defined]
                    id=unit, organisation_id=org, name="Unit", description="",
                    is_remote=True, languages=["fi"], claim_mode="instant",
                    min_rest_hours=11, weekly_max_hours=48, cancellation_notice_hours=48,
                    created_at=datetime.now(UTC), rate_card={}))
                units.append((org, unit))
        now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        rows = []
        for _ in range(n_shifts):
            org, unit = rng.choice(units)
            languages = {"sv": rng.choice(LEVELS[:3])} if rng.random() < 0.2 else {}
            rows.append(shift_row(
                org, unit, now + timedelta(hours=rng.randint(2, 60 * 24)),
                rng.choice([4, 6, 8, 12]), rng.randint(1, 3),
                profession=rng.choice(PROFESSIONS),
                required_competences=rng.sample(COMPETENCES, rng.choice([0, 0, 1, 2])),
                required_languages=languages,
                language_tokens=sorted(f"{c}:{lv}" for c, lv in languages.items()),
                onboarding_required=rng.random() < 0.3,
                visibility=rng.choice(["national"] * 10 + ["area"] * 7 + ["unit"] * 3),
                is_remote=rng.random() < 0.7))
        for k in range(0, len(rows), 2000):
            await conn.execute(insert(Shift.__table__), rows[k:k + 2000])  # type: ignore[attr-defined]

        def profile(_: int) -> dict[str, Any]:
            langs = [{"code": "fi", "level": "native"}]
            if rng.random() < 0.3:
                langs.append({"code": "sv", "level": rng.choice(LEVELS)})
            return {"profession": rng.choice(PROFESSIONS), "languages": langs,
                    "competences": rng.sample(COMPETENCES, rng.randint(0, 4)),
                    "registration_status": "verified" if rng.random() < 0.9 else "unverified"}

        people = await seed_people(conn, n_people, extra=profile)
        onboardings = [{"user_id": p, "unit_id": unit, "completed_at": now}
                       for p in people for _, unit in rng.sample(units, rng.randint(0, 3))]
        if onboardings:
            await conn.execute(insert(UnitOnboarding.__table__), onboardings)  # type: ignore[attr-defined]
        await conn.execute(text("ANALYZE"))
    await engine.dispose()
    return people


async def measure(base: str, tokens: list[str], requests: int,
                  rng: random.Random) -> dict[str, Any]:
    latencies: list[float] = []
    items: list[int] = []
    statuses: dict[str, int] = {}
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        for token in tokens[:20]:  # warm-up, not timed
            await client.get("/api/shifts", headers={"Authorization": f"Bearer {token}"})
        for _ in range(requests):
            token = rng.choice(tokens)
            started = time.perf_counter()
            response = await client.get("/api/shifts?limit=50",
                                        headers={"Authorization": f"Bearer {token}"})
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[str(response.status_code)] = statuses.get(str(response.status_code), 0) + 1
            if response.status_code == 200:
                items.append(response.json()["total"])
    return {"requests": requests, "status_counts": statuses,
            "p50_ms": round(statistics.median(latencies), 1),
            "p95_ms": round(percentile(latencies, 95), 1),
            "p99_ms": round(percentile(latencies, 99), 1),
            "mean_eligible_shifts": round(statistics.mean(items), 1) if items else 0}


async def run(base: str, database_url: str, args: argparse.Namespace) -> dict[str, Any]:
    from asta.core.security import issue_token

    rng = random.Random(args.seed)
    people = await seed(database_url, args.shifts, args.professionals, rng)
    tokens = [issue_token(p, minutes=60) for p in people]
    return {"shifts": args.shifts, "professionals": args.professionals,
            **await measure(base, tokens, args.requests, rng)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shifts", type=int, default=10_000)
    parser.add_argument("--professionals", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start-server", action="store_true")
    parser.add_argument("--server-workers", type=int, default=1)
    parser.add_argument("--url")
    parser.add_argument("--database-url")
    args = parser.parse_args(argv)
    print(json.dumps(against_server(parser, args, run, pool_size=20)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
