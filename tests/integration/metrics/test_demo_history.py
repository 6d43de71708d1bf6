"""The demo's eight weeks of history: every figure has a value, and seeding twice adds nothing."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import event, func, select

from asta.accounts.models import Organisation, User
from asta.core.clock import today, utcnow
from asta.core.db import get_database, unit_of_work
from asta.core.security import issue_token
from asta.demo import seed
from asta.marketplace.models import Assignment, Shift, Timesheet
from asta.metrics.time import local_today
from asta.payments import rules
from asta.payments.models import PayoutTransfer
from asta.surveys.models import PatientFeedback, Survey

SINCE = (today() - timedelta(days=60)).isoformat()
TABLES = (Shift, Assignment, Timesheet, PayoutTransfer, Survey, PatientFeedback)


async def counts() -> list[int]:
    async with unit_of_work() as session:
        return [await session.scalar(select(func.count()).select_from(t)) or 0 for t in TABLES]


async def test_demo_history_is_complete_quick_and_idempotent(client: httpx.AsyncClient) -> None:
    statements: list[str] = []

    def counted(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    engine = get_database().engine.sync_engine
    event.listen(engine, "before_cursor_execute", counted)
    try:
        await seed()
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    first = await counts()
    # Quick on any machine: each table is written in batches, not a statement a row (which
    # is what makes seeding take minutes). A time limit failed on a loaded CI machine.
    for table, rows in zip(TABLES, first, strict=True):
        inserts = [s for s in statements if s.startswith(f"INSERT INTO {table.__tablename__} ")]
        assert rows > 0 and 0 < len(inserts) <= rows / 50, (table.__tablename__, rows, len(inserts))
    await seed()
    assert await counts() == first

    async with unit_of_work() as session:
        area = await session.scalar(select(Organisation).where(
            Organisation.slug == "kymenlaakso"))
        admin = await session.scalar(select(User).where(
            User.email == "admin.kymenlaakso@asta.demo"))
    assert area is not None and admin is not None
    headers = {"Authorization": f"Bearer {issue_token(admin.id, second_factor=True)}"}
    settings = (await client.get(f"/api/organisations/{area.id}/settings",
                                 headers=headers)).json()
    assert settings["agency_margin_pct"] == 25.0
    summary = (await client.get(f"/api/metrics/summary?from={SINCE}",
                                headers=headers)).json()
    flows = summary["flows"]
    assert summary["professionals"]["used"] > 10
    assert 0.8 < flows["positions"]["fill_rate"] < 1
    assert flows["positions"]["time_to_fill_median_hours"] > 0
    assert 0 < flows["cancellations"]["late_rate"] < 0.2
    assert flows["hours_worked"] > 1000 and flows["pay_cents"] > 0
    assert flows["savings"]["area_cents"] > 0
    assert flows["enps"]["answers"] > 10 and flows["patient_nps"]["answers"] > 100
    assert 0 < flows["outcomes"]["referral_share"] < flows["outcomes"]["remote_resolution_share"]
    weeks = (await client.get(f"/api/metrics/timeseries?bucket=week&from={SINCE}",
                              headers=headers)).json()["items"]
    assert sum(1 for w in weeks if w["flows"]["hours_worked"] > 0) >= 8
    # The history is billed by whole months (of the last three): the latest sent, older paid.
    # How many months the eight weeks touch depends on the day, so only the latest is fixed.
    invoices = (await client.get(f"/api/organisations/{area.id}/invoices",
                                 headers=headers)).json()
    assert [i["status"] for i in invoices] == ["open"] + ["paid"] * (len(invoices) - 1)
    previous_month = rules.previous_month(local_today(utcnow()).replace(day=1))
    assert invoices and invoices[0]["month"] == previous_month.isoformat()
    assert all(i["total_cents"] > 0 and i["lines"] for i in invoices)

