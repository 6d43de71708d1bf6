"""My reliability: the score schedulers see, and each event that moved it, with the score after."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import update

from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from asta.marketplace.models import Assignment
from tests import factories
from tests.integration.web.helpers import sign_in


async def test_the_score_and_its_history_in_the_api_and_the_page(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    doctor = await factories.professional()
    start = (utcnow() - timedelta(days=10)).replace(minute=0, second=0, microsecond=0)
    await factories.worked_shift(unit, doctor, start)
    await factories.worked_shift(unit, doctor, start + timedelta(days=2))
    cancelled = await factories.assignment(
        await factories.shift(unit, starts_in=timedelta(days=-1)), doctor, status="cancelled")
    async with unit_of_work() as session:
        await session.execute(update(Assignment).where(
            Assignment.id == cancelled.id)  # type: ignore[arg-type]
            .values(late_cancellation=True, cancelled_at=utcnow() - timedelta(days=2)))

    api = await client.get("/api/me/reliability", headers=factories.auth(doctor))
    body = api.json()
    assert (body["score"], body["completed"], body["late_cancelled"]) == (67, 2, 1)
    assert [(e["kind"], e["score_after"]) for e in body["events"]] == [
        ("late_cancelled", 67), ("completed", 100), ("completed", 100)]  # newest first

    await sign_in(client, doctor)
    page = await client.get("/me/reliability")
    assert page.status_code == 200 and "<strong>67</strong>" in page.text
    assert "Myöhäinen peruutus" in page.text and page.text.count("<tr>") == 4
