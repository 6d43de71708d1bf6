"""After the shift: a professional reports hours, the scheduler approves (with a correction),
the professional sees the pay; the on-duty view and the survey page."""

from __future__ import annotations

from datetime import UTC, timedelta

import httpx
from sqlalchemy import select

from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from asta.notifications.models import Notification
from asta.web.planning import local_input
from tests import factories
from tests.integration.web.helpers import post_form, sign_in


async def test_reported_hours_are_corrected_approved_and_paid(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    doctor = await factories.professional()
    scheduler = await factories.scheduler(org)
    start = (utcnow() - timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    sheet = await factories.worked_shift(unit, doctor, start, hours=8, approved=False)
    shift = await factories.shift(unit, starts_in=timedelta(hours=-3), hours=2)
    assignment = await factories.assignment(shift, doctor)
    await sign_in(client, doctor)
    worked = await client.get("/my-shifts/worked")
    assert "Lähetetty, odottaa hyväksyntää" in worked.text
    assert f'href="/my-shifts/{assignment.id}/timesheet"' in worked.text
    form_url = f"/my-shifts/{assignment.id}/timesheet"
    refused = await post_form(client, form_url, form_url, {
        "actual_start": "soon", "actual_end": "", "break_minutes": "0",
        "contacts_handled": "4", "resolved_remotely": "9", "referred_to_health_station": "0",
        "notes": "kept"})
    assert refused.status_code == 422 and 'id="f-actual_start-error"' in refused.text
    assert refused.headers["content-type"].startswith("text/html")  # a page, never JSON
    assert ">kept</textarea>" in refused.text
    earnings = await client.get("/earnings")
    assert earnings.status_code == 200 and "Odottaa yksikön hyväksyntää" in earnings.text
    assert (await client.get("/surveys")).status_code == 200
    client.cookies.clear()
    await sign_in(client, scheduler)
    listed = await client.get("/timesheets")
    assert str(doctor.full_name) in listed.text and "Korjauksen syy" in listed.text
    key = str(sheet.assignment_id)
    approved = await post_form(client, "/timesheets", f"/timesheets/{key}/approve", {
        "unit_id": "", "actual_start": (start + timedelta(hours=2)).astimezone(UTC)
        .strftime("%Y-%m-%dT%H:%M+00:00"), "actual_end": (start + timedelta(hours=8))
        .astimezone(UTC).strftime("%Y-%m-%dT%H:%M+00:00"), "break_minutes": "30",
        "correction_note": "Started later", "original_start": "x", "original_end": "y",
        "original_break": "0"})
    assert approved.status_code == 303, approved.text
    after = await client.get(approved.headers["location"])
    assert "1 tuntikirjaus hyväksytty: palkka on vahvistettu" in after.text
    async with unit_of_work() as session:
        told = (await session.scalars(select(Notification).where(
            Notification.user_id == doctor.id, Notification.kind == "timesheet_corrected"))).all()
    assert len(told) == 1 and "Started later" in told[0].body  # with the reason, by e-mail
    client.cookies.clear()
    await sign_in(client, doctor)  # and in the pages, with the corrected hours
    corrected = (await client.get("/my-shifts/worked")).text
    assert "Yksikkö korjasi tunnit" in corrected and "palkaton tauko 30 min" in corrected
    assert "Syy: Started later" in corrected
    client.cookies.clear()
    await sign_in(client, scheduler)
    after = await client.get(approved.headers["location"])
    assert "Hyväksyntää odottavia tuntiraportteja ei ole" in after.text
    duty = await client.get("/on-duty")
    assert duty.status_code == 200 and "Vuorossa nyt" in duty.text


async def test_a_correction_without_a_reason_is_refused_in_place(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    start = (utcnow() - timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    sheet = await factories.worked_shift(unit, await factories.professional(), start, hours=8,
                                         approved=False)
    await sign_in(client, await factories.scheduler(org))
    key = str(sheet.assignment_id)
    started, ended = local_input(sheet.actual_start), local_input(sheet.actual_end)
    refused = await post_form(client, "/timesheets", f"/timesheets/{key}/approve", {
        "unit_id": "", "actual_start": started, "actual_end": ended, "break_minutes": "60",
        "correction_note": "", "original_start": started, "original_end": ended,
        "original_break": str(sheet.break_minutes)})
    assert refused.status_code == 422
    assert f'id="correction_note-{key}-error"' in refused.text
    assert 'value="60"' in refused.text  # what was typed stays
    api = await client.post(f"/api/assignments/{key}/timesheet/approve",
                            json={"break_minutes": 60},
                            headers=factories.auth(await factories.scheduler(org)))
    assert api.status_code == 422 and api.json()["field"] == "correction_note"


async def test_ticked_timesheets_are_approved_together(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    start = (utcnow() - timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    sheets = [await factories.worked_shift(unit, await factories.professional(),
                                           start + timedelta(hours=h), hours=4, approved=False)
              for h in (0, 1, 2)]
    await sign_in(client, await factories.scheduler(org))
    ticked = [("assignment_ids", str(s.assignment_id)) for s in sheets[:2]]
    done = await post_form(client, "/timesheets", "/timesheets/approve", ticked)
    assert done.status_code == 303 and "approved=2" in done.headers["location"]
    after = await client.get(done.headers["location"])
    assert "2 tuntikirjausta hyväksytty" in after.text
    assert after.text.count('name="assignment_ids"') == 1  # the third still waits
    nothing = await post_form(client, "/timesheets", "/timesheets/approve", [])
    assert nothing.status_code == 422 and "Mitään ei hyväksytty" in nothing.text
