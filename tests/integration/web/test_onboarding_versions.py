"""Onboarding checklists are versioned: a new step spares those already onboarded unless the
scheduler says otherwise; steps are edited and retired; every change is audited."""

from __future__ import annotations

import uuid

import httpx

from tests import factories
from tests.integration.web.helpers import post_form, sign_in


async def add_step(client: httpx.AsyncClient, headers: dict[str, str], unit_id: uuid.UUID,
                   title: str, applies: bool = False) -> uuid.UUID:
    """Through the unit page; the id read back through the API."""
    page = f"/units/{unit_id}"
    added = await post_form(client, page, f"{page}/onboarding-items", {
        "title": title, "description": "", "applies_to_onboarded": "on" if applies else ""})
    assert added.status_code == 303, added.text
    items = await client.get(f"/api/units/{unit_id}/onboarding/items", headers=headers)
    return uuid.UUID(next(i["id"] for i in items.json() if i["title"] == title))


async def test_steps_are_added_for_newcomers_required_from_everyone_edited_and_retired(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    doctor = await factories.professional()
    scheduler = await factories.scheduler(org)
    headers = factories.auth(scheduler)
    await sign_in(client, scheduler)
    progress = f"/api/units/{unit.id}/onboarding/professionals/{doctor.id}"

    async def record(*item_ids: uuid.UUID) -> bool:
        saved = await client.put(progress, headers=headers,
                                 json={"completed_item_ids": [str(i) for i in item_ids]})
        assert saved.status_code == 200, saved.text
        return bool(saved.json()["completed"])

    async def onboarded() -> bool:
        return bool((await client.get(progress, headers=headers)).json()["completed"])

    triage = await add_step(client, headers, unit.id, "Triage guide")
    assert await record(triage)
    tools = await add_step(client, headers, unit.id, "Phone system")  # the default: a to-do for them
    assert await onboarded()
    mine = await client.get("/api/me/profile", headers=factories.auth(doctor))
    [status] = mine.json()["onboarding"]
    assert (status["items_total"], status["items_completed"], status["completed"]) == (2, 1, True)
    page = await client.get(f"/units/{unit.id}")
    assert "Jo perehdytetyt (1)" in page.text and "tehtävä ennen" in page.text

    privacy = await add_step(client, headers, unit.id, "Data protection", applies=True)
    assert not await onboarded()
    assert not await record(triage, tools)  # the new step is still missing

    step = f"/units/{unit.id}/onboarding-items/{privacy}"
    retired = await post_form(client, step, step, {"action": "retire"})
    assert retired.status_code == 303 and "step=retired" in retired.headers["location"]
    assert await onboarded()  # every remaining step is done
    items = await client.get(f"/api/units/{unit.id}/onboarding/items", headers=headers)
    assert [i["title"] for i in items.json()] == ["Phone system", "Triage guide"]

    edit = f"/units/{unit.id}/onboarding-items/{triage}"
    refused = await post_form(client, edit, edit, {"title": "", "description": "",
                                                   "position": "x", "action": "save"})
    assert refused.status_code == 422
    assert 'id="f-title-error"' in refused.text and 'id="f-position-error"' in refused.text
    saved = await post_form(client, edit, edit, {"title": "Triage guide 2027",
                                                 "description": "", "position": "1",
                                                 "action": "save"})
    assert saved.status_code == 303
    assert "Triage guide 2027" in (await client.get(f"/units/{unit.id}")).text
    events = await client.get("/api/audit-events", params={"entity_type": "onboarding_item"},
                              headers=factories.auth(await factories.area_admin(org)))
    assert sorted(e["action"] for e in events.json()["items"]) == [
        "create", "create", "create", "retire", "update"]
