"""`asta serve --workers N`: N API processes on one socket, one job worker in the parent.

uvicorn's supervisor starts each API process by spawning a fresh interpreter, so what the
parent learnt at startup (the database URL, the stand-ins' ports, each process's share of
PostgreSQL's connections) travels in one environment variable and `app()` applies it.
The parent runs no API; it supervises the N processes (restarting one that dies) and runs
the in-process job worker and periodic scheduler, so there is exactly one per machine.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass

from litestar import Litestar

from asta.core.pool_budget import PoolSize

HANDOFF = "ASTA_API_PROCESS"


@dataclass(frozen=True)
class Handoff:
    database_url: str
    pool_size: int
    max_overflow: int
    host: str
    port: int
    stripe_api_base: str
    smtp_port: int


def hand_off(database_url: str, pool: PoolSize, host: str, port: int) -> None:
    """Record what the API processes need, for the parent's spawned children to read."""
    from asta.core.config import get_settings

    settings = get_settings()
    os.environ[HANDOFF] = json.dumps(asdict(Handoff(
        database_url, pool.pool_size, pool.max_overflow, host, port,
        settings.stripe_api_base, settings.smtp_port)))


def app() -> Litestar:
    """uvicorn's factory in each API process."""
    from asta import runtime
    from asta.app import serving_app
    from asta.core.config import (
        get_settings,
        links_to_server,
        use_smtp_port,
        use_stripe_api_base,
    )

    given = Handoff(**json.loads(os.environ[HANDOFF]))
    settings = get_settings()  # the parent's environment, so the same stand-ins are wanted
    if settings.stripe_stand_in:
        use_stripe_api_base(given.stripe_api_base)
    if settings.mail_catcher:
        use_smtp_port(given.smtp_port)
    links_to_server(given.host, given.port)
    runtime.prepare(settings, given.database_url,
                    pool=PoolSize(given.pool_size, given.max_overflow))
    return serving_app()
