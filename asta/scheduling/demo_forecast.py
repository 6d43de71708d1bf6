"""Demo: a stored forecast of a day inside the demo unit's history file, made only from the
file's days before it. Once the scheduler imports the file, the run page sets it beside the
contacts that came: its error, band coverage and whether the staff met the target."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.demo import SEEDERS, DemoWorld, Progress
from asta.scheduling.forecast.series import interval_starts
from asta.scheduling.history_csv import DEMO_HISTORY, HELSINKI, ParsedHistory, parse_history
from asta.scheduling.models import ForecastRun
from asta.scheduling.schemas_forecast import ForecastRequest
from asta.scheduling.services.forecasting import store_forecast_run

UNIT = "Kaiku24 remote reception"
SCHEDULER = "scheduler.kymenlaakso@asta.demo"


def demo_history() -> ParsedHistory:
    return parse_history(DEMO_HISTORY.read_text(encoding="utf-8"))


def demo_run_day(history: ParsedHistory) -> date:
    """The last weekday the file records: a busy day, with the weeks before it to learn from."""
    days = sorted({r.starts_at.astimezone(HELSINKI).date() for r in history.rows})
    return next(d for d in reversed(days) if d.weekday() < 5)


async def seed_forecast_run(session: AsyncSession, world: DemoWorld, progress: Progress) -> None:
    from asta.accounts.models import User

    unit = world.units[UNIT]
    history = demo_history()
    day = demo_run_day(history)
    if await session.scalar(select(col(ForecastRun.id)).where(
            col(ForecastRun.unit_id) == unit.id, col(ForecastRun.day) == day).limit(1)):
        return  # idempotent
    scheduler = await session.scalar(select(col(User.id)).where(col(User.email) == SCHEDULER))
    before = interval_starts(day, 60)[0]
    rows = [r for r in history.rows if r.starts_at < before]
    await store_forecast_run(session, unit.id, scheduler, rows, history.interval_minutes,
                             ForecastRequest(day=day))
    progress(f"  a forecast of {day} stored for {UNIT} (import its history to compare)")


SEEDERS.append(seed_forecast_run)
