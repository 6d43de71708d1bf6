"""The shift board's week view: Monday to Sunday, each shift under its own day, kept in the
URL with the other filters."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import httpx

from asta.core.clock import HELSINKI, utcnow
from tests import factories
from tests.integration.web.helpers import sign_in


async def test_the_week_view_puts_each_shift_under_its_day(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    # 08:00 Helsinki time eight days on, so that both shifts start that day at any clock.
    now = utcnow()
    eight = datetime.combine(now.astimezone(HELSINKI).date() + timedelta(days=8), time(8),
                             HELSINKI) - now
    first = await factories.shift(unit, starts_in=eight)
    later = await factories.shift(unit, starts_in=eight + timedelta(hours=2))
    next_week = await factories.shift(unit, starts_in=eight + timedelta(days=7))
    day = first.starts_at.astimezone(HELSINKI).date()
    await sign_in(client, await factories.professional())

    week = await client.get(f"/shifts?view=week&week={day.isoformat()}&unit={unit.id}")
    assert week.status_code == 200
    assert len(re.findall(r'<section class="week-day"', week.text)) == 7
    section = week.text.split(f'id="day-{day.isoformat()}"')[1].split("</section>")[0]
    assert f"/shifts/{first.id}" in section and f"/shifts/{later.id}" in section
    assert f"/shifts/{next_week.id}" not in week.text
    monday = day - timedelta(days=day.weekday())
    following = monday + timedelta(days=7)
    # The pager and the toggle keep the other filters.
    assert (f'href="/shifts?unit={unit.id}&amp;view=week&amp;week={following.isoformat()}"'
            in week.text)
    assert 'aria-current="page">Viikko</a>' in week.text
    listed = await client.get(f"/shifts?view=week&week={following.isoformat()}&unit={unit.id}")
    assert f"/shifts/{next_week.id}" in listed.text and f"/shifts/{first.id}" not in listed.text
    assert (await client.get("/shifts?view=week&week=soon")).status_code == 422


async def test_the_week_view_starts_this_week(client: httpx.AsyncClient) -> None:
    await sign_in(client, await factories.professional())
    board = await client.get("/shifts?view=week")
    today = utcnow().astimezone(HELSINKI).date()
    assert f'id="day-{today.isoformat()}"' in board.text
