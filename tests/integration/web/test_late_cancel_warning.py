"""My shifts warns before a cancellation counts as late, by the same rule the cancel uses."""

from __future__ import annotations

from datetime import timedelta

import httpx

from asta.core.db import unit_of_work
from asta.marketplace.models import Assignment
from tests import factories
from tests.integration.web.helpers import post_form, sign_in


async def test_the_late_warning_comes_before_the_cancel_and_the_cancel_counts_it(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)  # 48 hours' notice
    doctor = await factories.professional()
    soon = await factories.assignment(
        await factories.shift(unit, starts_in=timedelta(hours=20)), doctor)
    later = await factories.assignment(
        await factories.shift(unit, starts_in=timedelta(days=5)), doctor)
    await sign_in(client, doctor)
    page = (await client.get("/my-shifts")).text
    assert f'id="late-{soon.id}"' in page and f'id="late-{later.id}"' not in page
    assert "alle 48 tuntia" in page
    assert f'aria-describedby="late-{soon.id}"' in page

    api = await client.get("/api/me/assignments", headers=factories.auth(doctor))
    assert {a["id"]: a["cancelling_now_is_late"] for a in api.json()} == {
        str(soon.id): True, str(later.id): False}
    cancelled = await post_form(client, "/my-shifts", f"/my-shifts/{soon.id}/cancel",
                                {"reason": "ill"})
    assert cancelled.status_code == 303
    async with unit_of_work() as session:
        row = await session.get(Assignment, soon.id)
    assert row is not None and row.late_cancellation  # as the warning said
