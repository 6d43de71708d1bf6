"""One test per rule a claim must respect."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy.exc import IntegrityError

from asta.accounts.models import Unit
from asta.core.db import unit_of_work
from asta.marketplace.models import NO_OVERLAP, Assignment
from asta.profiles.models import Certificate, UnitOnboarding
from tests import factories
from tests.integration.marketplace.helpers import count, post_shifts, shift_body


async def setup(**unit_fields: object) -> tuple[Unit, dict[str, str]]:
    org = await factories.organisation()
    unit = await factories.unit(org, **unit_fields)
    return unit, factories.auth(await factories.scheduler(org))


async def claim(client: httpx.AsyncClient, shift: dict[str, object],
                who: dict[str, str]) -> httpx.Response:
    return await client.post(f"/api/shifts/{shift['id']}/claim", headers=who)


async def test_overlapping_shifts_are_refused_with_409(client: httpx.AsyncClient) -> None:
    unit, scheduler = await setup()
    doctor = factories.auth(await factories.professional())
    first, second = await post_shifts(client, scheduler, unit.id, shift_body(3, 8, 16),
                                      shift_body(3, 12, 20))
    assert (await claim(client, first, doctor)).status_code == 201
    refused = await claim(client, second, doctor)
    assert refused.status_code == 409
    assert refused.json()["rule"] == "overlap"
    assert "Overlaps another shift" in refused.json()["detail"]
    assert await count(Assignment) == 1


async def test_the_database_itself_refuses_overlapping_confirmed_shifts() -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    doctor = await factories.professional()
    first = await factories.shift(unit, starts_in=timedelta(days=2), hours=8)
    second = await factories.shift(unit, starts_in=timedelta(days=2, hours=4), hours=8)
    await factories.assignment(first, doctor)
    with pytest.raises(IntegrityError) as caught:
        await factories.assignment(second, doctor)
    assert NO_OVERLAP in str(caught.value)
    # A cancelled assignment does not block the time.
    await factories.assignment(second, doctor, status="cancelled")


async def test_too_little_rest_between_shifts_is_refused(client: httpx.AsyncClient) -> None:
    unit, scheduler = await setup(min_rest_hours=11)
    doctor = factories.auth(await factories.professional())
    evening, morning = await post_shifts(client, scheduler, unit.id, shift_body(3, 14, 22),
                                         shift_body(4, 6, 14))
    assert (await claim(client, evening, doctor)).status_code == 201
    refused = await claim(client, morning, doctor)
    assert refused.status_code == 422
    assert refused.json()["rule"] == "min_rest"
    assert "Only 8 h rest between shifts; the unit requires 11 h" in refused.json()["detail"]


async def test_the_units_weekly_maximum_is_enforced(client: httpx.AsyncClient) -> None:
    unit, scheduler = await setup(weekly_max_hours=20)
    doctor = factories.auth(await factories.professional())
    # Mon-Wed of a week two weeks ahead keeps all three shifts in one calendar week.
    from tests.integration.marketplace.helpers import local

    monday = 14 - local(0, 0).weekday()
    shifts = await post_shifts(client, scheduler, unit.id,
                               *[shift_body(monday + d, 8, 16) for d in range(3)])
    assert (await claim(client, shifts[0], doctor)).status_code == 201
    assert (await claim(client, shifts[1], doctor)).status_code == 201
    refused = await claim(client, shifts[2], doctor)
    assert refused.status_code == 422
    assert refused.json()["rule"] == "weekly_max"
    assert "Would work 24 h in the week" in refused.json()["detail"]


async def test_the_professionals_own_weekly_maximum_is_enforced(
        client: httpx.AsyncClient) -> None:
    unit, scheduler = await setup()
    doctor = factories.auth(await factories.professional(max_hours_per_week=10))
    from tests.integration.marketplace.helpers import local

    monday = 14 - local(0, 0).weekday()
    first, second = await post_shifts(client, scheduler, unit.id, shift_body(monday, 8, 16),
                                      shift_body(monday + 1, 8, 16))
    assert (await claim(client, first, doctor)).status_code == 201
    refused = await claim(client, second, doctor)
    assert refused.status_code == 422
    assert refused.json()["rule"] == "personal_weekly_max"
    assert "your own maximum is 10 h" in refused.json()["detail"]


async def test_ineligible_professionals_get_every_reason(client: httpx.AsyncClient) -> None:
    unit, scheduler = await setup()
    nurse = factories.auth(await factories.professional(
        profession="nurse", registration_status="unverified",
        languages=[{"code": "sv", "level": "basic"}]))
    [shift] = await post_shifts(client, scheduler, unit.id, shift_body(
        required_languages={"sv": "fluent"}, required_competences=["triage"]))
    refused = await claim(client, shift, nurse)
    assert refused.status_code == 422
    codes = [r["code"] for r in refused.json()["reasons"]]
    assert codes == ["wrong_profession", "registration_unverified", "language_level_too_low",
                     "missing_competence"]
    board = (await client.get("/api/shifts?eligible_only=false", headers=nurse)).json()
    assert [r["code"] for r in board["items"][0]["eligibility"]["reasons"]] == codes
    assert (await client.get("/api/shifts", headers=nurse)).json()["total"] == 0


async def test_expired_certificate_and_registration_make_a_shift_ineligible(
        client: httpx.AsyncClient) -> None:
    unit, scheduler = await setup()
    from tests.integration.marketplace.helpers import local

    person = await factories.professional(registration_valid_until=local(5, 0).date(),
                                          competences=["als"])
    async with unit_of_work() as session:
        session.add(Certificate(user_id=person.id, name="ALS", competence="als",
                                expires_on=local(3, 0).date()))
    doctor = factories.auth(person)
    soon, later = await post_shifts(client, scheduler, unit.id,
                                    shift_body(2, required_competences=["als"]),
                                    shift_body(8, required_competences=["als"]))
    board = (await client.get("/api/shifts", headers=doctor)).json()
    assert [s["id"] for s in board["items"]] == [soon["id"]]
    refused = await claim(client, later, doctor)
    assert {r["code"] for r in refused.json()["reasons"]} == {"registration_expired",
                                                             "certificate_expired"}


async def test_onboarding_needed_is_marked_and_blocks_instant_booking(
        client: httpx.AsyncClient) -> None:
    unit, scheduler = await setup()
    person = await factories.professional()
    doctor = factories.auth(person)
    [shift] = await post_shifts(client, scheduler, unit.id, shift_body(onboarding_required=True))
    item = (await client.get("/api/shifts", headers=doctor)).json()["items"][0]
    verdict = item["eligibility"]
    assert (verdict["eligible"], verdict["onboarding_needed"], verdict["can_claim"],
            verdict["action"]) == (True, True, False, "none")
    assert [r["code"] for r in verdict["reasons"]] == ["onboarding_needed"]
    refused = await claim(client, shift, doctor)
    assert refused.status_code == 422 and refused.json()["error"] == "onboarding_needed"
    async with unit_of_work() as session:
        session.add(UnitOnboarding(user_id=person.id, unit_id=unit.id))
    assert (await claim(client, shift, doctor)).status_code == 201


async def test_visibility_decides_who_sees_and_claims(client: httpx.AsyncClient) -> None:
    unit, scheduler = await setup()
    stranger_user = await factories.professional()
    stranger = factories.auth(stranger_user)
    insider_user = await factories.professional()
    insider = factories.auth(insider_user)
    async with unit_of_work() as session:
        session.add(UnitOnboarding(user_id=insider_user.id, unit_id=unit.id))
    area, unit_only, national = await post_shifts(
        client, scheduler, unit.id, shift_body(3, visibility="area"),
        shift_body(4, visibility="unit"), shift_body(5, visibility="national"))
    seen = {s["id"] for s in (await client.get("/api/shifts", headers=stranger)).json()["items"]}
    assert seen == {national["id"]}
    seen = {s["id"] for s in (await client.get("/api/shifts", headers=insider)).json()["items"]}
    assert seen == {area["id"], unit_only["id"], national["id"]}
    assert (await claim(client, unit_only, stranger)).status_code == 404
    assert (await client.get(f"/api/shifts/{area['id']}", headers=stranger)).status_code == 404


async def test_request_mode_lets_the_scheduler_pick_and_declines_the_rest(
        client: httpx.AsyncClient) -> None:
    unit, scheduler = await setup(claim_mode="request")
    people = [await factories.professional(full_name=f"Dr {n}") for n in "ABC"]
    [shift] = await post_shifts(client, scheduler, unit.id, shift_body())
    requests = [await claim(client, shift, factories.auth(p)) for p in people]
    assert [r.json()["status"] for r in requests] == ["requested"] * 3
    again = await claim(client, shift, factories.auth(people[0]))
    assert again.status_code == 409 and again.json()["error"] == "already_claimed"
    chosen = requests[1].json()["id"]
    approved = await client.post(f"/api/assignments/{chosen}/approve", headers=scheduler)
    assert approved.status_code == 200 and approved.json()["status"] == "confirmed"
    detail = (await client.get(f"/api/shifts/{shift['id']}", headers=scheduler)).json()
    assert detail["status"] == "filled"
    assert sorted(a["status"] for a in detail["assignments"]) == ["confirmed", "declined",
                                                                  "declined"]
    from asta.notifications.models import Notification

    assert await count(Notification, Notification.kind == "shift_request_declined") == 2
    twice = await client.post(f"/api/assignments/{chosen}/approve", headers=scheduler)
    assert twice.status_code == 409


async def test_instant_mode_books_at_once_and_refuses_when_full(
        client: httpx.AsyncClient) -> None:
    unit, scheduler = await setup(claim_mode="instant")
    first = factories.auth(await factories.professional())
    second = factories.auth(await factories.professional())
    [shift] = await post_shifts(client, scheduler, unit.id, shift_body(positions=1))
    assert (await claim(client, shift, first)).json()["status"] == "confirmed"
    full = await claim(client, shift, second)
    assert full.status_code == 409 and full.json()["error"] == "shift_full"
    assert "standby" in full.json()["detail"]
