"""The marketplace's part of a professional's data export and erasure."""

from __future__ import annotations

import httpx

from asta.core.db import unit_of_work
from asta.marketplace.models import Shift
from tests import factories
from tests.integration.marketplace.helpers import post_shifts, shift_body


async def test_export_lists_my_shifts_and_erasure_releases_future_ones(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    scheduler = factories.auth(await factories.scheduler(org))
    doctor = factories.auth(await factories.professional())
    [shift] = await post_shifts(client, scheduler, unit.id, shift_body())
    await client.post(f"/api/shifts/{shift['id']}/claim", headers=doctor)
    export = (await client.get("/api/me/export", headers=doctor)).json()
    assert [a["shift_id"] for a in export["shift_assignments"]] == [shift["id"]]
    assert export["timesheets"] == [] and export["standby_entries"] == []
    assert (await client.post("/api/me/erasure", headers=doctor)).status_code == 202
    async with unit_of_work() as session:
        row = await session.get(Shift, shift["id"])
    assert row is not None and (row.assigned_count, row.status) == (0, "published")


async def test_a_units_mark_is_in_the_export_and_gone_after_erasure(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    scheduler = factories.auth(await factories.scheduler(org))
    person = await factories.professional()
    marked = await client.put(f"/api/units/{unit.id}/marks/{person.id}", headers=scheduler,
                              json={"kind": "blocked", "reason": "Repeated no-shows"})
    assert marked.status_code == 200
    export = (await client.get("/api/me/export", headers=factories.auth(person))).json()
    assert [(m["kind"], m["reason"]) for m in export["unit_marks"]] == [
        ("blocked", "Repeated no-shows")]
    assert (await client.post("/api/me/erasure",
                              headers=factories.auth(person))).status_code == 202
    assert (await client.get(f"/api/units/{unit.id}/marks", headers=scheduler)).json() == []
