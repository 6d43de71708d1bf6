"""The private iCalendar feed and the unit's on-duty view."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
from icalendar import Calendar

from tests import factories
from tests.integration.marketplace.helpers import (
    hours_ago,
    move_shift,
    post_shifts,
    shift_body,
    workday,
)


async def test_the_calendar_feed_lists_my_shifts_without_a_sign_in(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org, name="Kaiku24")
    scheduler = factories.auth(await factories.scheduler(org))
    doctor = factories.auth(await factories.professional())
    kept, dropped = await post_shifts(client, scheduler, unit.id,
                                      shift_body(description="Remote reception"),
                                      shift_body(workday() + 2, is_remote=False))
    for shift in (kept, dropped):
        await client.post(f"/api/shifts/{shift['id']}/claim", headers=doctor)
    mine = (await client.get("/api/me/assignments", headers=doctor)).json()
    cancel = next(a for a in mine if a["shift_id"] == dropped["id"])
    await client.post(f"/api/assignments/{cancel['id']}/cancel", headers=doctor,
                      json={"reason": "Holiday"})
    token = (await client.post("/api/me/calendar-token", headers=doctor)).json()
    assert token["url"].endswith(f"/api/calendar/{token['token']}.ics")
    assert len(token["token"]) >= 40

    feed = await client.get(f"/api/calendar/{token['token']}.ics")
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    events = {str(e["uid"]): e for e in Calendar.from_ical(feed.content).walk("VEVENT")}
    assert set(events) == {f"{kept['id']}@asta", f"{dropped['id']}@asta"}
    first = events[f"{kept['id']}@asta"]
    assert str(first["status"]) == "CONFIRMED"
    assert str(first["location"]) == "Etänä: Kaiku24"  # the location too, in Finnish
    assert first.decoded("dtstart") == datetime.fromisoformat(kept["starts_at"])
    # In the professional's language (fi): the title and the pay.
    assert "Palkka: 720,00\xa0€" in str(first["description"])
    assert str(first["summary"]).startswith("Vuoro (Lääkäri): ")
    assert str(events[f"{dropped['id']}@asta"]["status"]) == "CANCELLED"
    assert str(events[f"{dropped['id']}@asta"]["location"]) == "Kaiku24"

    rotated = (await client.post("/api/me/calendar-token", headers=doctor)).json()
    assert (await client.get(f"/api/calendar/{token['token']}.ics")).status_code == 404
    assert (await client.get(f"/api/calendar/{rotated['token']}.ics")).status_code == 200
    assert (await client.get(f"/api/calendar/{rotated['token']}")).status_code == 404
    assert (await client.get("/api/calendar/guess.ics")).status_code == 404


async def test_on_duty_shows_who_works_now_and_next(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    scheduler_user = await factories.scheduler(org)
    now_user = await factories.professional(full_name="Dr Now")
    next_user = await factories.professional(full_name="Dr Next")
    outsider = await factories.professional(full_name="Dr Elsewhere")
    current = await factories.shift(unit, starts_in=timedelta(hours=-2), hours=6,
                                    status="in_progress")
    upcoming = await factories.shift(unit, starts_in=timedelta(hours=5), hours=6)
    await factories.assignment(current, now_user)
    await factories.assignment(upcoming, next_user)

    view = await client.get(f"/api/units/{unit.id}/on-duty",
                            headers=factories.auth(scheduler_user))
    assert view.status_code == 200
    body = view.json()
    assert [e["professional_name"] for e in body["now"]] == ["Dr Now"]
    assert [e["professional_name"] for e in body["next"]] == ["Dr Next"]
    colleague = await client.get(f"/api/units/{unit.id}/on-duty",
                                 headers=factories.auth(next_user))
    assert colleague.status_code == 200
    stranger = await client.get(f"/api/units/{unit.id}/on-duty",
                                headers=factories.auth(outsider))
    assert stranger.status_code == 404
    await move_shift(current.id, hours_ago(8), hours_ago(1))
    later = (await client.get(f"/api/units/{unit.id}/on-duty",
                              headers=factories.auth(scheduler_user))).json()
    assert later["now"] == []
