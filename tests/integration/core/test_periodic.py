"""Periodic jobs: however many workers ask, one wins each period."""

from __future__ import annotations

from typing import Any

import dramatiq
import psycopg2

from asta.core.db import libpq_url
from asta.core.periodic import Periodic, claim_due_periods, ensure_rows


def test_one_worker_wins_each_period(database_url: str) -> None:
    hourly = Periodic(dramatiq.actor(lambda: None, actor_name="hourly_test_job"), 3600)
    minutely = Periodic(dramatiq.actor(lambda: None, actor_name="minutely_test_job"), 60)
    jobs = [hourly, minutely]
    first, second = (psycopg2.connect(libpq_url(database_url)) for _ in range(2))
    try:
        def claim(connection: Any) -> set[str]:
            with connection, connection.cursor() as cursor:
                ensure_rows(cursor, jobs)
                return claim_due_periods(cursor, jobs)

        assert claim(first) == {"hourly_test_job", "minutely_test_job"}
        assert claim(second) == set()  # same period: the other worker already ran both
        assert claim(first) == set()
        with first, first.cursor() as cursor:  # a minute has passed for one of them
            cursor.execute("UPDATE periodic_runs SET next_run_at = now() - interval '1 s' "
                           "WHERE name = 'minutely_test_job'")
        assert claim(second) == {"minutely_test_job"}
        with first, first.cursor() as cursor:
            cursor.execute("SELECT name, runs FROM periodic_runs ORDER BY name")
            assert cursor.fetchall() == [("hourly_test_job", 1), ("minutely_test_job", 2)]
    finally:
        first.close()
        second.close()
