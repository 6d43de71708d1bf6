"""E-mails: new matching shifts, assignment, reminders; each once, even if jobs repeat."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import dramatiq
import httpx
import time_machine
from sqlalchemy import select, update

from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from asta.core.jobs import WorkerProcess
from asta.marketplace.jobs import notify_matching_professionals
from asta.marketplace.models import Shift
from asta.marketplace.services.matching import match_new_shifts, remind_upcoming
from asta.notifications.models import Notification
from tests import factories
from tests.integration.marketplace.helpers import count, post_shifts, shift_body


async def test_new_shifts_notify_eligible_professionals_whose_preferences_fit(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    scheduler = factories.auth(await factories.scheduler(org))
    fits = await factories.professional()
    wants_remote = await factories.professional(remote_only=True)
    too_cheap = await factories.professional(min_hourly_pay_cents=20_000)
    no_mornings = await factories.professional(unwanted_times=["morning"])
    nurse = await factories.professional(profession="nurse")
    unverified = await factories.professional(registration_status="unverified")
    [shift] = await post_shifts(client, scheduler, unit.id,
                                shift_body(3, 8, 16, is_remote=False))
    async with unit_of_work() as session:
        assert await match_new_shifts(session) == 1
    async with unit_of_work() as session:  # a second run finds nothing new
        assert await match_new_shifts(session) == 0
        recipients = set(await session.scalars(select(Notification.user_id).where(
            Notification.kind == "shift_match")))
    assert recipients == {fits.id}
    del wants_remote, too_cheap, no_mornings, nurse, unverified, shift


async def test_a_notification_is_queued_once_even_when_matching_runs_again(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    scheduler = factories.auth(await factories.scheduler(org))
    await factories.professional()
    [shift] = await post_shifts(client, scheduler, unit.id, shift_body())
    async with unit_of_work() as session:
        await match_new_shifts(session)
    async with unit_of_work() as session:  # as if a crash lost the matched mark
        row = await session.get(Shift, shift["id"])
        assert row is not None
        row.matched_at = None
    async with unit_of_work() as session:
        await match_new_shifts(session)
    assert await count(Notification, Notification.kind == "shift_match") == 1


async def test_booked_professionals_get_one_reminder_within_a_day_of_the_start(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    person = await factories.professional()
    tomorrow = await factories.shift(unit, starts_in=timedelta(hours=20))
    next_week = await factories.shift(unit, starts_in=timedelta(days=7))
    await factories.assignment(tomorrow, person)
    await factories.assignment(next_week, person)
    for _ in range(2):
        async with unit_of_work() as session:
            await remind_upcoming(session)
    assert await count(Notification, Notification.kind == "shift_reminder") == 1


async def test_claiming_queues_the_assignment_email_in_the_same_transaction(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    scheduler = factories.auth(await factories.scheduler(org))
    person = await factories.professional()
    [shift] = await post_shifts(client, scheduler, unit.id, shift_body())
    await client.post(f"/api/shifts/{shift['id']}/claim", headers=factories.auth(person))
    async with unit_of_work() as session:
        notice = await session.scalar(select(Notification).where(
            Notification.kind == "shift_assigned"))
    assert notice is not None and notice.user_id == person.id
    assert notice.subject.startswith("Varattu: ")  # the recipient's language (fi)


async def test_the_matching_job_runs_through_the_real_broker_and_worker(
        client: httpx.AsyncClient, broker: dramatiq.Broker) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    scheduler = factories.auth(await factories.scheduler(org))
    await factories.professional()
    await post_shifts(client, scheduler, unit.id, shift_body())
    worker = WorkerProcess(broker, threads=1, periodic=False)
    worker.start()
    try:
        notify_matching_professionals.send()
        for _ in range(150):  # up to 30 s
            if await count(Notification, Notification.kind == "shift_match"):
                break
            await asyncio.sleep(0.2)
    finally:
        worker.stop()
    assert await count(Notification, Notification.kind == "shift_match") == 1


async def test_staffed_shifts_move_to_in_progress_and_completed_with_the_clock() -> None:
    from asta.core.clock import utcnow
    from asta.marketplace.services.timesheets import advance_due

    org = await factories.organisation()
    unit = await factories.unit(org)
    person = await factories.professional()
    running = await factories.shift(unit, starts_in=timedelta(hours=-1), status="filled")
    over = await factories.shift(unit, starts_in=timedelta(hours=-20), status="filled")
    empty = await factories.shift(unit, starts_in=timedelta(hours=-1))
    await factories.assignment(running, person)
    await factories.assignment(over, person)
    async with unit_of_work() as session:
        assert await advance_due(session, utcnow()) == 2
    async with unit_of_work() as session:
        statuses = {s.id: s.status for s in await session.scalars(select(Shift))}
    assert statuses == {running.id: "in_progress", over.id: "completed", empty.id: "published"}


async def test_new_shift_e_mails_are_batched_to_one_an_hour(
        client: httpx.AsyncClient, clock: time_machine.TimeMachineFixture) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    scheduler = factories.auth(await factories.scheduler(org))
    person = await factories.professional()
    first, second = await post_shifts(client, scheduler, unit.id, shift_body(3), shift_body(5))
    async with unit_of_work() as session:
        await match_new_shifts(session)
    clock.move_to(utcnow() + timedelta(minutes=10))
    third, fourth = await post_shifts(client, scheduler, unit.id, shift_body(7), shift_body(9))
    async with unit_of_work() as session:
        await match_new_shifts(session)
        rows = list(await session.scalars(select(Notification).where(
            Notification.user_id == person.id).order_by(Notification.created_at)))
    # Nothing was sent yet, so all four wait in one e-mail, whose subject says so.
    assert len(rows) == 1 and rows[0].subject == "Uusia vuoroja sinulle"
    assert all(f"/shifts/{s['id']}" in rows[0].body for s in (first, second, third, fourth))
    async with unit_of_work() as session:  # it goes out; the next waits an hour after it
        await session.execute(update(Notification).where(Notification.id == rows[0].id)
                              .values(status="done", attempts=1, sent_at=utcnow()))
    [fifth] = await post_shifts(client, scheduler, unit.id, shift_body(11))
    async with unit_of_work() as session:
        await match_new_shifts(session)
        later = await session.scalar(select(Notification).where(
            Notification.user_id == person.id, Notification.status == "pending"))
    assert later is not None and f"/shifts/{fifth['id']}" in later.body
    assert later.next_attempt_at == rows[0].created_at + timedelta(hours=1)
