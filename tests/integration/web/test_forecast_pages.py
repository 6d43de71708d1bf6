"""The forecast page, in-process: import the demo history, forecast, trust, package, publish."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import httpx
import sqlalchemy as sa

from asta.core.clock import today
from asta.core.db import unit_of_work
from asta.scheduling.models import ContactHistory, ForecastRun
from tests import factories
from tests.integration.web.helpers import csrf_token, post_form, sign_in

DEMO = Path(__file__).resolve().parents[3] / "asta" / "demo_data" / \
    "kaiku24_contact_history.csv"


def _hidden(html: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}"[^>]*? value="([^"]*)"', html)


async def _upload(client: httpx.AsyncClient, unit_id: str, content: bytes) -> httpx.Response:
    page = await client.get(f"/demand/forecast?unit_id={unit_id}")
    return await client.post("/demand/forecast/history", data={
        "_csrf_token": csrf_token(page.text), "unit_id": unit_id},
        files={"file": ("history.csv", content, "text/csv")})


def _a_coming_tuesday() -> date:
    """An ordinary working day at least two days after the test clock's day, so its shifts
    can still be published at any clock setting."""
    day = today() + timedelta(days=2)
    return day + timedelta(days=(1 - day.weekday()) % 7)


async def test_import_forecast_package_and_publish(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    await sign_in(client, await factories.scheduler(org))
    example = await client.get("/demand/forecast/example.csv")
    assert example.content == DEMO.read_bytes()
    assert example.headers["content-type"].startswith("text/csv")
    empty = await client.get(f"/demand/forecast?unit_id={unit.id}")
    assert "Yksiköllä ei ole vielä yhteydenottohistoriaa" in empty.text
    assert 'id="too-short"' in empty.text  # and the way to the manual form
    imported = await _upload(client, str(unit.id), DEMO.read_bytes())
    assert imported.status_code == 200, imported.text
    assert "Tuotiin 2" in imported.text and "352 jaksoa" in imported.text.replace("\xa0", "")
    assert 'id="too-short"' not in imported.text
    run = await post_form(client, f"/demand/forecast?unit_id={unit.id}", "/demand/forecast", {
        "unit_id": str(unit.id), "day": _a_coming_tuesday().isoformat(), "interval_minutes": "30",
        "average_handling_minutes": "", "service_level_pct": "80", "target_answer_s": "60",
        "quantile": "0.85"})
    assert run.status_code == 200, run.text
    assert 'id="backtest"' in run.text and "Ennuste päivälle" in run.text
    assert run.text.count("<svg") == 1 and 'class="chart-band"' in run.text
    required = _hidden(run.text, "required")[0]
    assert sum(int(n) for n in required.split(", ")) > 0
    preview = await client.post("/demand/packaging", data={
        "_csrf_token": csrf_token(run.text),
        **{name: _hidden(run.text, name)[0] for name in (
            "unit_id", "day", "source", "first_hour", "interval_minutes", "required",
            "forecast_run")},
        "start_hours": _hidden(run.text, "start_hours")[0], "lengths_h": "4, 6, 8",
        "profession": "nurse", "visibility": "national", "description": "", "sv_level": "",
        "contacts": "", "average_handling_minutes": "", "service_level_pct": "",
        "target_answer_s": ""})
    assert preview.status_code == 200, preview.text
    assert "Miehitetty päivän" in preview.text and preview.text.count("<svg") == 1
    assert 'class="chart-band"' in preview.text  # forecast, band, staff and shifts on one chart
    assert "Paketoitu" in preview.text
    form = [("unit_id", str(unit.id)), ("profession", "nurse"), ("visibility", "national"),
            ("description", ""), ("sv_level", "")]
    for name in ("shift_starts", "shift_ends", "shift_counts"):
        form += [(name, v) for v in _hidden(preview.text, name)]
    assert len(form) > 5
    published = await post_form(client, "/demand/packaging", "/demand/packaging/publish", form)
    assert published.status_code == 303, published.text


async def test_a_bad_file_names_line_and_column_and_imports_nothing(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    await sign_in(client, await factories.scheduler(org))
    bad = b"interval_start,contacts\n2026-11-02T08:00+02:00,4\n2026-11-02T08:30+02:00,-1\n"
    response = await _upload(client, str(unit.id), bad)
    assert response.status_code == 422
    assert "Rivi 3, sarake contacts: ei ole kokonainen yhteydenottojen määrä" in response.text
    assert "Yksiköllä ei ole vielä yhteydenottohistoriaa" in response.text


async def test_short_history_falls_back_to_the_manual_form(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    await factories.contact_history(unit, days=10)
    await sign_in(client, await factories.scheduler(org))
    response = await post_form(client, f"/demand/forecast?unit_id={unit.id}",
                               "/demand/forecast", {
                                   "unit_id": str(unit.id), "day": "2026-11-30",
                                   "interval_minutes": "60", "average_handling_minutes": "",
                                   "service_level_pct": "80", "target_answer_s": "20",
                                   "quantile": "0.85"})
    assert response.status_code == 422
    assert 'id="too-short"' in response.text
    assert f'href="/demand/packaging?unit_id={unit.id}"' in response.text


async def test_another_areas_scheduler_sees_and_stores_nothing(client: httpx.AsyncClient) -> None:
    unit = await factories.unit(await factories.organisation("A"))
    await factories.contact_history(unit, days=30)
    await sign_in(client, await factories.scheduler(await factories.organisation("B")))
    shown = await client.get(f"/demand/forecast?unit_id={unit.id}")
    assert shown.status_code == 404
    own = await client.get("/demand/forecast")
    imported = await client.post("/demand/forecast/history", data={
        "_csrf_token": csrf_token(own.text), "unit_id": str(unit.id)},
        files={"file": ("h.csv", b"interval_start,contacts\n2026-11-02T08:00+02:00,4\n",
                        "text/csv")})
    assert imported.status_code == 404
    run = await client.post("/demand/forecast", data={
        "_csrf_token": csrf_token(own.text), "unit_id": str(unit.id), "day": "2026-11-30",
        "interval_minutes": "60", "average_handling_minutes": "", "service_level_pct": "80",
        "target_answer_s": "20", "quantile": "0.85"})
    assert run.status_code == 404
    stored = await factories.forecast_run(unit)
    assert (await client.get(f"/demand/forecast/runs/{stored}")).status_code == 404
    assert (await client.get(f"/demand/forecast/runs?unit_id={unit.id}")).status_code == 404
    async with unit_of_work() as session:
        assert await session.scalar(sa.select(sa.func.count()).select_from(ForecastRun)
                                    .where(ForecastRun.id != stored)) == 0
        assert await session.scalar(sa.select(sa.func.count()).select_from(ContactHistory)
                                    .where(ContactHistory.contacts == 4)) == 0


async def test_earlier_forecasts_are_listed_and_shown_beside_what_came(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    await factories.contact_history(unit)  # 30 contacts at 08:00 each day but Mondays
    run_id = await factories.forecast_run(unit)  # forecast 30 (25-35) at 08:00 on one
    await sign_in(client, await factories.scheduler(org))
    start = await client.get(f"/demand/forecast?unit_id={unit.id}")
    assert f'href="/demand/forecast/runs?unit_id={unit.id}"' in start.text
    listing = await client.get(f"/demand/forecast/runs?unit_id={unit.id}")
    assert listing.status_code == 200, listing.text
    assert f'href="/demand/forecast/runs/{run_id}"' in listing.text
    shown = await client.get(f"/demand/forecast/runs/{run_id}")
    assert shown.status_code == 200, shown.text
    facts = re.search(r'id="outcome-facts">(.*?)</dl>', shown.text, re.S)
    assert facts is not None and "Toteutuneet yhteydenotot" in facts.group(1)
    assert re.findall(r"<dd>([^<]*)</dd>", facts.group(1)) == ["0", "100", "100", "30", "30"]
    assert shown.text.count("<svg") == 1 and 'class="chart-band"' in shown.text
