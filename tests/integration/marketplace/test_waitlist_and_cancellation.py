"""Standby offers when a position frees up; cancellations early, late and by the unit."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
from sqlalchemy import select, update

from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from asta.marketplace.models import Assignment, Shift, WaitlistEntry
from asta.marketplace.services.waitlist import expire_offers
from asta.notifications.models import Notification
from tests import factories
from tests.integration.marketplace.helpers import count, post_shifts, shift_body


async def world(client: httpx.AsyncClient, *, notice_hours: int = 48, days: int = 5):  # type: ignore[no-untyped-def]
    org = await factories.organisation()
    unit = await factories.unit(org, cancellation_notice_hours=notice_hours)
    scheduler = factories.auth(await factories.scheduler(org))
    [shift] = await post_shifts(client, scheduler, unit.id, shift_body(days, positions=1))
    return shift, scheduler


async def test_a_freed_position_is_offered_to_the_first_standby_who_can_accept(
        client: httpx.AsyncClient) -> None:
    shift, scheduler = await world(client)
    holder_user = await factories.professional()
    first_user, second_user = await factories.professional(), await factories.professional()
    booked = await client.post(f"/api/shifts/{shift['id']}/claim", headers=factories.auth(holder_user))
    joined = [await client.post(f"/api/shifts/{shift['id']}/waitlist", headers=factories.auth(p))
              for p in (first_user, second_user)]
    assert [j.status_code for j in joined] == [201, 201]
    assert [j.json()["position"] for j in joined] == [1, 2]

    cancelled = await client.post(f"/api/assignments/{booked.json()['id']}/cancel",
                                  headers=factories.auth(holder_user), json={"reason": "Ill"})
    assert cancelled.status_code == 200
    mine = (await client.get("/api/me/waitlist", headers=factories.auth(first_user))).json()
    assert mine[0]["status"] == "offered"
    expires = datetime.fromisoformat(mine[0]["offer_expires_at"])
    assert timedelta(hours=1, minutes=59) < expires - utcnow() <= timedelta(hours=2)
    # The offered position is held: nobody else can claim it meanwhile.
    outsider = await client.post(f"/api/shifts/{shift['id']}/claim",
                                 headers=factories.auth(await factories.professional()))
    assert outsider.status_code == 409
    accepted = await client.post(f"/api/waitlist/{mine[0]['id']}/accept",
                                 headers=factories.auth(first_user))
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    detail = (await client.get(f"/api/shifts/{shift['id']}", headers=scheduler)).json()
    assert detail["status"] == "filled"
    assert [a["professional_id"] for a in detail["assignments"] if a["status"] == "confirmed"] \
        == [str(first_user.id)]
    assert await count(Notification, Notification.kind == "standby_offer") == 1


async def test_an_unanswered_offer_expires_and_passes_to_the_next_in_line(
        client: httpx.AsyncClient) -> None:
    shift, _ = await world(client)
    holder = await factories.professional()
    first, second = await factories.professional(), await factories.professional()
    booked = await client.post(f"/api/shifts/{shift['id']}/claim", headers=factories.auth(holder))
    for person in (first, second):
        await client.post(f"/api/shifts/{shift['id']}/waitlist", headers=factories.auth(person))
    await client.post(f"/api/assignments/{booked.json()['id']}/cancel",
                      headers=factories.auth(holder), json={"reason": "Ill"})
    async with unit_of_work() as session:  # the two hours pass
        await session.execute(update(WaitlistEntry).where(WaitlistEntry.status == "offered")
                              .values(offer_expires_at=utcnow() - timedelta(minutes=1)))
    async with unit_of_work() as session:  # what the job expire_standby_offers runs
        assert await expire_offers(session, utcnow()) == 1
    async with unit_of_work() as session:
        entries = {e.professional_id: e.status for e in await session.scalars(select(WaitlistEntry))}
        row = await session.get(Shift, shift["id"])
    assert entries == {first.id: "expired", second.id: "offered"}
    assert row is not None and (row.offered_count, row.status) == (1, "filled")
    [offer] = (await client.get("/api/me/waitlist", headers=factories.auth(second))).json()
    late = await client.post(f"/api/waitlist/{offer['id']}/decline",
                             headers=factories.auth(second))
    assert late.status_code == 200 and late.json()["status"] == "declined"
    async with unit_of_work() as session:
        row = await session.get(Shift, shift["id"])
    assert row is not None and (row.offered_count, row.status) == (0, "published")


async def test_a_professional_cancels_freely_before_the_notice_period(
        client: httpx.AsyncClient) -> None:
    shift, _ = await world(client, notice_hours=48, days=5)
    doctor = factories.auth(await factories.professional())
    booked = (await client.post(f"/api/shifts/{shift['id']}/claim", headers=doctor)).json()
    cancelled = await client.post(f"/api/assignments/{booked['id']}/cancel", headers=doctor,
                                  json={"reason": "Family matters"})
    assert cancelled.status_code == 200
    assert cancelled.json()["late_cancellation"] is False
    again = await client.post(f"/api/assignments/{booked['id']}/cancel", headers=doctor,
                              json={"reason": "Family matters"})
    assert again.status_code == 409


async def test_a_late_cancellation_is_recorded_and_lowers_reliability(
        client: httpx.AsyncClient) -> None:
    shift, scheduler = await world(client, notice_hours=48, days=1)
    person = await factories.professional()
    doctor = factories.auth(person)
    booked = (await client.post(f"/api/shifts/{shift['id']}/claim", headers=doctor)).json()
    # One shift worked earlier, so the score has history to weigh.
    org_unit = await client.get(f"/api/shifts/{shift['id']}", headers=scheduler)
    from asta.accounts.models import Unit

    async with unit_of_work() as session:
        unit = await session.get(Unit, org_unit.json()["unit_id"])
    worked = await factories.shift(unit, starts_in=timedelta(days=-3), status="completed")
    await factories.timesheet(await factories.assignment(worked, person))
    async with unit_of_work() as session:
        from asta.marketplace.models import Timesheet

        await session.execute(update(Timesheet).values(status="approved"))
    cancelled = await client.post(f"/api/assignments/{booked['id']}/cancel", headers=doctor,
                                  json={"reason": "Overslept the notice"})
    assert cancelled.json()["late_cancellation"] is True
    detail = (await client.get(f"/api/shifts/{shift['id']}", headers=scheduler)).json()
    assert detail["assignments"][0]["reliability_score"] == 50  # 1 worked, 1 late


async def test_a_schedulers_cancellation_tells_the_professional_why(
        client: httpx.AsyncClient) -> None:
    shift, scheduler = await world(client)
    person = await factories.professional()
    booked = (await client.post(f"/api/shifts/{shift['id']}/claim",
                                headers=factories.auth(person))).json()
    cancelled = await client.post(f"/api/assignments/{booked['id']}/cancel", headers=scheduler,
                                  json={"reason": "Unit closed for renovation"})
    assert cancelled.status_code == 200
    assert cancelled.json()["late_cancellation"] is False
    async with unit_of_work() as session:
        notice = await session.scalar(select(Notification).where(
            Notification.kind == "shift_cancelled"))
    assert notice is not None and notice.user_id == person.id
    assert "Unit closed for renovation" in notice.body


async def test_cancelling_a_shift_cancels_every_assignment_and_notifies(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    scheduler = factories.auth(await factories.scheduler(org))
    [shift] = await post_shifts(client, scheduler, unit.id, shift_body(positions=2))
    for _ in range(2):
        await client.post(f"/api/shifts/{shift['id']}/claim",
                          headers=factories.auth(await factories.professional()))
    cancelled = await client.post(f"/api/shifts/{shift['id']}/cancel", headers=scheduler,
                                  json={"reason": "Demand moved to the health station"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert await count(Assignment, Assignment.status == "cancelled") == 2
    assert await count(Notification, Notification.kind == "shift_cancelled") == 2
    again = await client.post(f"/api/shifts/{shift['id']}/cancel", headers=scheduler,
                              json={"reason": "twice"})
    assert again.status_code == 409 and again.json()["error"] == "invalid_transition"
    claim = await client.post(f"/api/shifts/{shift['id']}/claim",
                              headers=factories.auth(await factories.professional()))
    assert claim.status_code == 409 and "cancelled" in claim.json()["detail"]
