"""Schedulers keep favourites and blocked professionals per unit; blocking is refused by the
one decision everywhere (claim, offer, new-shift notices), favourites count as preferring
the unit."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from asta.core.db import unit_of_work
from asta.marketplace.services.matching import match_new_shifts
from asta.notifications.models import Notification
from tests import factories
from tests.integration.web.helpers import post_form, sign_in


async def test_a_blocked_professional_cannot_claim_or_be_offered_until_unblocked(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    shift = await factories.shift(unit, positions=2)
    doctor = await factories.professional(full_name="Pekka Heikkinen")
    scheduler = await factories.scheduler(org)
    await sign_in(client, scheduler)
    found = f"/units/{unit.id}?find=Heikkinen"
    assert "Pekka Heikkinen" in (await client.get(found)).text
    action = f"/units/{unit.id}/marks"
    refused = await post_form(client, found, action, {
        "professional_id": str(doctor.id), "kind": "blocked", "reason": "", "find": "Heikkinen"})
    assert refused.status_code == 422
    assert 'id="f-reason-error"' in refused.text and "Kerro eston syy" in refused.text
    blocked = await post_form(client, found, action, {
        "professional_id": str(doctor.id), "kind": "blocked", "reason": "Toistuvat poissaolot"})
    assert blocked.status_code == 303
    listed = await client.get(blocked.headers["location"])
    assert "Ammattilainen on nyt estetty." in listed.text and "Toistuvat poissaolot" in listed.text

    claim = await client.post(f"/api/shifts/{shift.id}/claim", headers=factories.auth(doctor))
    assert claim.status_code == 422, claim.text
    assert [r["code"] for r in claim.json()["refusals"]] == ["blocked_by_unit"]
    detail = await client.get(f"/api/shifts/{shift.id}", headers=factories.auth(doctor))
    assert detail.json()["eligibility"]["action"] == "none"
    offer = await client.post(f"/api/shifts/{shift.id}/offers", headers=factories.auth(scheduler),
                              json={"professional_id": str(doctor.id)})
    assert offer.status_code == 422 and "blocked_by_unit" in offer.text
    events = await client.get("/api/audit-events", params={"entity_type": "unit_mark"},
                              headers=factories.auth(await factories.area_admin(org)))
    assert [e["action"] for e in events.json()["items"]] == ["create"]

    removed = await post_form(client, f"/units/{unit.id}",
                              f"/units/{unit.id}/marks/{doctor.id}/remove", {})
    assert removed.status_code == 303
    claim = await client.post(f"/api/shifts/{shift.id}/claim", headers=factories.auth(doctor))
    assert claim.status_code == 201, claim.text


async def test_new_shift_notices_reach_favourites_and_skip_the_blocked(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit, elsewhere = await factories.unit(org), await factories.unit(org, name="Muu yksikkö")
    prefers_elsewhere = {"preferred_unit_ids": [elsewhere.id]}
    favourite = await factories.professional(**prefers_elsewhere)
    plain = await factories.professional(**prefers_elsewhere)
    blocked = await factories.professional()
    scheduler = factories.auth(await factories.scheduler(org))
    for person, kind, reason in ((favourite, "favourite", ""), (blocked, "blocked", "Riita")):
        marked = await client.put(f"/api/units/{unit.id}/marks/{person.id}", headers=scheduler,
                                  json={"kind": kind, "reason": reason})
        assert marked.status_code == 200, marked.text
    listed = await client.get(f"/api/units/{unit.id}/marks", headers=scheduler)
    assert {m["kind"] for m in listed.json()} == {"favourite", "blocked"}
    await factories.shift(unit)
    async with unit_of_work() as session:
        assert await match_new_shifts(session) == 1
    async with unit_of_work() as session:
        told = set(await session.scalars(select(Notification.user_id).where(
            Notification.kind == "shift_match")))
    assert told == {favourite.id}
    del plain
