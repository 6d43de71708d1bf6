from __future__ import annotations

from datetime import datetime

import httpx
from sqlalchemy import func, select

from asta.accounts import totp
from asta.accounts.models import User
from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from asta.core.security import issue_token
from asta.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, seed
from asta.marketplace.models import Shift
from asta.scheduling.demo_forecast import UNIT, demo_history, demo_run_day
from asta.scheduling.history_csv import DEMO_HISTORY
from asta.scheduling.models import ForecastRun
from asta.scheduling.schemas_forecast import ForecastComparisonRead


async def counts() -> tuple[int, int]:
    async with unit_of_work() as session:
        users = await session.scalar(select(func.count()).select_from(User)) or 0
        shifts = await session.scalar(select(func.count()).select_from(Shift)) or 0
    return users, shifts


async def test_demo_seeding_is_idempotent_and_gives_doctors_shifts_to_claim(
        client: httpx.AsyncClient) -> None:
    await seed()
    first = await counts()
    await seed()
    assert await counts() == first
    assert first[0] >= 125
    signed_in = await client.post("/api/auth/token", json={
        "email": "scheduler.kymenlaakso@asta.demo", "password": DEMO_PASSWORD})
    assert signed_in.status_code == 200
    # The demo admins use the authenticator key the README gives.
    admin = await client.post("/api/auth/token", json={
        "email": "admin.kymenlaakso@asta.demo", "password": DEMO_PASSWORD,
        "totp_code": totp.code_at(DEMO_TOTP_SECRET, utcnow())})
    assert admin.status_code == 200, admin.text
    async with unit_of_work() as session:
        doctor = await session.scalar(select(User).where(User.email == "doctor1@asta.demo"))
    assert doctor is not None
    board = await client.get("/api/shifts", headers={
        "Authorization": f"Bearer {issue_token(doctor.id)}"})
    assert board.status_code == 200
    assert board.json()["total"] > 0


async def test_the_demo_forecast_run_meets_what_came_once_its_history_is_imported(
        client: httpx.AsyncClient) -> None:
    world = await seed()
    await seed()
    unit = world.units[UNIT]
    async with unit_of_work() as session:
        runs = list(await session.scalars(select(ForecastRun).where(
            ForecastRun.unit_id == unit.id)))
        scheduler = await session.scalar(select(User.id).where(
            User.email == "scheduler.kymenlaakso@asta.demo"))
    assert [r.day for r in runs] == [demo_run_day(demo_history())]  # once, however often seeded
    assert scheduler is not None and runs[0].requested_by == scheduler
    # Made only from what came before the day.
    assert runs[0].history_last < datetime.fromisoformat(runs[0].intervals[0]["starts_at"])
    headers = {"Authorization": f"Bearer {issue_token(scheduler)}"}
    url = f"/api/forecast-runs/{runs[0].id}/comparison"
    before = ForecastComparisonRead.model_validate((await client.get(url, headers=headers)).json())
    assert before.intervals_compared == 0
    imported = await client.post(f"/api/units/{unit.id}/contact-history", headers=headers,
                                 json={"csv": DEMO_HISTORY.read_text(encoding="utf-8")})
    assert imported.status_code == 200, imported.text
    after = ForecastComparisonRead.model_validate((await client.get(url, headers=headers)).json())
    assert after.intervals_compared >= 20
    assert after.mae is not None and after.band_coverage is not None
    assert after.mae < 0.25 * after.actual_total / after.intervals_compared
    assert 0.5 <= after.band_coverage <= 1
    assert abs(after.forecast_total - after.actual_total) < 0.2 * after.actual_total
