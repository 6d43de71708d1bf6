"""Bad input gets a clear 4xx and changes nothing."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from asta.core.audit import AuditEvent
from asta.marketplace.models import Assignment, Shift
from tests import factories
from tests.integration.marketplace.helpers import count, local, post_shifts, shift_body

SHIFT_CASES: list[tuple[str, dict[str, Any], int, str]] = [
    ("times reversed", shift_body(3, 16, 8), 400, "ends_at must be after starts_at"),
    ("in the past", shift_body(-1, 8, 16), 422, "must start in the future"),
    ("negative pay", shift_body(base_hourly_cents=-100), 400, "base_hourly_cents"),
    ("zero positions", shift_body(positions=0), 400, "positions"),
    ("no rate for the profession", shift_body(profession="midwife"), 422, "no base rate"),
    ("longer than a day", {**shift_body(3, 8, 16), "ends_at": local(4, 20).isoformat()}, 422,
     "at most 24 hours"),
    ("naive time", {**shift_body(), "starts_at": "2030-01-01T08:00:00"}, 400,
     "timezone offset"),
    ("unknown language level", shift_body(required_languages={"sv": "excellent"}), 400,
     "required_languages"),
    ("unknown field", {**shift_body(), "salary": 1}, 400, "salary"),
    ("bad visibility", shift_body(visibility="everyone"), 400, "visibility"),
]


@pytest.mark.parametrize(("case", "body", "status", "message"), SHIFT_CASES,
                         ids=[c[0] for c in SHIFT_CASES])
async def test_bad_shifts_are_refused_and_nothing_is_stored(
        client: httpx.AsyncClient, case: str, body: dict[str, Any], status: int,
        message: str) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    scheduler = factories.auth(await factories.scheduler(org))
    response = await client.post(f"/api/units/{unit.id}/shifts", headers=scheduler,
                                 json={"shifts": [shift_body(5), body], "publish": True})
    assert response.status_code == status, response.text
    assert message in response.text
    assert await count(Shift) == 0
    assert await count(AuditEvent) == 0


async def test_unknown_and_other_areas_units_are_not_found(client: httpx.AsyncClient) -> None:
    org, other_org = await factories.organisation(), await factories.organisation()
    other_unit = await factories.unit(other_org)
    scheduler = factories.auth(await factories.scheduler(org))
    for unit_id in (uuid.uuid4(), other_unit.id):
        response = await client.post(f"/api/units/{unit_id}/shifts", headers=scheduler,
                                     json={"shifts": [shift_body()]})
        assert response.status_code == 404 and response.json()["detail"] == "No such unit"
        demand = await client.post(f"/api/units/{unit_id}/demand", headers=scheduler, json={
            "first_date": str(local(7, 0).date()), "last_date": str(local(8, 0).date()),
            "weekdays": [1, 2, 3, 4, 5, 6, 7], "profession": "doctor",
            "blocks": [{"start": "08:00", "end": "16:00", "headcount": 1}]})
        assert demand.status_code == 404
    assert await count(Shift) == 0


async def test_claims_on_drafts_cancelled_started_or_missing_shifts_are_refused(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    scheduler = factories.auth(await factories.scheduler(org))
    doctor = factories.auth(await factories.professional())
    draft, cancelled = await post_shifts(client, scheduler, unit.id, shift_body(3),
                                         shift_body(4), publish=False)
    await client.post("/api/shifts/publish", headers=scheduler,
                      json={"shift_ids": [cancelled["id"]]})
    await client.post(f"/api/shifts/{cancelled['id']}/cancel", headers=scheduler,
                      json={"reason": "Not needed"})
    from datetime import timedelta

    started = await factories.shift(unit, starts_in=timedelta(hours=-1))
    cases = [(draft["id"], 404), (cancelled["id"], 409), (started.id, 409), (uuid.uuid4(), 404)]
    for shift_id, status in cases:
        response = await client.post(f"/api/shifts/{shift_id}/claim", headers=doctor)
        assert response.status_code == status, (shift_id, response.text)
        assert response.json()["detail"]
    assert await count(Assignment) == 0


async def test_publishing_is_all_or_nothing_and_never_twice(client: httpx.AsyncClient) -> None:
    org, other_org = await factories.organisation(), await factories.organisation()
    unit, other_unit = await factories.unit(org), await factories.unit(other_org)
    scheduler = factories.auth(await factories.scheduler(org))
    other_scheduler = factories.auth(await factories.scheduler(other_org))
    [mine] = await post_shifts(client, scheduler, unit.id, shift_body(), publish=False)
    [theirs] = await post_shifts(client, other_scheduler, other_unit.id, shift_body(),
                                 publish=False)
    mixed = await client.post("/api/shifts/publish", headers=scheduler,
                              json={"shift_ids": [mine["id"], theirs["id"]]})
    assert mixed.status_code == 404
    assert await count(Shift, Shift.status == "published") == 0
    assert (await client.post("/api/shifts/publish", headers=scheduler,
                              json={"shift_ids": [mine["id"]]})).status_code == 200
    twice = await client.post("/api/shifts/publish", headers=scheduler,
                              json={"shift_ids": [mine["id"]]})
    assert twice.status_code == 409
    assert twice.json()["detail"] == "Only a draft can be published; the shift is published"


async def test_unpublishing_a_claimed_shift_is_refused(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    scheduler = factories.auth(await factories.scheduler(org))
    [shift] = await post_shifts(client, scheduler, unit.id, shift_body(positions=2))
    [spare] = await post_shifts(client, scheduler, unit.id, shift_body(5))
    await client.post(f"/api/shifts/{shift['id']}/claim",
                      headers=factories.auth(await factories.professional()))
    refused = await client.post(f"/api/shifts/{shift['id']}/unpublish", headers=scheduler)
    assert refused.status_code == 409 and "cancel it with a reason" in refused.json()["detail"]
    done = await client.post(f"/api/shifts/{spare['id']}/unpublish", headers=scheduler)
    assert done.status_code == 200 and done.json()["status"] == "draft"


DEMAND_CASES: list[tuple[str, dict[str, Any], int]] = [
    ("last before first", {"first_date": str(local(9, 0).date()),
                           "last_date": str(local(8, 0).date())}, 422),
    ("all in the past", {"first_date": str(local(-9, 0).date()),
                         "last_date": str(local(-8, 0).date())}, 422),
    ("no weekdays", {"weekdays": []}, 400),
    ("weekday 8", {"weekdays": [8]}, 400),
    ("headcount 0", {"blocks": [{"start": "08:00", "end": "16:00", "headcount": 0}]}, 400),
]


@pytest.mark.parametrize(("case", "change", "status"), DEMAND_CASES,
                         ids=[c[0] for c in DEMAND_CASES])
async def test_bad_demand_is_refused(client: httpx.AsyncClient, case: str,
                                     change: dict[str, Any], status: int) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    scheduler = factories.auth(await factories.scheduler(org))
    body = {"first_date": str(local(7, 0).date()), "last_date": str(local(13, 0).date()),
            "weekdays": [1, 2, 3, 4, 5], "profession": "doctor",
            "blocks": [{"start": "08:00", "end": "16:00", "headcount": 3}], **change}
    response = await client.post(f"/api/units/{unit.id}/demand", headers=scheduler, json=body)
    assert response.status_code == status, response.text
    assert await count(Shift) == 0
