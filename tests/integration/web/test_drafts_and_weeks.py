"""A scheduler edits a draft from its shift page and copies a unit's week to the next."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import select

from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from asta.marketplace.models import Shift
from tests import factories
from tests.integration.web.helpers import post_form, sign_in

HELSINKI = ZoneInfo("Europe/Helsinki")


async def shifts_of(unit_id: object) -> list[Shift]:
    async with unit_of_work() as session:
        return list(await session.scalars(select(Shift).where(Shift.unit_id == unit_id)
                                          .order_by(Shift.starts_at)))


def local_day(days: int) -> str:
    return (utcnow().astimezone(HELSINKI) + timedelta(days=days)).date().isoformat()


async def test_a_draft_is_edited_from_its_shift_page(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    draft = await factories.shift(unit, status="draft")
    scheduler = await factories.scheduler(org)
    await sign_in(client, scheduler)
    assert f"/fill-board/shifts/{draft.id}/edit" in (
        await client.get(f"/fill-board/shifts/{draft.id}")).text
    edit = f"/fill-board/shifts/{draft.id}/edit"
    form = await client.get(edit)
    assert form.status_code == 200 and 'value="90.00"' in form.text
    saved = await post_form(client, edit, edit, {
        "profession": "doctor", "visibility": "area", "sv_level": "fluent",
        "description": "Iltavastaanotto", "day": local_day(5), "start": "12", "end": "20:00",
        "positions": "2", "break_minutes": "30", "base_hourly": "100",
        "specialties": "General-practice", "competences": "", "onboarding_required": "on"})
    assert saved.status_code == 303, saved.text[saved.text.find("error-summary"):][:600]
    assert saved.headers["location"].endswith("?done=edit")
    assert "Luonnos on tallennettu." in (await client.get(saved.headers["location"])).text
    [row] = await shifts_of(unit.id)
    assert row.status == "draft" and row.positions == 2 and row.break_minutes == 30
    assert row.starts_at.astimezone(HELSINKI).time() == time(12)
    assert row.base_hourly_cents == 10000 and row.pay_total_cents > 0
    assert row.required_languages == {"sv": "fluent"} and row.onboarding_required
    assert row.required_specialties == ["general-practice"]
    events = await client.get("/api/audit-events", params={"entity_type": "shift"},
                              headers=factories.auth(await factories.area_admin(org)))
    assert "edit" in [e["action"] for e in events.json()["items"]]


async def test_bad_draft_input_is_named_in_place(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    draft = await factories.shift(await factories.unit(org), status="draft")
    await sign_in(client, await factories.scheduler(org))
    edit = f"/fill-board/shifts/{draft.id}/edit"
    refused = await post_form(client, edit, edit, {
        "profession": "doctor", "visibility": "area", "sv_level": "", "description": "",
        "day": local_day(5), "start": "kahdeksan", "end": "16", "positions": "0",
        "break_minutes": "", "base_hourly": "", "specialties": "", "competences": ""})
    assert refused.status_code == 422
    assert 'id="f-start-error"' in refused.text and 'value="kahdeksan"' in refused.text
    refused = await post_form(client, edit, edit, {
        "profession": "doctor", "visibility": "area", "sv_level": "", "description": "",
        "day": local_day(5), "start": "8", "end": "16", "positions": "0",
        "break_minutes": "", "base_hourly": "halpa", "specialties": "", "competences": ""})
    assert refused.status_code == 422
    assert 'id="f-positions-error"' in refused.text and 'id="f-base_hourly-error"' in refused.text


async def test_a_published_shift_cannot_be_edited(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    shift = await factories.shift(await factories.unit(org), status="published")
    scheduler = await factories.scheduler(org)
    await sign_in(client, scheduler)
    page = await client.get(f"/fill-board/shifts/{shift.id}")
    assert f"/fill-board/shifts/{shift.id}/edit" not in page.text
    api = await client.put(f"/api/shifts/{shift.id}", headers=factories.auth(scheduler), json={
        "starts_at": shift.starts_at.isoformat(), "ends_at": shift.ends_at.isoformat(),
        "profession": "doctor"})
    assert api.status_code == 409 and "Only a draft can be edited" in api.text


async def test_a_week_is_copied_to_the_next_as_drafts_once(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    monday = (utcnow().astimezone(HELSINKI) + timedelta(days=14)).date()
    monday -= timedelta(days=monday.weekday())
    starts = [datetime.combine(monday + timedelta(days=d), time(8), HELSINKI) for d in (0, 4)]
    for start in starts:
        await factories.shift(unit, starts_in=start - utcnow(), status="published", positions=2)
    await factories.shift(unit, starts_in=starts[0] + timedelta(hours=3) - utcnow(),
                          status="cancelled")
    await sign_in(client, await factories.scheduler(org))
    board = f"/fill-board?unit_id={unit.id}&week={monday}"
    copied = await post_form(client, board, "/fill-board/copy-week",
                             {"unit_id": str(unit.id), "week": monday.isoformat()})
    assert copied.status_code == 303
    assert f"week={monday + timedelta(days=7)}" in copied.headers["location"]
    assert "2 vuoroa kopioitu" in (await client.get(copied.headers["location"])).text
    rows = [s for s in await shifts_of(unit.id) if s.status == "draft"]
    assert [s.starts_at.astimezone(HELSINKI) for s in rows] == [s + timedelta(days=7)
                                                                 for s in starts]
    assert all(s.positions == 2 and s.ends_at - s.starts_at == timedelta(hours=8) for s in rows)
    again = await post_form(client, board, "/fill-board/copy-week",
                            {"unit_id": str(unit.id), "week": monday.isoformat()})
    assert "copied=0&already=2" in again.headers["location"]
    assert len(await shifts_of(unit.id)) == 5


def monday_before_spring_forward() -> datetime:
    """08:00 on the Monday before the next last Sunday of March (the clocks go forward)."""
    after = utcnow() + timedelta(days=1)
    for year in (after.year, after.year + 1):
        sunday = date(year, 3, 31) - timedelta(days=(date(year, 3, 31).weekday() + 1) % 7)
        monday = datetime.combine(sunday - timedelta(days=6), time(8), HELSINKI)
        if monday > after:
            return monday
    raise AssertionError("unreachable")


async def test_a_week_copied_across_the_spring_dst_change_keeps_the_wall_clock(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    source = monday_before_spring_forward()
    await factories.shift(unit, starts_in=source - utcnow(), status="draft")
    scheduler = factories.auth(await factories.scheduler(org))
    copied = await client.post(f"/api/units/{unit.id}/shifts/copy-week", headers=scheduler,
                               json={"week_start": (source.date() + timedelta(days=2)).isoformat()})
    assert copied.status_code == 200, copied.text
    assert (len(copied.json()["copied"]), copied.json()["already_there"]) == (1, 0)
    [_, copy] = await shifts_of(unit.id)
    assert copy.starts_at.astimezone(HELSINKI) == source + timedelta(days=7)  # 08:00 again
    assert copy.starts_at - source == timedelta(days=7, hours=-1)  # one hour less elapsed
