"""The board's filters and pages, the schedulers' view, and demand patterns."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import httpx
import pytest

from asta.core.clock import utcnow
from tests import factories
from tests.integration.marketplace.helpers import HELSINKI, local, post_shifts, shift_body, workday


async def test_the_board_filters_and_pages(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    remote_unit = await factories.unit(org, name="Remote")
    site_unit = await factories.unit(org, name="Health station", is_remote=False)
    scheduler = factories.auth(await factories.scheduler(org))
    doctor = factories.auth(await factories.professional())
    remote = await post_shifts(client, scheduler, remote_unit.id,
                               *[shift_body(d) for d in range(2, 7)])
    [site] = await post_shifts(client, scheduler, site_unit.id, shift_body(8))
    [rich] = await post_shifts(client, scheduler, site_unit.id,
                               shift_body(9, base_hourly_cents=12_000))
    await post_shifts(client, scheduler, remote_unit.id, shift_body(3, profession="nurse"))

    async def ids(query: str) -> list[str]:
        page = (await client.get(f"/api/shifts?{query}", headers=doctor)).json()
        return [s["id"] for s in page["items"]]

    assert await ids("") == [*(s["id"] for s in remote), site["id"], rich["id"]]
    assert await ids(f"unit_id={site_unit.id}") == [site["id"], rich["id"]]
    assert await ids("remote=false") == [site["id"], rich["id"]]
    assert await ids("min_hourly_pay_cents=10000") == [rich["id"]]
    everything = [*remote, site, rich]  # weekend days earn supplements: compare with the pay
    threshold = rich["pay"]["total_cents"]
    assert await ids(f"min_total_pay_cents={threshold}") == [
        s["id"] for s in everything if s["pay"]["total_cents"] >= threshold]
    window = f"from={local(3, 0).isoformat()}&to={local(5, 0).isoformat()}"
    assert await ids(window.replace("+", "%2B")) == [remote[1]["id"], remote[2]["id"]]
    assert await ids("profession=nurse") == []
    page = (await client.get("/api/shifts?limit=2&offset=2", headers=doctor)).json()
    assert page["total"] == 7 and [s["id"] for s in page["items"]] == [remote[2]["id"],
                                                                       remote[3]["id"]]
    beyond = (await client.get("/api/shifts?limit=2&offset=50", headers=doctor)).json()
    assert beyond["total"] == 7 and beyond["items"] == []
    shown = (await client.get("/api/shifts?limit=1", headers=doctor)).json()["items"][0]
    assert shown["pay"]["breakdown"]["base_hourly_cents"] == 9000
    assert shown["pay"]["average_hourly_cents"] * 8 * 60 // 60 == pytest.approx(
        shown["pay"]["total_cents"], abs=8)
    bad = await client.get("/api/shifts?limit=0", headers=doctor)
    assert bad.status_code == 400


async def test_schedulers_see_their_units_shifts_with_fill_counts(
        client: httpx.AsyncClient) -> None:
    org, other_org = await factories.organisation(), await factories.organisation()
    unit, other_unit = await factories.unit(org), await factories.unit(other_org)
    scheduler = factories.auth(await factories.scheduler(org))
    other = factories.auth(await factories.scheduler(other_org))
    [shift] = await post_shifts(client, scheduler, unit.id, shift_body(positions=1))
    await post_shifts(client, other, other_unit.id, shift_body())
    [draft] = await post_shifts(client, scheduler, unit.id, shift_body(workday() + 1),
                                publish=False)
    await client.post(f"/api/shifts/{shift['id']}/claim",
                      headers=factories.auth(await factories.professional()))
    await client.post(f"/api/shifts/{shift['id']}/waitlist",
                      headers=factories.auth(await factories.professional()))
    page = (await client.get("/api/shifts", headers=scheduler)).json()
    assert [(s["id"], s["status"], s["filled"], s["standby"]) for s in page["items"]] == [
        (shift["id"], "filled", 1, 1), (draft["id"], "draft", 0, 0)]
    drafts = (await client.get("/api/shifts?status=draft", headers=scheduler)).json()
    assert [s["id"] for s in drafts["items"]] == [draft["id"]]
    hidden = await client.get(f"/api/shifts?unit_id={other_unit.id}", headers=scheduler)
    assert hidden.status_code == 404


async def test_demand_per_interval_becomes_shifts_for_four_weeks(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    scheduler = factories.auth(await factories.scheduler(org))
    today = utcnow().astimezone(HELSINKI).date()
    monday = today + timedelta(days=7 - today.weekday())
    response = await client.post(f"/api/units/{unit.id}/demand", headers=scheduler, json={
        "first_date": str(monday), "last_date": str(monday + timedelta(days=27)),
        "weekdays": [1, 2, 3, 4, 5], "profession": "doctor", "visibility": "national",
        "blocks": [{"start": "08:00", "end": "16:00", "headcount": 3},
                   {"start": "16:00", "end": "20:00", "headcount": 2}], "publish": True})
    assert response.status_code == 201, response.text
    shifts = response.json()
    assert len(shifts) == 40
    assert sum(s["positions"] for s in shifts) == 20 * 3 + 20 * 2
    assert {s["status"] for s in shifts} == {"published"}
    evening = next(s for s in shifts if s["positions"] == 2)
    assert evening["pay"]["breakdown"]["evening_minutes"] == 120
    local_start = datetime.fromisoformat(evening["starts_at"]).astimezone(HELSINKI)
    assert (local_start.hour, local_start.weekday()) == (16, 0)


def next_spring_forward() -> date:
    """The last Sunday of March in the first year it is still ahead."""
    year = utcnow().astimezone(HELSINKI).year
    while True:
        day = date(year, 3, 31)
        day -= timedelta(days=(day.weekday() + 1) % 7)
        if day > utcnow().astimezone(HELSINKI).date() + timedelta(days=1):
            return day
        year += 1


async def test_a_night_across_the_spring_dst_change_lasts_seven_hours(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    scheduler = factories.auth(await factories.scheduler(org))
    saturday = next_spring_forward() - timedelta(days=1)
    response = await client.post(f"/api/units/{unit.id}/demand", headers=scheduler, json={
        "first_date": str(saturday), "last_date": str(saturday), "weekdays": [6],
        "profession": "doctor", "blocks": [{"start": "22:00", "end": "06:00", "headcount": 1}]})
    assert response.status_code == 201, response.text
    [night] = response.json()
    start, end = (datetime.fromisoformat(night[k]) for k in ("starts_at", "ends_at"))
    assert end - start == timedelta(hours=7)
    assert night["pay"]["breakdown"]["elapsed_minutes"] == 7 * 60
