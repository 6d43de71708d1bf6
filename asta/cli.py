"""The `asta` command."""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from asta.core.config import ConfigurationError, get_settings, links_to_server, own_address
from asta.core.instance import InstanceError
from asta.push.keys import ensure_development_key

if TYPE_CHECKING:
    from asta.core.pool_budget import PoolSize

# How long a stopping server lets requests in progress finish.
REQUEST_GRACE_S = 2
# Commands that load the whole app and run until stopped.
LONG_RUNNING = ("serve", "demo", "worker")


def _seed_demo() -> None:
    from asta import runtime
    from asta.demo import seed

    asyncio.run(seed(progress=runtime.progress))


def _serve(host: str, port: int, *, with_worker: bool, seed_demo: bool = False,
           workers: int = 1) -> None:
    from asta import runtime
    from asta.stopping import stop_on_signals

    settings = get_settings()
    own_url = own_address(host, port)
    with stop_on_signals(runtime.progress), runtime.serving(settings, own_url) as url:
        pool = runtime.api_pool(settings, url, workers)
        broker = runtime.prepare(settings, url, pool=pool)
        links_to_server(host, port)
        ensure_development_key(settings)
        if seed_demo:
            _seed_demo()
            runtime.progress("Demo accounts use the password 'demo-password' (demo only)")
        # Embedded mode runs jobs in-process so a single command is a working Asta.
        run_worker = with_worker and settings.broker_url is None
        serve = _api_processes(host, port, url, pool, workers) if workers > 1 else (
            _api_in_process(host, port, settings.log_level))
        shown = f"{workers} API processes" if workers > 1 else "one API process"
        if run_worker:
            # Only this process runs it: with several API processes, the supervising parent.
            with runtime.worker(broker, threads=4):
                runtime.progress(f"Serving on http://{host}:{port} ({shown}, pool "
                                 f"{pool.pool_size}+{pool.max_overflow} each, with a job "
                                 f"worker in pid {os.getpid()})")
                serve()
        else:
            runtime.progress(f"Serving on http://{host}:{port} ({shown}, pool "
                             f"{pool.pool_size}+{pool.max_overflow} each)")
            serve()


def _api_in_process(host: str, port: int, log_level: str) -> Callable[[], None]:
    import uvicorn

    from asta.app import serving_app

    config = uvicorn.Config(serving_app(), host=host, port=port, log_level=log_level,
                            access_log=False, timeout_graceful_shutdown=REQUEST_GRACE_S)
    return uvicorn.Server(config).run


def _api_processes(host: str, port: int, url: str, pool: PoolSize,
                   workers: int) -> Callable[[], None]:
    """uvicorn's supervisor: N spawned API processes sharing one listening socket."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from asta import api_processes

    api_processes.hand_off(url, pool, host, port)
    config = uvicorn.Config("asta.api_processes:app", factory=True, host=host, port=port,
                            workers=workers, log_level=get_settings().log_level,
                            access_log=False, timeout_graceful_shutdown=REQUEST_GRACE_S,
                            backlog=4096)
    # It answers SIGINT and SIGTERM itself by stopping its processes, then returns, and
    # what this process started (job worker, PostgreSQL) stops on the way out.
    return Multiprocess(config, sockets=[config.bind_socket()]).run


def default_workers() -> int:
    """Production: one API process per core. Development: one, which is easy to debug."""
    return (os.cpu_count() or 1) if get_settings().is_production else 1


def cmd_serve(args: argparse.Namespace) -> None:
    _serve(args.host, args.port, with_worker=not args.no_worker,
           workers=args.workers or default_workers())

def cmd_worker(args: argparse.Namespace) -> None:
    from asta import runtime
    from asta.stopping import stop_on_signals

    settings = get_settings()
    with stop_on_signals(runtime.progress):
        url, instance = runtime.attached(settings)
        if instance is None or instance.database_url != url:
            runtime.migrate(url)  # a database of its own; an instance's is migrated already
        broker = runtime.prepare(settings, url)
        ensure_development_key(settings)  # the server's own, from the shared data dir
        with runtime.worker(broker, threads=args.threads):
            runtime.progress(f"Worker running with {args.threads} threads; Ctrl+C stops it")
            while instance is None or runtime.still_running(settings.data_dir, instance):
                time.sleep(1.0)
            runtime.progress(f"The Asta (pid {instance.pid}) this worker used has stopped")


def cmd_migrate(_: argparse.Namespace) -> None:
    from asta import runtime
    from asta.stopping import stop_on_signals

    with stop_on_signals(runtime.progress), runtime.database(get_settings()) as url:
        runtime.migrate(url)
        runtime.progress("Database is up to date")


def cmd_demo(args: argparse.Namespace) -> None:
    from asta import runtime
    from asta.stopping import stop_on_signals

    if not args.seed_only:
        os.environ.setdefault("ASTA_DEMO_TEXTS", "1")  # the demo's names in each language
        get_settings.cache_clear()
        _serve(args.host, args.port, with_worker=True, seed_demo=True)
        return
    settings = get_settings()
    with stop_on_signals(runtime.progress), runtime.database(settings) as url:
        runtime.migrate(url)
        runtime.prepare(settings, url)
        _seed_demo()


def cmd_vapid_keys(_: argparse.Namespace) -> None:
    """A new VAPID key pair for Web Push, as the settings to give the server."""
    from asta.push.keys import generate_private_key, public_key

    private = generate_private_key()
    print(f"ASTA_VAPID_PRIVATE_KEY={private}")
    print(f"# public key (the browsers get it from the server): {public_key(private)}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="asta", description=(
        "Asta: gig shifts for Finnish public health care. With no ASTA_DATABASE_URL, Asta "
        "runs its own PostgreSQL in ASTA_DATA_DIR (default ./.asta-data)."))
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the API (and, embedded, a job worker)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--no-worker", action="store_true", help="do not run jobs in-process")
    serve.add_argument("--workers", type=int, default=0, metavar="N",
                       help="API processes (default: one per core in production, else 1)")
    serve.set_defaults(func=cmd_serve)
    work = sub.add_parser("worker", help="run background jobs")
    work.add_argument("--threads", type=int, default=4)
    work.set_defaults(func=cmd_worker)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)
    demo = sub.add_parser("demo", help="seed demo data (idempotent), then serve")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--seed-only", action="store_true", help="seed and exit")
    demo.set_defaults(func=cmd_demo)
    sub.add_parser("vapid-keys", help="print a new VAPID key pair for Web Push").set_defaults(
        func=cmd_vapid_keys)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    try:
        if args.command in LONG_RUNNING:
            from asta.core.logs import configure_logging

            configure_logging(get_settings().log_level)
        args.func(args)
    except ConfigurationError as exc:
        raise SystemExit(f"asta: configuration error: {exc}") from exc
    except InstanceError as exc:
        raise SystemExit(f"asta: {exc}") from exc
    except KeyboardInterrupt:
        pass  # SIGINT or SIGTERM: everything started has been stopped on the way here
    if args.command in LONG_RUNNING:
        from asta.stopping import exit_promptly

        exit_promptly()


if __name__ == "__main__":
    main()
