"""The plan's savings example end to end, and the area settings it depends on."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from asta.core.db import unit_of_work
from asta.scheduling.models import MatchingRun
from asta.scheduling.schemas_runs import MatchingWeights
from tests import factories

HKI = ZoneInfo("Europe/Helsinki")


async def test_ten_full_time_doctors_for_a_year_at_25_percent_save_the_area_225000_eur(
        client: httpx.AsyncClient) -> None:
    """DOMAIN.md: 10 FTE x 45,000 EUR a year x the area's 50 % = 225,000 EUR."""
    org = await factories.organisation()
    unit = await factories.unit(org)
    admin = factories.auth(await factories.area_admin(org))
    put = await client.put(f"/api/organisations/{org.id}/settings",
                           json={"agency_margin_pct": 25}, headers=admin)
    assert put.status_code == 200, put.text
    for _ in range(10):
        doctor = await factories.professional()
        for month in range(1, 13):  # 160 h a month: the settings' full-time month
            start = datetime(2025, month, 1, 0, 0, tzinfo=HKI)
            await factories.worked_shift(unit, doctor, start, hours=160, pay_cents=1_500_000)

    response = await client.get(
        f"/api/metrics/summary?organisation_id={org.id}&from=2025-01-01&to=2025-12-31",
        headers=admin)
    flows = response.json()["flows"]
    assert flows["hours_worked"] == 19_200
    assert flows["savings"] == {"total_cents": 45_000_000, "area_cents": 22_500_000,
                                "professionals_cents": 9_000_000, "platform_cents": 13_500_000}
    months = response.json()["by_unit_month"]
    assert len(months) == 12
    assert {m["savings"]["area_cents"] for m in months} == {1_875_000}  # 225,000 / 12


async def test_settings_default_to_the_plan_and_keep_other_domains_keys(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    admin = factories.auth(await factories.area_admin(org))
    defaults = (await client.get(f"/api/organisations/{org.id}/settings", headers=admin)).json()
    assert defaults == {
        "agency_reference_cents_per_month": 1_500_000, "agency_margin_pct": 20.0,
        "full_time_hours_per_month": 160.0, "area_share_pct": 50.0,
        "professional_share_pct": 20.0, "platform_share_pct": 30.0,
        "payout_mode": "per_shift", "platform_fee_pct": 10.0,
        "platform_fee_cents_per_hour": 0, "invoice_days_until_due": 14,
        "enps_interval_days": 91, "matching_weights": MatchingWeights().model_dump()}
    changed = {**defaults, "payout_mode": "weekly", "area_share_pct": 60,
               "platform_share_pct": 20}
    assert (await client.put(f"/api/organisations/{org.id}/settings", json=changed,
                             headers=admin)).json()["payout_mode"] == "weekly"
    again = (await client.get(f"/api/organisations/{org.id}/settings", headers=admin)).json()
    assert (again["area_share_pct"], again["platform_share_pct"]) == (60.0, 20.0)


@pytest.mark.parametrize(("change", "status", "field"), [
    ({"agency_margin_pct": 30}, 400, "agency_margin_pct"),
    ({"agency_margin_pct": 10}, 400, "agency_margin_pct"),
    ({"area_share_pct": 60}, 422, "area_share_pct"),  # shares add up to 110 %
    ({"payout_mode": "daily"}, 400, "payout_mode"),
    ({"full_time_hours_per_month": 0}, 400, "full_time_hours_per_month"),
    ({"agency_fee": 1}, 400, "agency_fee"),
])
async def test_bad_settings_are_refused_naming_the_field(
        client: httpx.AsyncClient, change: dict[str, object], status: int, field: str) -> None:
    org = await factories.organisation()
    admin = factories.auth(await factories.area_admin(org))
    response = await client.put(f"/api/organisations/{org.id}/settings", json=change,
                                headers=admin)
    assert response.status_code == status, response.text
    body = response.json()
    named = [body.get("field")] + [e["field"] for e in body.get("errors", [])]
    assert any(field in (name or "") for name in named), body
    unchanged = await client.get(f"/api/organisations/{org.id}/settings", headers=admin)
    assert unchanged.json()["agency_margin_pct"] == 20.0


async def test_margin_changes_apply_to_the_savings_of_any_period(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    admin = factories.auth(await factories.area_admin(org))
    start = datetime(2026, 3, 2, 8, tzinfo=HKI)
    await factories.worked_shift(unit, await factories.professional(), start, hours=8)
    path = "/api/metrics/summary?from=2026-03-01&to=2026-03-31"
    before = (await client.get(path, headers=admin)).json()["flows"]["savings"]["total_cents"]
    await client.put(f"/api/organisations/{org.id}/settings", json={"agency_margin_pct": 25},
                     headers=admin)
    after = (await client.get(path, headers=admin)).json()["flows"]["savings"]["total_cents"]
    assert (before, after) == (15_000, 18_750)  # 8/160 x 15,000 EUR x 20 % / 25 %


async def test_matching_weights_set_in_the_settings_steer_the_areas_runs(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    admin = factories.auth(await factories.area_admin(org))
    current = (await client.get(f"/api/organisations/{org.id}/settings", headers=admin)).json()
    weights = {**current["matching_weights"], "fairness": 40, "cost": 5}
    saved = await client.put(f"/api/organisations/{org.id}/settings", headers=admin,
                             json={**current, "matching_weights": weights})
    assert saved.status_code == 200, saved.text
    assert saved.json()["matching_weights"] == weights
    started = await client.post("/api/matching-runs", headers=admin, json={
        "unit_ids": [str(unit.id)], "period_start": "2027-03-01T00:00:00+02:00",
        "period_end": "2027-03-08T00:00:00+02:00", "time_limit_s": 5})
    assert started.status_code == 202, started.text
    async with unit_of_work() as session:
        run = await session.get(MatchingRun, uuid.UUID(started.json()["id"]))
        assert run is not None and run.weights == weights
    refused = await client.put(f"/api/organisations/{org.id}/settings", headers=admin,
                               json={**current, "matching_weights": {"fill": -1}})
    assert refused.status_code == 400 and "matching_weights" in refused.text
