"""Server render time of each page, with the demo data, in milliseconds.

    python benchmarks/pages.py [--rounds N] [--json]

Starts its own embedded PostgreSQL in a temporary directory, seeds the demo data, and
requests each page in-process (no network), as each role, in Finnish. Prints p50 and p95 per
page; the target is p95 < 150 ms. The packaging preview's result (a POST that runs CP-SAT
for up to its 5 s limit) is not timed here: the solver, not rendering, bounds it.
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
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("ASTA_FAST_PASSWORD_HASHING", "1")

import logging  # noqa: E402

import httpx  # noqa: E402
from sqlalchemy import select  # noqa: E402

from asta import runtime  # noqa: E402
from asta.accounts.models import Unit, User  # noqa: E402
from asta.core.config import get_settings  # noqa: E402
from asta.core.db import unit_of_work  # noqa: E402
from asta.core.embedded_pg import EmbeddedPostgres  # noqa: E402
from asta.core.security import issue_token  # noqa: E402

TARGET_P95_MS = 150.0
ROLES = {
    "professional": "doctor1@asta.demo",
    "scheduler": "scheduler.kymenlaakso@asta.demo",
    "area admin": "admin.kymenlaakso@asta.demo",
}


async def _pages() -> list[tuple[str, str, str]]:
    async with unit_of_work() as session:
        unit = await session.scalar(select(Unit).where(Unit.name == "Kaiku24 remote reception"))
        pro = await session.scalar(select(User).where(User.email == "doctor1@asta.demo"))
    assert unit is not None and pro is not None
    return [
        ("anonymous", "sign-in", "/sign-in"),
        ("professional", "home", "/home"),
        ("professional", "profile", "/profile"),
        ("professional", "onboarding", "/onboarding"),
        ("professional", "shift board", "/shifts?show_all=true"),
        ("professional", "my shifts", "/my-shifts"),
        ("scheduler", "home", "/home"),
        ("scheduler", "pool", "/pool"),
        ("scheduler", "pool filtered", "/pool?language=sv&min_language_level=fluent"),
        ("scheduler", "pool (htmx)", "/pool?profession=doctor"),
        ("scheduler", "professional", f"/pool/{pro.id}"),
        ("scheduler", "units", "/units"),
        ("scheduler", "unit", f"/units/{unit.id}"),
        ("scheduler", "onboarding record", f"/units/{unit.id}/onboarding/{pro.id}"),
        ("scheduler", "post demand", "/demand"),
        ("scheduler", "packaging form", "/demand/packaging"),
        ("scheduler", "fill board", f"/fill-board?unit_id={unit.id}"),
        ("scheduler", "fill board (all)", "/fill-board"),
        ("scheduler", "matching runs", "/matching-runs"),
        ("scheduler", "timesheets", "/timesheets"),
        ("scheduler", "on duty", "/on-duty"),
        ("professional", "worked shifts", "/my-shifts/worked"),
        ("professional", "earnings", "/earnings"),
        ("professional", "surveys", "/surveys"),
        ("area admin", "home (chart)", "/home"),
        ("area admin", "dashboard", "/dashboard"),
        ("area admin", "dashboard (unit)", f"/dashboard?unit_id={unit.id}"),
    ]


async def _cookies() -> dict[str, dict[str, str]]:
    jars: dict[str, dict[str, str]] = {"anonymous": {}}
    async with unit_of_work() as session:
        for role, email in ROLES.items():
            user = await session.scalar(select(User).where(User.email == email))
            assert user is not None, f"demo user {email} is missing"
            jars[role] = {"asta_session": issue_token(user.id, kind="session", second_factor=True),
                          "asta_locale": "fi"}
    return jars


async def measure(rounds: int) -> list[dict[str, Any]]:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    from asta.app import create_app
    from asta.demo import seed

    await seed()
    app = create_app()
    jars = await _cookies()
    results = []
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://asta.bench") as client:
        for role, name, path in await _pages():
            headers = {"HX-Request": "true"} if "(htmx)" in name else {}
            timings = []
            for i in range(rounds + 3):
                client.cookies.clear()
                for key, value in jars[role].items():
                    client.cookies.set(key, value)
                started = time.perf_counter()
                response = await client.get(path, headers=headers)
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, (path, response.status_code)
                if i >= 3:  # the first requests warm caches and the connection pool
                    timings.append(elapsed)
            timings.sort()
            results.append({
                "role": role, "page": name, "path": path.split("?")[0],
                "p50_ms": round(statistics.median(timings), 1),
                "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
                "bytes": len(response.content)})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="asta-bench-pages-"))
    data_dir.chmod(0o755)  # as root, PostgreSQL runs as `postgres` and must enter it
    server = EmbeddedPostgres(data_dir)
    try:
        url = server.start()
        runtime.migrate(url)
        runtime.prepare(get_settings(), url)
        results = asyncio.run(measure(args.rounds))
    finally:
        server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'role':<13} {'page':<20} {'p50 ms':>8} {'p95 ms':>8}  {'KiB':>5}")
    for r in results:
        mark = "" if r["p95_ms"] < TARGET_P95_MS else "  over target"
        print(f"{r['role']:<13} {r['page']:<20} {r['p50_ms']:>8} {r['p95_ms']:>8}  "
              f"{r['bytes'] / 1024:>5.1f}{mark}")
    worst = max(r["p95_ms"] for r in results)
    print(f"worst p95: {worst} ms (target < {TARGET_P95_MS:g} ms)")


if __name__ == "__main__":
    main()
