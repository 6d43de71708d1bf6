"""Time the metrics summary on an area with 100,000 completed shifts; prints JSON.

    python benchmarks/metrics.py [--shifts 100000] [--runs 15] [--database-url URL]

Without --database-url (or ASTA_DATABASE_URL) a private PostgreSQL is started in a temporary
directory and removed afterwards. History is generated inside PostgreSQL with
INSERT ... SELECT generate_series, so seeding 100,000 shifts takes seconds, not minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from asta import runtime  # noqa: E402
from asta.accounts.models import Role  # noqa: E402
from asta.core import db  # noqa: E402
from asta.core.auth import Grant, Principal  # noqa: E402
from asta.core.embedded_pg import EmbeddedPostgres  # noqa: E402
from asta.metrics import services  # noqa: E402
from asta.metrics.services import MetricsQuery  # noqa: E402
from asta.metrics.time import local_midnight  # noqa: E402

PROFESSIONALS = 600
UNITS = 4
FIRST, LAST = date(2025, 1, 1), date(2025, 12, 31)

# One area, four units, 600 professionals; shift g starts on day g / per_day at 08:00 and is
# worked by professional g % per_day, so nobody holds two overlapping shifts.
SEED_SQL = [
    """INSERT INTO organisations (id, name, slug, settings, created_at)
       VALUES (:org, 'Benchmark area', 'benchmark-' || left(:tag, 8), '{}', now())""",
    """INSERT INTO units (id, organisation_id, name, description, is_remote, languages,
                          claim_mode, min_rest_hours, weekly_max_hours,
                          cancellation_notice_hours, rate_card, created_at)
       SELECT md5(:tag || 'unit' || u)::uuid, :org, 'Unit ' || u, '', true, '{fi}',
              'instant', 11, 48, 48, '{}', now()
       FROM generate_series(0, :units - 1) u""",
    """INSERT INTO users (id, email, full_name, locale, is_active, created_at)
       SELECT md5(:tag || 'pro' || p)::uuid, 'bench' || p || '-' || left(:tag, 8)
              || '@asta.bench', 'Professional ' || p, 'fi', true, now() - interval '2 years'
       FROM generate_series(0, :pros - 1) p""",
    """INSERT INTO role_assignments (id, user_id, role, created_at)
       SELECT gen_random_uuid(), md5(:tag || 'pro' || p)::uuid, 'professional', now()
       FROM generate_series(0, :pros - 1) p""",
    """INSERT INTO professional_profiles (user_id, profession, registration_status, bio,
                                         remote_only, updated_at)
       SELECT md5(:tag || 'pro' || p)::uuid, 'doctor',
              CASE WHEN p % 10 = 7 THEN 'unverified' ELSE 'verified' END, '', false, now()
       FROM generate_series(0, :pros - 1) p""",
    """INSERT INTO shifts (id, unit_id, organisation_id, starts_at, ends_at, profession,
                           positions, assigned_count, offered_count, onboarding_required,
                           is_remote, description, visibility, status, break_minutes,
                           base_hourly_cents, pay_total_cents, sequence, created_at,
                           updated_at, published_at, matched_at)
       SELECT md5(:tag || 'shift' || g)::uuid,
              md5(:tag || 'unit' || (g % :units))::uuid, :org, s, s + interval '8 hours',
              'doctor', 1, 1, 0, false, true, '', 'area', 'approved', 30, 9500, 71250, 0,
              s - interval '5 days', s, s - interval '5 days', s - interval '5 days'
       FROM (SELECT g, CAST(:first AS timestamptz) + (g / :per_day) * interval '1 day'
                       + interval '6 hours' AS s
             FROM generate_series(0, :shifts - 1) g) x""",
    """INSERT INTO assignments (id, shift_id, professional_id, unit_id, starts_at, ends_at,
                                status, created_at, late_cancellation)
       SELECT md5(:tag || 'assignment' || g)::uuid, md5(:tag || 'shift' || g)::uuid,
              md5(:tag || 'pro' || (g % :per_day))::uuid,
              md5(:tag || 'unit' || (g % :units))::uuid, s, s + interval '8 hours',
              'confirmed', s - interval '5 days' + (g % 97) * interval '1 hour', false
       FROM (SELECT g, CAST(:first AS timestamptz) + (g / :per_day) * interval '1 day'
                       + interval '6 hours' AS s
             FROM generate_series(0, :shifts - 1) g) x""",
    # Every 50th shift also had a taker who cancelled late (another professional).
    """INSERT INTO assignments (id, shift_id, professional_id, unit_id, starts_at, ends_at,
                                status, created_at, late_cancellation)
       SELECT md5(:tag || 'cancel' || g)::uuid, md5(:tag || 'shift' || g)::uuid,
              md5(:tag || 'pro' || (:pros - 1 - g % 50))::uuid,
              md5(:tag || 'unit' || (g % :units))::uuid, s, s + interval '8 hours',
              'cancelled', s - interval '4 days', true
       FROM (SELECT g, CAST(:first AS timestamptz) + (g / :per_day) * interval '1 day'
                       + interval '6 hours' AS s
             FROM generate_series(0, :shifts - 1, 50) g) x""",
    """INSERT INTO timesheets (assignment_id, shift_id, professional_id, actual_start,
                               actual_end, break_minutes, contacts_handled, resolved_remotely,
                               referred_to_health_station, notes, status, submitted_at,
                               approved_at, corrected, pay_total_cents, pay_breakdown)
       SELECT a.id, a.shift_id, a.professional_id, a.starts_at, a.ends_at, 30,
              20 + (h % 15), 12 + (h % 8), 2 + (h % 3), '', 'approved', a.ends_at,
              a.ends_at + interval '1 day', false, 71250, '{}'
       FROM (SELECT a.*, abs(hashtext(a.id::text)) AS h FROM assignments a
             JOIN shifts s ON s.id = a.shift_id
             WHERE s.organisation_id = :org AND a.status = 'confirmed') a""",
    """INSERT INTO surveys (id, user_id, organisation_id, unit_id, asked_at, expires_at,
                            answered_at, score, satisfaction)
       SELECT gen_random_uuid(), md5(:tag || 'pro' || (g % :pros))::uuid, :org,
              md5(:tag || 'unit' || (g % :units))::uuid, t, t + interval '30 days',
              t + interval '2 days', (g * 7) % 11, 1 + (g % 5)
       FROM (SELECT g, CAST(:first AS timestamptz) + (g % 360) * interval '1 day' AS t
             FROM generate_series(0, :shifts / 20 - 1) g) x""",
    """INSERT INTO patient_feedback (id, unit_id, organisation_id, shift_id, score,
                                     answered_at, received_at)
       SELECT gen_random_uuid(), md5(:tag || 'unit' || (g % :units))::uuid, :org,
              md5(:tag || 'shift' || g)::uuid, (g * 3) % 11,
              CAST(:first AS timestamptz) + (g / :per_day) * interval '1 day' + interval '10 hours',
              now()
       FROM generate_series(0, :shifts - 1, 2) g""",
]


@contextmanager
def database(url: str | None) -> Iterator[str]:
    if url:
        runtime.migrate(url)
        yield url
        return
    data_dir = Path(tempfile.mkdtemp(prefix="asta-bench-pg-"))
    data_dir.chmod(0o755)
    server = EmbeddedPostgres(data_dir)
    started = server.start()
    try:
        runtime.migrate(started)
        yield started
    finally:
        server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


async def seed(organisation_id: uuid.UUID, shifts: int) -> float:
    per_day = max(1, -(-shifts // 365))
    if per_day > PROFESSIONALS - 50:
        raise SystemExit(f"at most {365 * (PROFESSIONALS - 50)} shifts fit the year")
    params = {"org": organisation_id, "tag": str(organisation_id), "units": UNITS,
              "pros": PROFESSIONALS, "shifts": shifts, "per_day": per_day,
              "first": local_midnight(FIRST)}
    began = time.perf_counter()
    async with db.unit_of_work() as session:
        for statement in SEED_SQL:
            used = {k: v for k, v in params.items() if f":{k}" in statement}
            await session.execute(text(statement), used)
        await session.execute(text("ANALYZE"))
    return time.perf_counter() - began


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


async def timed(runs: int, organisation_id: uuid.UUID, kind: str) -> list[float]:
    admin = Principal(uuid.uuid4(), "bench@asta.bench", "Bench", "fi",
                      (Grant(Role.AREA_ADMIN, organisation_id),))
    query = MetricsQuery(organisation_id, None, FIRST, LAST)
    times = []
    for _ in range(runs + 1):  # the first run warms caches and is not counted
        began = time.perf_counter()
        async with db.unit_of_work() as session:
            if kind == "summary":
                result = await services.summary(session, admin, query)
            else:
                result = await services.timeseries(session, admin, query, "week")  # type: ignore[assignment]
        times.append((time.perf_counter() - began) * 1000)
    assert result is not None
    return times[1:]


async def main_async(args: argparse.Namespace, url: str) -> dict[str, object]:
    db.configure(url)
    organisation_id = uuid.uuid4()
    seeded_s = await seed(organisation_id, args.shifts)
    report: dict[str, object] = {"shifts": args.shifts, "seed_s": round(seeded_s, 2),
                                 "runs": args.runs, "goal_ms": 500}
    for kind in ("summary", "timeseries_week"):
        times = await timed(args.runs, organisation_id, kind.split("_")[0])
        report[kind] = {"p50_ms": round(statistics.median(times), 1),
                        "p95_ms": round(percentile(times, 0.95), 1),
                        "max_ms": round(max(times), 1)}
    await db.disconnect()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shifts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--database-url", default=os.environ.get("ASTA_DATABASE_URL"))
    args = parser.parse_args()
    with database(args.database_url) as url:
        report = asyncio.run(main_async(args, url))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
