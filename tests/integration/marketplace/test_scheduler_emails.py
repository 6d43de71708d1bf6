"""E-mails to a unit's schedulers (claims, late cancellations, requests, submitted
timesheets): queued with their cause, in the scheduler's language, as each chose per kind."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import time_machine
from sqlalchemy import select, update

from asta.accounts.models import ClaimMode, Organisation, Unit, User
from asta.core.config import get_settings
from asta.core.db import unit_of_work
from asta.notifications.models import Notification
from tests import factories
from tests.integration.mail import Inbox
from tests.integration.marketplace.helpers import move_shift
from tests.integration.marketplace.test_emails import BODY, _deliver, _parts, _subject
from tests.integration.web.helpers import post_form, sign_in

HELSINKI = ZoneInfo("Europe/Helsinki")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=HELSINKI)  # a Tuesday; the shift is next Tuesday


async def _staff(locale: str, org: Organisation,
                 unit: Unit | None = None) -> User:
    person = await factories.scheduler(org, unit)
    async with unit_of_work() as session:
        await session.execute(update(User).where(User.id == person.id)  # type: ignore[arg-type]
                              .values(locale=locale))
    return person


async def _rows(person: User) -> list[Notification]:
    async with unit_of_work() as session:
        return list(await session.scalars(select(Notification).where(
            Notification.user_id == person.id).order_by(Notification.created_at)))


async def _posted(client: httpx.AsyncClient, **unit_fields: object
                  ) -> tuple[str, Organisation, Unit, User]:
    org = await factories.organisation()
    unit = await factories.unit(org, "Kaiku24 etävastaanotto", **unit_fields)
    scheduler = await _staff("fi", org, unit)
    posted = await client.post(f"/api/units/{unit.id}/shifts", headers=factories.auth(scheduler),
                               json={"shifts": [BODY], "publish": True})
    assert posted.status_code == 201, posted.text
    return str(posted.json()[0]["id"]), org, unit, scheduler


async def test_a_request_waiting_e_mail_in_finnish_and_swedish(
        client: httpx.AsyncClient, smtp: Inbox, clock: time_machine.TimeMachineFixture) -> None:
    clock.move_to(NOW, tick=False)
    shift_id, org, _, scheduler = await _posted(client, claim_mode=ClaimMode.REQUEST.value)
    area_wide = await _staff("sv", org)
    elsewhere = await _staff("fi", org, await factories.unit(org, "Muu yksikkö"))
    doctor = await factories.professional(full_name="Pekka Heikkinen")
    asked = await client.post(f"/api/shifts/{shift_id}/claim", headers=factories.auth(doctor))
    assert asked.status_code == 201, asked.text

    message = await _deliver(scheduler, "request_waiting", smtp)
    base = get_settings().public_base_url
    assert _subject(message) == "Pyyntö odottaa: Kaiku24 etävastaanotto, ti 8.12.2026 8.00–16.00"
    text, _ = _parts(message)
    assert text == (
        "Pekka Heikkinen pyytää tätä vuoroa. Hyväksy tai hylkää pyyntö vuoron sivulla.\n"
        "\n"
        "Kaiku24 etävastaanotto: ti 8.12.2026 8.00–16.00\n"
        "Lääkäri, etänä\n"
        "Palkka: 720,00\xa0€\n"
        "\n"
        f"Päätä pyynnöstä: {base}/fill-board/shifts/{shift_id}\n")
    [swedish] = await _rows(area_wide)
    assert swedish.subject == "Begäran väntar: Kaiku24 etävastaanotto, tis 8 dec. 2026 8.00–16.00"
    assert swedish.next_attempt_at is None  # requests wait for the scheduler: sent at once
    assert await _rows(elsewhere) == []


async def test_claims_go_in_the_daily_summary_unless_chosen_otherwise(
        client: httpx.AsyncClient, clock: time_machine.TimeMachineFixture) -> None:
    clock.move_to(NOW, tick=False)
    shift_id, _, unit, scheduler = await _posted(client, claim_mode=ClaimMode.INSTANT.value)
    doctor = factories.auth(await factories.professional(full_name="Pekka Heikkinen"))
    assert (await client.post(f"/api/shifts/{shift_id}/claim", headers=doctor)).status_code == 201
    [digest] = await _rows(scheduler)
    assert digest.kind == "shift_claimed"
    assert digest.subject == "Varannut Pekka Heikkinen: Kaiku24 etävastaanotto, ti 8.12.2026 " \
                             "8.00–16.00"
    assert digest.next_attempt_at == datetime(2026, 12, 2, 7, 0, tzinfo=HELSINKI)

    me = factories.auth(scheduler)
    assert (await client.get("/api/me/staff-notifications", headers=me)).json() == {
        "claims": "daily", "cancellations": "instant", "requests": "instant",
        "timesheets": "daily"}
    chosen = await client.put("/api/me/staff-notifications", headers=me,
                              json={"claims": "instant", "timesheets": "off"})
    assert chosen.status_code == 200, chosen.text
    second = (await client.post(f"/api/units/{unit.id}/shifts", headers=me,
                                json={"shifts": [BODY], "publish": True})).json()[0]["id"]
    other = factories.auth(await factories.professional(full_name="Anna Virtanen"))
    assert (await client.post(f"/api/shifts/{second}/claim", headers=other)).status_code == 201
    rows = await _rows(scheduler)
    assert [(r.kind, r.next_attempt_at) for r in rows] == [
        ("shift_claimed", digest.next_attempt_at), ("shift_claimed", None)]
    assert rows[1].body.startswith("Anna Virtanen varasi tämän vuoron.")


async def test_late_cancellation_and_submitted_timesheet(
        client: httpx.AsyncClient, clock: time_machine.TimeMachineFixture) -> None:
    clock.move_to(NOW, tick=False)
    shift_id, _, unit, scheduler = await _posted(client, cancellation_notice_hours=240)
    doctor = factories.auth(await factories.professional(full_name="Pekka Heikkinen"))
    booked = (await client.post(f"/api/shifts/{shift_id}/claim", headers=doctor)).json()
    cancelled = await client.post(f"/api/assignments/{booked['id']}/cancel", headers=doctor,
                                  json={"reason": "sairastuin"})
    assert cancelled.status_code == 200 and cancelled.json()["late_cancellation"]
    late = [r for r in await _rows(scheduler) if r.kind == "late_cancellation"]
    assert [r.subject for r in late] == [
        "Myöhäinen peruutus: Kaiku24 etävastaanotto, ti 8.12.2026 8.00–16.00"]
    assert late[0].body.startswith("Pekka Heikkinen perui tämän vuoron yksikön peruutusajan "
                                   "sisällä. Syy: sairastuin\n")
    assert late[0].next_attempt_at is None

    me = factories.auth(scheduler)
    again = (await client.post(f"/api/units/{unit.id}/shifts", headers=me,
                               json={"shifts": [BODY], "publish": True})).json()[0]["id"]
    booked = (await client.post(f"/api/shifts/{again}/claim", headers=doctor)).json()
    start = NOW - timedelta(days=1)
    await move_shift(again, start, start + timedelta(hours=8))
    report = {"actual_start": start.isoformat(),
              "actual_end": (start + timedelta(hours=8)).isoformat()}
    submitted = await client.post(f"/api/assignments/{booked['id']}/timesheet", headers=doctor,
                                  json=report)
    assert submitted.status_code == 201, submitted.text
    [sheet] = [r for r in await _rows(scheduler) if r.kind == "timesheet_submitted"]
    assert sheet.body.startswith("Pekka Heikkinen kirjasi tämän vuoron tunnit; ne odottavat "
                                 "hyväksyntääsi.\n")
    assert f"Hyväksy tunnit: {get_settings().public_base_url}/fill-board/shifts/{again}" \
        in sheet.body


async def test_the_page_keeps_the_choices(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    scheduler = await _staff("fi", org)
    await sign_in(client, scheduler)
    page = await client.get("/notifications")
    assert page.status_code == 200 and "Sähköposti-ilmoitukset" in page.text
    saved = await post_form(client, "/notifications", "/notifications",
                            {"claims": "off", "cancellations": "daily", "requests": "instant",
                             "timesheets": "instant"})
    assert saved.status_code == 200 and "Tallennettu." in saved.text
    bad = await post_form(client, "/notifications", "/notifications",
                          {"claims": "sometimes", "cancellations": "daily",
                           "requests": "instant", "timesheets": "instant"})
    assert bad.status_code == 422 and "Valitse jokin vaihtoehdoista." in bad.text
    assert (await client.get("/api/me/staff-notifications",
                             headers=factories.auth(scheduler))).json()["claims"] == "off"


async def test_an_accepted_offer_tells_the_schedulers_who_booked(
        client: httpx.AsyncClient, clock: time_machine.TimeMachineFixture) -> None:
    clock.move_to(NOW, tick=False)
    shift_id, _, _, scheduler = await _posted(client, claim_mode=ClaimMode.INSTANT.value)
    doctor = await factories.professional(full_name="Pekka Heikkinen")
    offered = await client.post(f"/api/shifts/{shift_id}/offers",
                                headers=factories.auth(scheduler),
                                json={"professional_id": str(doctor.id)})
    assert offered.status_code == 201, offered.text
    assert await _rows(scheduler) == []  # the offer itself is the scheduler's own doing
    accepted = await client.post(f"/api/waitlist/{offered.json()['id']}/accept",
                                 headers=factories.auth(doctor))
    assert accepted.status_code == 200, accepted.text
    [told] = await _rows(scheduler)
    assert told.kind == "shift_claimed"
    assert told.body.startswith("Pekka Heikkinen varasi tämän vuoron.")
