"""A private PostgreSQL server that Asta starts itself when no ASTA_DATABASE_URL is given.

Uses the server binaries on PATH (Debian's postgresql package). PostgreSQL refuses to
run as root, so as root the server runs as an unprivileged system user. It listens on
loopback only and asks for a password (scram-sha-256): a random one made when the cluster
is created, kept in `<data_dir>/pg-password` (mode 0600). Clusters made by older Asta
versions (trust authentication) get one on their next start.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from asta.core.private_files import write_private

SERVICE_USER = "postgres"
DATABASE = "asta"
HBA_MARKER = "# Asta: password (scram-sha-256) required, loopback only."
# Nothing but loopback, and no exceptions for local users: the socket asks for it too.
PG_HBA = f"""{HBA_MARKER}
local   all  all                 scram-sha-256
host    all  all  127.0.0.1/32   scram-sha-256
host    all  all  ::1/128        scram-sha-256
"""


class EmbeddedPostgresError(RuntimeError):
    pass


def _find_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    if candidates:
        return candidates[0]
    raise EmbeddedPostgresError(
        f"PostgreSQL server binary {name!r} not found; install it (apt-get install postgresql) "
        "or set ASTA_DATABASE_URL to an existing server"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _service_account() -> pwd.struct_passwd | None:
    """The account the server runs as: None when we are not root (run as ourselves)."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SERVICE_USER)
    except KeyError:
        command = ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                   SERVICE_USER]
        subprocess.run(command, check=True)  # noqa: S603
        return pwd.getpwnam(SERVICE_USER)


def _demote(account: pwd.struct_passwd | None) -> Callable[[], None] | None:
    if account is None:
        return None

    def run_as_service_user() -> None:
        os.setgid(account.pw_gid)
        os.setuid(account.pw_uid)

    return run_as_service_user


def _chown_tree(path: Path, account: pwd.struct_passwd | None) -> None:
    if account is None:
        return
    for root, dirs, files in os.walk(path):
        for name in [root, *(os.path.join(root, d) for d in dirs),
                     *(os.path.join(root, f) for f in files)]:
            os.chown(name, account.pw_uid, account.pw_gid)


@dataclass
class EmbeddedPostgres:
    """One server in `<data_dir>/pg`; data survives restarts, the port is chosen per start."""

    data_dir: Path
    port: int = 0
    # Throwaway test databases skip the disk flushes that make data survive a power cut.
    durable: bool = True
    # More server settings, e.g. "-c shared_preload_libraries=pg_stat_statements" to profile.
    extra_options: str = ""

    @property
    def pgdata(self) -> Path:
        return self.data_dir / "pg"

    @property
    def password_file(self) -> Path:
        return self.data_dir / "pg-password"

    @property
    def password(self) -> str:
        return self.password_file.read_text().strip()

    @property
    def url(self) -> str:
        # token_urlsafe passwords need no quoting in a URL.
        return (f"postgresql+asyncpg://{SERVICE_USER}:{self.password}@127.0.0.1:{self.port}/"
                f"{DATABASE}")

    def start(self, progress: Callable[[str], None] = lambda _m: None) -> str:
        account = _service_account()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if account is not None:
            # The service user must be able to reach its data directory.
            os.chmod(self.data_dir, 0o755)  # noqa: S103
        if not (self.pgdata / "PG_VERSION").exists():
            progress("Initialising the embedded PostgreSQL cluster")
            self._initdb(account)
        if self._running(account):
            # An earlier Asta was killed before it could stop its server: take it down cleanly.
            progress("Stopping a PostgreSQL left running by an earlier Asta")
            self.stop()
        self._require_password(account, progress)
        self.port = self.port or _free_port()
        progress(f"Starting PostgreSQL on 127.0.0.1:{self.port}")
        # Unix socket in the data dir: /var/run/postgresql may not exist or be writable.
        options = (f"-p {self.port} -h 127.0.0.1 -k {self.pgdata} "
                   "-c max_connections=200 -c shared_buffers=128MB")
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        if self.extra_options:
            options += f" {self.extra_options}"
        self._run([_find_bin("pg_ctl"), "-D", str(self.pgdata), "-o", options,
                   "-l", str(self.pgdata / "server.log"), "-w", "-t", "60", "start"], account)
        self._ensure_database(account)
        return self.url

    def stop(self) -> None:
        account = _service_account()
        # A pid file can outlive its server (a stop interrupted the password step, say).
        if not (self.pgdata / "postmaster.pid").exists() or not self._running(account):
            return
        self._run([_find_bin("pg_ctl"), "-D", str(self.pgdata), "-m", "fast", "-w", "stop"],
                  account)

    def _initdb(self, account: pwd.struct_passwd | None) -> None:
        """Create the cluster beside its place and move it in when complete, so an
        interrupted start leaves nothing that looks like a cluster."""
        staging = self.data_dir / "pg.initialising"
        shutil.rmtree(staging, ignore_errors=True)  # what an interrupted start left
        staging.mkdir(mode=0o700)
        _chown_tree(staging, account)
        # Nobody may log in until _require_password has set a password and rules.
        self._run([_find_bin("initdb"), "-D", str(staging), "-U", SERVICE_USER,
                   "--auth=reject", "--encoding=UTF8", "--locale=C.UTF-8"], account)
        if self.pgdata.exists():
            self.pgdata.rmdir()  # an empty directory (older versions made it first) or fail
        staging.rename(self.pgdata)

    def _require_password(self, account: pwd.struct_passwd | None,
                          progress: Callable[[str], None]) -> None:
        """Give the superuser a password and demand it, on new and older (trust) clusters.

        Runs while the server is stopped: single-user mode listens nowhere, so the cluster
        is never reachable without a password, not even while this runs.
        """
        if not self.password_file.exists():
            progress("Setting a password for the embedded PostgreSQL")
            password = secrets.token_urlsafe(32)
            self._set_password(password, account)
            # Written after PostgreSQL took it: a crash in between makes a new one next time.
            write_private(self.password_file, password + "\n")
        hba = self.pgdata / "pg_hba.conf"
        if not hba.read_text().startswith(HBA_MARKER):
            hba.write_text(PG_HBA)

    def _set_password(self, password: str, account: pwd.struct_passwd | None) -> None:
        result = subprocess.run(  # noqa: S603
            [_find_bin("postgres"), "--single", "-D", str(self.pgdata),
             "-c", "password_encryption=scram-sha-256", "postgres"],
            input=f"ALTER ROLE {SERVICE_USER} PASSWORD '{password}';\n",
            capture_output=True, text=True, preexec_fn=_demote(account), cwd="/", check=False)
        # Single-user mode exits 0 even when the statement fails; its errors are in stderr.
        errors = [line for line in result.stderr.splitlines()
                  if "ERROR:" in line or "FATAL:" in line]
        if result.returncode != 0 or errors:
            # Only the error lines: the STATEMENT line would show the password.
            raise EmbeddedPostgresError(
                f"could not set the embedded PostgreSQL's password: {' '.join(errors)}")

    def _running(self, account: pwd.struct_passwd | None) -> bool:
        status = subprocess.run(  # noqa: S603
            [_find_bin("pg_ctl"), "-D", str(self.pgdata), "status"], capture_output=True,
            preexec_fn=_demote(account), cwd="/", check=False)
        return status.returncode == 0

    def _ensure_database(self, account: pwd.struct_passwd | None) -> None:
        psql = _find_bin("psql")
        base = [psql, "-h", "127.0.0.1", "-p", str(self.port), "-U", SERVICE_USER, "-d",
                "postgres", "-w", "-tAc"]
        for _ in range(50):
            exists = subprocess.run(  # noqa: S603
                [*base, f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"],  # noqa: S608
                capture_output=True, text=True, check=False, env=self.client_env(),
            )
            if exists.returncode == 0:
                break
            time.sleep(0.1)
        else:
            raise EmbeddedPostgresError(f"PostgreSQL did not accept connections: {exists.stderr}")
        if exists.stdout.strip() != "1":
            self._run([*base, f"CREATE DATABASE {DATABASE}"], account, env=self.client_env())

    def client_env(self) -> dict[str, str]:
        """Environment for libpq tools (psql, pg_dump) to log in to this server."""
        return {**os.environ, "PGPASSWORD": self.password}

    def _run(self, cmd: list[str], account: pwd.struct_passwd | None,
             env: dict[str, str] | None = None) -> None:
        result = subprocess.run(  # noqa: S603
            cmd, capture_output=True, text=True, preexec_fn=_demote(account),
            cwd="/", check=False, env=env,
        )
        if result.returncode != 0:
            log = self.pgdata / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise EmbeddedPostgresError(
                f"{Path(cmd[0]).name} failed ({result.returncode}): {result.stderr.strip()}\n{tail}"
            )
