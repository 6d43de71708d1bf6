"""The matching pages tell same-named people apart, name each proposal's unit, write the
period as local days and list earlier runs with their figures."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import update

from asta.core.db import unit_of_work
from asta.profiles.models import ProfessionalProfile
from asta.scheduling.models import MatchingProposal, MatchingRun, UnfilledPosition
from tests import factories
from tests.integration.web.helpers import sign_in

HELSINKI = ZoneInfo("Europe/Helsinki")


async def _namesake(registration: str) -> uuid.UUID:
    person = await factories.professional(full_name="Pekka Heikkinen")
    async with unit_of_work() as session:
        await session.execute(update(ProfessionalProfile).where(
            ProfessionalProfile.user_id == person.id)  # type: ignore[arg-type]
            .values(registration_number=registration))
    return person.id


async def test_a_run_page_tells_namesakes_apart_and_lists_earlier_runs(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org, "Kaiku24 etävastaanotto")
    first, second = await _namesake("101234567"), await _namesake("109876543")
    shifts = [factories._shift_row(unit, starts_in=timedelta(days=d)) for d in (2, 3, 4)]
    start = datetime(2026, 12, 1, tzinfo=HELSINKI)
    async with unit_of_work() as session:
        session.add_all(shifts)
        run = MatchingRun(organisation_id=org.id, unit_ids=[unit.id], period_start=start,
                          period_end=start + timedelta(days=8), status="done",
                          summary={"proposals": 2}, finished_at=datetime(2026, 12, 1, tzinfo=UTC))
        session.add(run)
        await session.flush()
        session.add_all([
            MatchingProposal(run_id=run.id, shift_id=shifts[0].id, professional_id=first,
                             reasons=["eligible"], status="accepted"),
            MatchingProposal(run_id=run.id, shift_id=shifts[1].id, professional_id=second,
                             reasons=["eligible"]),
            UnfilledPosition(run_id=run.id, shift_id=shifts[2].id, missing=1,
                             reason="nobody_eligible")])
    await sign_in(client, await factories.scheduler(org))

    page = await client.get(f"/matching-runs/{run.id}")
    assert page.status_code == 200
    assert "Jakso: 1.12.–8.12.2026" in page.text
    assert "Pekka Heikkinen <span class=\"hint\">(Lääkäri, rek. …567)</span>" in page.text
    assert "Pekka Heikkinen <span class=\"hint\">(Lääkäri, rek. …543)</span>" in page.text
    assert page.text.count('<td role="cell" data-label="Yksikkö">Kaiku24 etävastaanotto</td>') == 2
    assert 'id="run-refresh"' not in page.text  # done: nothing refreshes

    listed = await client.get("/matching-runs")
    assert f'<a href="/matching-runs/{run.id}">1.12.–8.12.2026</a>' in listed.text
    row = listed.text[listed.text.index(f'/matching-runs/{run.id}"'):]
    row = row[:row.index("</tr>")]
    assert '<td class="num">2</td>\n      <td class="num">1</td>\n      <td class="num">1</td>' \
        in row and "Kaiku24 etävastaanotto" in row

    api = await client.get("/api/matching-runs",
                           headers=factories.auth(await factories.scheduler(org)))
    assert [(r["proposals"], r["accepted"], r["open_positions"]) for r in api.json()] == [
        (2, 1, 1)]
    other = await client.get("/api/matching-runs", headers=factories.auth(
        await factories.scheduler(await factories.organisation())))
    assert other.json() == []


async def test_a_running_run_keeps_its_refresh_link_for_focus(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    async with unit_of_work() as session:
        run = MatchingRun(organisation_id=org.id, unit_ids=[unit.id],
                          period_start=datetime(2026, 12, 1, tzinfo=HELSINKI),
                          period_end=datetime(2026, 12, 2, tzinfo=HELSINKI), status="running")
        session.add(run)
    await sign_in(client, await factories.scheduler(org))
    partial = await client.get(f"/matching-runs/{run.id}", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in partial.text and 'id="run-refresh"' in partial.text
    full = await client.get(f"/matching-runs/{run.id}")
    assert "Jakso: 1.12.2026" in full.text
