"""Timesheets after the shift: approval fixes pay from the hours actually worked."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
from sqlalchemy import select

from asta.core.audit import AuditEvent
from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from asta.marketplace.models import Timesheet
from tests import factories
from tests.integration.marketplace.helpers import (
    HELSINKI,
    local,
    move_shift,
    post_shifts,
    shift_body,
)


def last_weekday_evening() -> tuple[datetime, datetime]:
    """16:00-20:00 Helsinki on the most recent Tuesday-Thursday at least two days ago."""
    day = utcnow().astimezone(HELSINKI).date() - timedelta(days=2)
    while day.weekday() not in (1, 2, 3):
        day -= timedelta(days=1)
    start = datetime(day.year, day.month, day.day, 16, tzinfo=HELSINKI)
    return start, start + timedelta(hours=4)


async def worked_shift(client: httpx.AsyncClient):  # type: ignore[no-untyped-def]
    org = await factories.organisation()
    unit = await factories.unit(org)
    scheduler = factories.auth(await factories.scheduler(org))
    doctor = factories.auth(await factories.professional())
    [shift] = await post_shifts(client, scheduler, unit.id, shift_body(3, 16, 20))
    booked = (await client.post(f"/api/shifts/{shift['id']}/claim", headers=doctor)).json()
    start, end = last_weekday_evening()
    await move_shift(shift["id"], start, end)
    return booked, scheduler, doctor, start, end


async def test_approval_pays_the_actual_hours_with_evening_supplement(
        client: httpx.AsyncClient) -> None:
    booked, scheduler, doctor, start, end = await worked_shift(client)
    # Stayed an hour longer: 16-21, of which 18-21 is evening (+15 %).
    report = {"actual_start": start.isoformat(), "actual_end": (end + timedelta(hours=1))
              .isoformat(), "contacts_handled": 25, "resolved_remotely": 20,
              "referred_to_health_station": 2}
    submitted = await client.post(f"/api/assignments/{booked['id']}/timesheet", headers=doctor,
                                  json=report)
    assert submitted.status_code == 201, submitted.text
    twice = await client.post(f"/api/assignments/{booked['id']}/timesheet", headers=doctor,
                              json=report)
    assert twice.status_code == 409 and twice.json()["error"] == "already_done"
    approved = (await client.post(f"/api/assignments/{booked['id']}/timesheet/approve",
                                  headers=scheduler, json={})).json()
    breakdown = approved["pay_breakdown"]
    assert breakdown["paid_minutes"] == 300 and breakdown["evening_minutes"] == 180
    assert breakdown["base_cents"] == 5 * 9000
    assert breakdown["evening_cents"] == 3 * 9000 * 15 // 100
    assert approved["pay_total_cents"] == 45000 + 4050
    again = await client.post(f"/api/assignments/{booked['id']}/timesheet/approve",
                              headers=scheduler, json={})
    assert again.status_code == 409


async def test_the_scheduler_corrects_the_hours_and_the_change_is_audited(
        client: httpx.AsyncClient) -> None:
    booked, scheduler, doctor, start, end = await worked_shift(client)
    await client.post(f"/api/assignments/{booked['id']}/timesheet", headers=doctor,
                      json={"actual_start": start.isoformat(), "actual_end": end.isoformat()})
    corrected = await client.post(
        f"/api/assignments/{booked['id']}/timesheet/approve", headers=scheduler,
        json={"actual_start": start.isoformat(),
              "actual_end": (end - timedelta(hours=2)).isoformat(), "break_minutes": 0,
              "correction_note": "Left at 18:00 as agreed"})
    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["corrected"] is True
    assert corrected.json()["pay_total_cents"] == 2 * 9000
    async with unit_of_work() as session:
        event = await session.scalar(select(AuditEvent).where(
            AuditEvent.entity_type == "timesheet", AuditEvent.action == "approve"))
        sheet = await session.get(Timesheet, booked["id"])
    assert event is not None and event.before is not None and event.after is not None
    assert event.before["actual_end"] != event.after["actual_end"]
    assert sheet is not None and sheet.status == "approved"


async def test_hours_cannot_be_reported_before_the_shift_or_by_someone_else(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    scheduler = factories.auth(await factories.scheduler(org))
    doctor = factories.auth(await factories.professional())
    [shift] = await post_shifts(client, scheduler, unit.id, shift_body())
    booked = (await client.post(f"/api/shifts/{shift['id']}/claim", headers=doctor)).json()
    report = {"actual_start": local(3, 8).isoformat(), "actual_end": local(3, 16).isoformat()}
    early = await client.post(f"/api/assignments/{booked['id']}/timesheet", headers=doctor,
                              json=report)
    assert early.status_code == 409
    other = await client.post(f"/api/assignments/{booked['id']}/timesheet", json=report,
                              headers=factories.auth(await factories.professional()))
    assert other.status_code == 404
    not_yet = await client.post(f"/api/assignments/{booked['id']}/timesheet/approve",
                                headers=scheduler, json={})
    assert not_yet.status_code == 409
