"""Fuzz the whole OpenAPI with schemathesis as a doctor, a scheduler and an area admin, and
count server errors (the goal: 0).

    python benchmarks/schemathesis_run.py --start-server [--max-examples 25] [--seed 1]
    python benchmarks/schemathesis_run.py --url http://127.0.0.1:8000   # a running `asta demo`

--start-server seeds the demo data into a fresh embedded PostgreSQL and serves it on a free
port. Tokens come from POST /api/auth/token (the admin's with a code from the demo
authenticator key). Two operations are left out because they end the very token the run
uses: POST /api/auth/sign-out and POST /api/me/erasure. Prints JSON; each role's failing
cases are in the report directory (schemathesis' JUnit and ndjson reports).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from asta.accounts import totp  # noqa: E402
from asta.core.clock import utcnow  # noqa: E402
from asta.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET  # noqa: E402
from benchmarks.serving import wait_until_serving  # noqa: E402

ROLES = {"doctor": "doctor1@asta.demo", "scheduler": "scheduler.kymenlaakso@asta.demo",
         "admin": "admin.kymenlaakso@asta.demo"}
EXCLUDED = ["/api/auth/sign-out", "/api/me/erasure"]
SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def demo_server() -> Iterator[str]:
    data = Path(tempfile.mkdtemp(prefix="asta-fuzz-"))
    data.chmod(0o755)  # as root, PostgreSQL runs as `postgres`, which must enter it
    env = {**os.environ, "ASTA_DATA_DIR": str(data),
           "ASTA_SECRET_KEY": os.environ.get("ASTA_SECRET_KEY", secrets.token_urlsafe(32))}
    env.pop("ASTA_DATABASE_URL", None)
    os.environ["ASTA_SECRET_KEY"] = env["ASTA_SECRET_KEY"]
    asta = [sys.executable, "-m", "asta.cli"]
    subprocess.run([*asta, "demo", "--seed-only"], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, timeout=900)
    port = _free_port()
    log = (data / "server.log").open("w")
    server = subprocess.Popen([*asta, "serve", "--port", str(port)], env=env, cwd=ROOT,
                              stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(server, f"{base}/health", data / "server.log", timeout_s=180)
        yield base
    finally:
        server.send_signal(signal.SIGINT)  # lets it stop its embedded PostgreSQL
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        errors = [line for line in (data / "server.log").read_text().splitlines()
                  if "Traceback" in line or " 500 " in line]
        if errors:
            print(f"server log: {len(errors)} error lines", file=sys.stderr)
        shutil.rmtree(data, ignore_errors=True)


def token(base: str, email: str) -> str:
    body: dict[str, str] = {"email": email, "password": DEMO_PASSWORD}
    if "admin" in email:
        body["totp_code"] = totp.code_at(DEMO_TOTP_SECRET, utcnow())
    answer = httpx.post(f"{base}/api/auth/token", json=body, timeout=30)
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def fuzz(base: str, role: str, bearer: str, args: argparse.Namespace,
         reports: Path) -> dict[str, Any]:
    command = [SCHEMATHESIS, "run", f"{base}/schema/openapi.json",
               "--header", f"Authorization: Bearer {bearer}",
               "--checks", "not_a_server_error", "--max-examples", str(args.max_examples),
               "--seed", str(args.seed), "--workers", str(args.workers),
               "--phases", args.phases, "--request-timeout", "30", "--no-shrink",
               *(["--max-time", str(args.max_time)] if args.max_time else []),
               "--report", "junit,ndjson", "--report-dir", str(reports / role),
               *[a for path in EXCLUDED for a in ("--exclude-path", path)]]
    shutil.rmtree(reports / role, ignore_errors=True)  # count this run's responses only
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1"}, check=False)
    (reports / f"{role}.txt").write_text(done.stdout + done.stderr)
    return {"role": role, "exit_code": done.returncode,
            "seconds": round(time.monotonic() - started, 1), **responses(reports / role)}


def responses(report_dir: Path) -> dict[str, Any]:
    """Every response schemathesis recorded (its ndjson report), counted by status, and each
    5xx with the request that caused it."""
    statuses: Counter[int] = Counter()
    errors: list[dict[str, Any]] = []
    for path in report_dir.glob("ndjson-*.ndjson"):
        for line in path.read_text().splitlines():
            finished = json.loads(line).get("ScenarioFinished")
            if not finished:
                continue
            for interaction in finished["recorder"].get("interactions", {}).values():
                response = interaction.get("response")
                if response is None:
                    continue
                statuses[response["status_code"]] += 1
                if response["status_code"] >= 500:
                    request = interaction["request"]
                    errors.append({"method": request["method"], "uri": request["uri"],
                                   "status": response["status_code"]})
    return {"requests": sum(statuses.values()),
            "by_status": dict(sorted(statuses.items())),
            "server_errors": sum(n for code, n in statuses.items() if code >= 500),
            "server_error_examples": errors[:20]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--start-server", action="store_true")
    parser.add_argument("--url", help="a running Asta with the demo data")
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--phases", default="examples,coverage,fuzzing")
    parser.add_argument("--max-time", type=int, default=0, help="seconds per role (0: none)")
    parser.add_argument("--reports", default="schemathesis-report")
    parser.add_argument("--roles", default=",".join(ROLES))
    args = parser.parse_args(argv)
    if not (args.start_server or args.url):
        parser.error("give --start-server or --url")
    reports = Path(args.reports).resolve()
    reports.mkdir(parents=True, exist_ok=True)

    def run(base: str) -> list[dict[str, Any]]:
        return [fuzz(base, role, token(base, ROLES[role]), args, reports)
                for role in args.roles.split(",")]

    if args.start_server:
        with demo_server() as base:
            results = run(base)
    else:
        results = run(args.url)
    print(json.dumps({"max_examples": args.max_examples, "seed": args.seed,
                      "phases": args.phases, "results": results}, indent=2))
    return 0 if all(r["exit_code"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
