"""500 doctors rush 50 positions: saturation, a Poisson burst and all at once; print JSON.

    python benchmarks/claim_load.py [--server-workers 2] [--profile-dir DIR]

One command, a few minutes: starts an embedded PostgreSQL and `asta serve --workers N
--no-worker` on it, then runs, each on fresh doctors and shifts (10 shifts x 5 positions):

- generator ceiling: the load generator's own closed-loop rate against a static file on the
  same server (if claims come close to it, the generator is what was measured);
- pgbench ceiling: PostgreSQL alone running the claim's transaction shape (the shift's
  SELECT ... FOR UPDATE and the writes) on as many shift rows, with as many clients as the
  API processes' pools hold;
- saturation: closed loop, `--clients` claims in flight until all 500 are answered;
- poisson: 500 claims arriving within 2 s (exponential gaps; open loop: latency counts from
  each claim's scheduled time, so a slow server cannot slow the arrivals down);
- burst: all 500 sent at the same moment; the last answer against 1.3 x 500 / saturation.

The generator is open loop and runs in `--generator-processes` processes, each an asyncio
loop (uvloop) with a minimal HTTP/1.1 client over connections opened and warmed before the
clock starts (a doctor's phone has its own connection; the burst of TCP handshakes is not
what is measured). Every scenario checks winners = positions, 0 double bookings, 0 overlaps,
0 5xx. `--profile-dir` runs py-spy on each API process during the burst (install py-spy first).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

import psycopg2  # noqa: E402
from claim_race import _free_port, percentile, seed, verify  # noqa: E402
from serving import wait_until_serving  # noqa: E402

from asta.core.db import libpq_url  # noqa: E402

STATIC = "/static/web/favicon.svg"

# -- the generator: one process's share of the requests ---------------------------------------


async def _open(host: str, port: int, n: int) -> list[tuple[Any, Any]]:
    conns = []
    for _ in range(n):
        conns.append(await asyncio.open_connection(host, port))
    return conns


async def _request(conn: tuple[Any, Any], method: str, path: str, token: str | None,
                   host: str) -> int:
    reader, writer = conn
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    body = "Content-Length: 0\r\n" if method == "POST" else ""
    writer.write(f"{method} {path} HTTP/1.1\r\nHost: {host}\r\n{auth}{body}\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    if length:
        await reader.readexactly(length)
    return status


async def _run_share(host: str, port: int, plan: list[tuple[float, str, str, str | None]],
                     mode: str, clients: int, start_at: float,
                     duration: float) -> list[tuple[int, float, float]]:
    """Results (status, latency ms, answered at) of `plan` = [(offset s, method, path, token)].

    mode "open": each request is sent at start_at + offset on its own connection;
    mode "closed": `clients` connections each send the next request when answered,
    until the plan runs out (or `duration` passes, with the plan taken round and round)."""
    loop = asyncio.get_running_loop()
    n_conns = len(plan) if mode == "open" else clients
    conns = await _open(host, port, n_conns)
    await asyncio.gather(*[_request(c, "GET", STATIC, None, host) for c in conns])  # warm
    results: list[tuple[int, float, float]] = []
    wall_start = start_at - time.time() + loop.time()

    async def one(conn: tuple[Any, Any], scheduled: float, method: str, path: str,
                  token: str | None) -> None:
        try:
            status = await _request(conn, method, path, token, host)
        except (OSError, asyncio.IncompleteReadError):
            status = 0
        done = loop.time()
        results.append((status, (done - scheduled) * 1000, done - wall_start))

    await asyncio.sleep(max(0.0, wall_start - loop.time()))
    if mode == "open":
        tasks = []
        for conn, (offset, method, path, token) in zip(conns, plan, strict=True):
            at = wall_start + offset
            await asyncio.sleep(max(0.0, at - loop.time()))
            tasks.append(asyncio.create_task(one(conn, at, method, path, token)))
        await asyncio.gather(*tasks)
    else:
        queue = iter(plan) if duration <= 0 else _cycle(plan)
        end = wall_start + duration

        async def client(conn: tuple[Any, Any]) -> None:
            for _offset, method, path, token in queue:
                if duration > 0 and loop.time() > end:
                    return
                await one(conn, loop.time(), method, path, token)

        await asyncio.gather(*[client(c) for c in conns])
    for _, writer in conns:
        writer.close()
    return results


def _cycle(plan: list[Any]) -> Iterator[Any]:
    while plan:
        yield from plan


def _share_main(args: tuple[Any, ...]) -> list[tuple[int, float, float]]:
    try:
        import uvloop
        uvloop.install()
    except ImportError:
        pass
    return asyncio.run(_run_share(*args))


def generate(base: str, plan: list[tuple[float, str, str, str | None]], *, mode: str,
             processes: int, clients: int = 0, duration: float = 0,
             on_start: Callable[[], None] = lambda: None) -> dict[str, Any]:
    """Split `plan` over `processes` generator processes; start them on one clock.

    `on_start` runs when the clock starts, after the connections were opened and warmed."""
    host, port = base.removeprefix("http://").split(":")
    start_at = time.time() + 1.0 + len(plan) / 2000  # after every connection is open
    shares = [plan[k::processes] for k in range(processes)]
    per = max(1, clients // processes)
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(processes) as pool:
        running = pool.map_async(_share_main, [(host, int(port), s, mode, per, start_at,
                                                duration) for s in shares])
        time.sleep(max(0.0, start_at - time.time()))
        on_start()
        parts = running.get()
    results = [r for part in parts for r in part]
    latencies = [ms for _, ms, _ in results]
    last = max(at for _, _, at in results)
    codes: dict[str, int] = {}
    for status, _, _ in results:
        codes[str(status)] = codes.get(str(status), 0) + 1
    return {"requests": len(results), "status_counts": codes,
            "http_5xx": sum(v for k, v in codes.items() if k.startswith("5")),
            "transport_errors": codes.get("0", 0),
            "p50_ms": round(percentile(latencies, 50), 1),
            "p99_ms": round(percentile(latencies, 99), 1),
            "max_ms": round(max(latencies), 1), "last_answer_s": round(last, 3),
            "per_s": round(len(results) / last, 1),
            # Where the tail is: the won claims (which write and may wait for the shift's
            # row) or the refused ones (one read).
            "p99_ms_by_status": {code: round(percentile(
                [ms for status, ms, _ in results if str(status) == code], 99), 1)
                for code in codes}}


# -- CPU time of a process tree (a figure the other users of a shared machine barely move) -----

_TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: str) -> tuple[int, float] | None:
    """(parent pid, CPU s of the process and of its children it has reaped)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None  # gone meanwhile
    return int(fields[1]), sum(int(f) for f in fields[11:15]) / _TICK


def tree_cpu_s(roots: list[int]) -> float:
    """utime + stime of each root and all its live descendants, plus what they reaped: a
    backend or worker that exits leaves its time in its parent's cutime/cstime."""
    stats = {int(pid): st for pid in os.listdir("/proc") if pid.isdigit()
             if (st := _stat(pid)) is not None}
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in stats.items():
        children.setdefault(ppid, []).append(pid)
    total, todo, seen = 0.0, list(roots), set()
    while todo:
        pid = todo.pop()
        if pid in seen or pid not in stats:
            continue
        seen.add(pid)
        total += stats[pid][1]
        todo += children.get(pid, [])
    return total


# -- the server and PostgreSQL ------------------------------------------------------------------


@contextmanager
def asta_serve(workers: int) -> Iterator[tuple[str, str, list[int], dict[str, int]]]:
    """(base URL, database URL, API process pids, root pids of "api" and "postgres"):
    `asta serve --workers N` on its own embedded PostgreSQL (the database started here, so
    its URL is known for seeding)."""
    from asta.core.embedded_pg import EmbeddedPostgres

    data_dir = Path(tempfile.mkdtemp(prefix="asta-claims-"))
    data_dir.chmod(0o755)
    pg = EmbeddedPostgres(data_dir, extra_options=(
        "-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"))
    url = pg.start()
    port = _free_port()
    env = {**os.environ, "ASTA_DATABASE_URL": url, "ASTA_DATA_DIR": str(data_dir / "asta"),
           "ASTA_SMTP_PORT": "9", "ASTA_LOG_LEVEL": "warning",
           "ASTA_SECRET_KEY": os.environ["ASTA_SECRET_KEY"]}
    log = (data_dir / "serve.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "asta.cli", "serve", "--port", str(port),
                                "--workers", str(workers), "--no-worker"], env=env, cwd=ROOT,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(process, f"{base}/health", data_dir / "serve.log", timeout_s=300,
                           interval_s=0.3)
        children = [int(p) for p in subprocess.run(
            ["pgrep", "-P", str(process.pid), "-f", "spawn_main"], capture_output=True,
            text=True).stdout.split()] or [process.pid]
        postmaster = int((pg.pgdata / "postmaster.pid").read_text().split()[0])
        yield base, url, children, {"api": process.pid, "postgres": postmaster}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
        pg.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


PGBENCH_SETUP = """
DROP SCHEMA IF EXISTS pgbench_claims CASCADE;
CREATE SCHEMA pgbench_claims;
CREATE TABLE pgbench_claims.shifts (id int PRIMARY KEY, positions int, assigned_count int,
  status text, updated_at timestamptz);
INSERT INTO pgbench_claims.shifts SELECT g, 1000000000, 0, 'published', now()
  FROM generate_series(1, {shifts}) g;
CREATE TABLE pgbench_claims.assignments (id bigserial PRIMARY KEY, shift_id int,
  professional int, status text, starts_at timestamptz, ends_at timestamptz);
CREATE TABLE pgbench_claims.audit (id bigserial PRIMARY KEY, actor int, action text,
  after jsonb, at timestamptz);
CREATE TABLE pgbench_claims.notices (id bigserial PRIMARY KEY, recipient int, kind text,
  payload jsonb, due_at timestamptz);
"""

# The claim's writes, as asta.marketplace.services.claims.claim issues them: audit and notice
# first, then the shift's row lock, the assignment and the shift's counter.
PGBENCH_SCRIPT = """\\set s random(1, {shifts})
\\set p random(1, 1000000)
BEGIN;
INSERT INTO pgbench_claims.audit (actor, action, after, at)
  VALUES (:p, 'claim', '{{"s": 1}}', now());
INSERT INTO pgbench_claims.notices (recipient, kind, payload, due_at)
  VALUES (:p, 'assigned', '{{"s": 1}}', now());
SELECT positions, assigned_count, status FROM pgbench_claims.shifts WHERE id = :s FOR UPDATE;
INSERT INTO pgbench_claims.assignments (shift_id, professional, status, starts_at, ends_at)
  VALUES (:s, :p, 'confirmed', now(), now() + interval '8 hours');
UPDATE pgbench_claims.shifts SET assigned_count = assigned_count + 1, updated_at = now()
  WHERE id = :s;
END;
"""


def pgbench_ceiling(database_url: str, *, shifts: int, clients: int, seconds: int) -> dict[str, Any]:
    from asta.core.embedded_pg import _find_bin

    url = libpq_url(database_url)
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(PGBENCH_SETUP.format(shifts=shifts))
    connection.close()
    script = Path(tempfile.mkstemp(suffix=".sql")[1])
    script.write_text(PGBENCH_SCRIPT.format(shifts=shifts))
    out = subprocess.run([_find_bin("pgbench"), "-n", "-f", str(script), "-c", str(clients),
                          "-j", "2", "-T", str(seconds), "-M", "prepared", url],
                         capture_output=True, text=True, check=True).stdout
    script.unlink()
    tps = next(float(line.split("=")[1].split()[0]) for line in out.splitlines()
               if line.startswith("tps"))
    latency = next((float(line.split("=")[1].split()[0]) for line in out.splitlines()
                    if line.startswith("latency average")), 0.0)
    return {"claims_per_s": round(tps, 1), "clients": clients, "shift_rows": shifts,
            "avg_latency_ms": latency, "seconds": seconds}


def pool_total(base_log_workers: int, database_url: str) -> int:
    from asta.core.pool_budget import pool_for

    with psycopg2.connect(libpq_url(database_url)) as connection, connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        row = cursor.fetchone()
    connection.close()
    assert row is not None
    return pool_for(int(row[0]), base_log_workers).pool_size * base_log_workers


# -- scenarios -----------------------------------------------------------------------------------


async def _fresh_race(database_url: str, args: argparse.Namespace) -> tuple[list[str], list[Any]]:
    from asta.core.security import issue_token

    people, shift_ids = await seed(database_url, args.professionals, args.positions,
                                   args.positions_per_shift)
    return [issue_token(p, minutes=60) for p in people], shift_ids


def claim_plan(tokens: list[str], shift_ids: list[Any],
               offsets: list[float]) -> list[tuple[float, str, str, str | None]]:
    return [(offsets[k], "POST", f"/api/shifts/{shift_ids[k % len(shift_ids)]}/claim", t)
            for k, t in enumerate(tokens)]


def scenario(base: str, database_url: str, args: argparse.Namespace, name: str,
             rng: random.Random, roots: dict[str, int]) -> dict[str, Any]:
    tokens, shift_ids = asyncio.run(_fresh_race(database_url, args))
    n = len(tokens)
    before: dict[str, float] = {}

    def started() -> None:  # the warm-up requests (a static file each) are not counted
        before.update({k: tree_cpu_s([pid]) for k, pid in roots.items()})

    if name == "saturation":
        figures = generate(base, claim_plan(tokens, shift_ids, [0.0] * n), mode="closed",
                           processes=args.generator_processes, clients=args.clients,
                           on_start=started)
    elif name == "poisson":
        gaps = [rng.expovariate(n / args.poisson_seconds) for _ in range(n)]
        scale = min(1.0, args.poisson_seconds / sum(gaps))  # all arrive within the window
        offsets, at = [], 0.0
        for gap in gaps:
            at += gap * scale
            offsets.append(at)
        figures = generate(base, claim_plan(tokens, shift_ids, offsets), mode="open",
                           processes=args.generator_processes, on_start=started)
    else:
        figures = generate(base, claim_plan(tokens, shift_ids, [0.0] * n), mode="open",
                           processes=args.generator_processes, on_start=started)
    cpu = {k: tree_cpu_s([pid]) - before[k] for k, pid in roots.items()}
    answered = max(1, figures["requests"] - figures["transport_errors"])
    checks = asyncio.run(verify(database_url, shift_ids))
    winners = figures["status_counts"].get("201", 0)
    return {**figures, "winners": winners, **checks,
            # CPU per answered claim: what a claim costs, whoever else shares the machine.
            "api_cpu_ms_per_claim": round(1000 * cpu["api"] / answered, 2),
            "postgres_cpu_ms_per_claim": round(1000 * cpu["postgres"] / answered, 2),
            "api_cpu_s": round(cpu["api"], 2), "postgres_cpu_s": round(cpu["postgres"], 2),
            "correct": (winners == args.positions == checks["positions_filled"]
                        and checks["double_bookings"] == 0 and checks["overlaps"] == 0
                        and figures["http_5xx"] == 0 and figures["transport_errors"] == 0)}


def reset_statements(database_url: str) -> None:
    with psycopg2.connect(libpq_url(database_url)) as connection, connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        cursor.execute("SELECT pg_stat_statements_reset()")
    connection.close()


def top_statements(database_url: str, n: int = 8) -> list[dict[str, Any]]:
    """pg_stat_statements since the reset: where PostgreSQL's time went in the burst."""
    with psycopg2.connect(libpq_url(database_url)) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT calls, round(total_exec_time::numeric, 1), "
                       "round(mean_exec_time::numeric, 3), left(regexp_replace(query, "
                       "'\\s+', ' ', 'g'), 120) FROM pg_stat_statements "
                       "WHERE query NOT ILIKE '%%pg_stat%%' ORDER BY total_exec_time DESC LIMIT %s",
                       (n,))
        rows = cursor.fetchall()
    connection.close()
    return [{"calls": r[0], "total_ms": float(r[1]), "mean_ms": float(r[2]), "query": r[3]}
            for r in rows]


@contextmanager
def lock_waits(database_url: str) -> Iterator[dict[str, Any]]:
    """Samples pg_stat_activity every 50 ms: how many backends wait, and on what."""
    import threading

    found: dict[str, Any] = {"samples": 0, "max_waiting_on_locks": 0, "waits": {}}
    stop = threading.Event()

    def sample() -> None:
        connection = psycopg2.connect(libpq_url(database_url))
        connection.autocommit = True
        with connection.cursor() as cursor:
            while not stop.wait(0.05):
                cursor.execute("SELECT wait_event_type, wait_event, count(*) FROM "
                               "pg_stat_activity WHERE state = 'active' AND backend_type = "
                               "'client backend' AND pid <> pg_backend_pid() GROUP BY 1, 2")
                locks = 0
                for kind, event, count in cursor.fetchall():
                    key = f"{kind or 'CPU'}:{event or '-'}"
                    found["waits"][key] = found["waits"].get(key, 0) + count
                    locks += count if kind == "Lock" else 0
                found["samples"] += 1
                found["max_waiting_on_locks"] = max(found["max_waiting_on_locks"], locks)
        connection.close()

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        stop.set()
        thread.join()


@contextmanager
def profiling(pids: list[int], directory: Path | None, seconds: int) -> Iterator[None]:
    if directory is None:
        yield
        return
    directory.mkdir(parents=True, exist_ok=True)
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    procs = [subprocess.Popen([spy, "record", "--pid", str(pid), "--duration", str(seconds),
                               "--format", "raw", "--rate", "250", "--output",
                               str(directory / f"api-{pid}.txt"), "--nonblocking"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for pid in pids]
    time.sleep(1.0)  # py-spy attaches
    try:
        yield
    finally:
        for proc in procs:
            try:
                proc.wait(timeout=seconds + 30)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGINT)  # py-spy writes what it has and exits
                proc.wait(timeout=30)


def progress(figures: dict[str, Any]) -> None:
    """Each scenario's figures on stderr as they come, in case a later one fails."""
    print(json.dumps(figures), file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--professionals", type=int, default=500)
    parser.add_argument("--positions", type=int, default=50)
    parser.add_argument("--positions-per-shift", type=int, default=5)
    parser.add_argument("--server-workers", type=int, default=2)
    parser.add_argument("--generator-processes", type=int, default=2)
    parser.add_argument("--clients", type=int, default=64, help="in flight, saturation")
    parser.add_argument("--poisson-seconds", type=float, default=2.0)
    parser.add_argument("--pgbench-seconds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile-dir", type=Path, help="py-spy raw profiles of the burst")
    args = parser.parse_args(argv)
    os.environ.setdefault("ASTA_SECRET_KEY", secrets.token_urlsafe(32))
    rng = random.Random(args.seed)
    report: dict[str, Any] = {"load_average": os.getloadavg(), "cores": os.cpu_count(),
                              "server_workers": args.server_workers,
                              "generator_processes": args.generator_processes}
    with asta_serve(args.server_workers) as (base, url, pids, roots):
        static = [(0.0, "GET", STATIC, None)] * args.generator_processes
        report["generator_ceiling"] = generate(base, static, mode="closed",
                                               processes=args.generator_processes,
                                               clients=args.clients, duration=3.0)
        sat = scenario(base, url, args, "saturation", rng, roots)
        report["saturation"] = sat
        progress({"saturation": sat})
        report["poisson"] = scenario(base, url, args, "poisson", rng, roots)
        progress({"poisson": report["poisson"]})
        reset_statements(url)
        with profiling(pids, args.profile_dir, seconds=8), lock_waits(url) as waits:
            burst = scenario(base, url, args, "burst", rng, roots)
        report["burst_postgres"] = {"active_backends_by_wait": waits,
                                    "top_statements": top_statements(url)}
        allowed = 1.3 * args.professionals / sat["per_s"]
        report["burst"] = {**burst, "allowed_last_answer_s": round(allowed, 3),
                           "within_1_3x": burst["last_answer_s"] <= allowed}
        # Last: its writes leave PostgreSQL vacuuming and checkpointing for a while, which
        # would count as the claims' CPU in a scenario after it.
        report["pgbench_ceiling"] = pgbench_ceiling(
            url, shifts=-(-args.positions // args.positions_per_shift),
            clients=pool_total(args.server_workers, url), seconds=args.pgbench_seconds)
        sat.update(claims_per_s=sat["per_s"], share_of_pgbench=round(
            sat["per_s"] / report["pgbench_ceiling"]["claims_per_s"], 3))
    report["load_average_after"] = os.getloadavg()
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
