from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import httpx

from asta.scheduling.schemas import TemplateRules
from asta.scheduling.services.demand import local_templates
from tests import factories

HELSINKI = ZoneInfo("Europe/Helsinki")


async def test_contact_forecast_gives_required_staff_per_interval(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    headers = factories.auth(await factories.scheduler(org))
    # The classic call-centre example: 100 contacts per 30 min, 180 s handling, 80 % in 20 s.
    response = await client.post(f"/api/units/{unit.id}/demand/staffing", headers=headers, json={
        "start": "2026-12-01T08:00:00+02:00", "interval_minutes": 30, "contacts": [100, 0],
        "average_handling_time_s": 180, "service_level": 0.8, "target_answer_s": 20})
    assert response.status_code == 200, response.text
    first, quiet = response.json()["intervals"]
    assert first["required"] == 14
    assert 0.8 <= first["service_level"] < 0.9
    assert round(first["occupancy"], 2) == 0.71
    assert quiet["required"] == 0
    assert response.json()["peak_required"] == 14


async def test_packaging_preview_covers_the_curve_with_few_long_shifts(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    headers = factories.auth(await factories.scheduler(org))
    required = [0] * 8 + [3] * 8 + [2] * 4 + [0] * 4  # 3 doctors 8-16, 2 doctors 16-20
    response = await client.post(f"/api/units/{unit.id}/demand/packaging", headers=headers, json={
        "start": "2026-12-01T00:00:00+02:00", "interval_minutes": 60, "required": required,
        "templates": {"start_hours": [8, 12, 16], "lengths_h": [4, 8]}, "time_limit_s": 5})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["under_cover"], body["over_cover"]) == (0, 0)
    assert body["positions"] == 5 and body["shift_count"] == len(body["shifts"])
    assert [c["required"] for c in body["coverage"]] == required
    assert all(c["packaged"] == c["required"] for c in body["coverage"])
    starts = {datetime.fromisoformat(s["starts_at"]).astimezone(HELSINKI).hour
              for s in body["shifts"]}
    assert starts <= {8, 12, 16}


async def test_packaging_input_errors_name_the_problem(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    headers = factories.auth(await factories.scheduler(org))
    both = await client.post(f"/api/units/{unit.id}/demand/packaging", headers=headers,
                             json={"start": "2026-12-01T00:00:00+02:00", "required": [1],
                                   "forecast": {"start": "2026-12-01T00:00:00+02:00",
                                                "contacts": [1],
                                                "average_handling_time_s": 60}})
    assert both.status_code == 400
    assert "either" in both.json()["detail"]
    naive = await client.post(f"/api/units/{unit.id}/demand/staffing", headers=headers,
                              json={"start": "2026-12-01T08:00:00", "contacts": [1],
                                    "average_handling_time_s": 60})
    assert naive.status_code == 400
    assert naive.json()["errors"][0]["field"] == "start"


def test_templates_follow_helsinki_wall_clock_across_the_dst_change() -> None:
    start = datetime(2026, 10, 24, 0, 0, tzinfo=HELSINKI)  # clocks go back on 25 October
    end = datetime(2026, 10, 26, 0, 0, tzinfo=HELSINKI)
    templates = local_templates(start, end, TemplateRules(start_hours=[8], lengths_h=[8]))
    # 08:00 on the 24th is 8 h in; 08:00 on the 25th is 24 + 1 + 8 h in (a 25-hour day).
    assert [(t.start, t.end) for t in templates] == [(480, 960), (1980, 2460)]


async def test_shifts_end_by_the_end_of_the_demand_unless_allowed(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    headers = factories.auth(await factories.scheduler(org))
    # One doctor 08-19: without limits 08-16 and 12-20 would cover it; 20 is past the end.
    body = {"start": "2026-12-01T08:00:00+02:00", "interval_minutes": 60, "required": [1] * 11,
            "templates": {"start_hours": [8, 11, 12], "lengths_h": [8]}, "time_limit_s": 5}
    kept = await client.post(f"/api/units/{unit.id}/demand/packaging", headers=headers,
                             json=body)
    assert kept.status_code == 200, kept.text
    ends = [datetime.fromisoformat(s["ends_at"]).astimezone(HELSINKI).hour
            for s in kept.json()["shifts"]]
    assert ends == [16, 19] and kept.json()["under_cover"] == 0
    assert (kept.json()["shift_count"], kept.json()["positions"]) == (2, 2)
    body["templates"] = {"start_hours": [8, 12], "lengths_h": [8], "extend_past_end": True}
    allowed = await client.post(f"/api/units/{unit.id}/demand/packaging", headers=headers,
                                json=body)
    assert [datetime.fromisoformat(s["ends_at"]).astimezone(HELSINKI).hour
            for s in allowed.json()["shifts"]] == [16, 20]
    body["templates"] = {"start_hours": [12], "lengths_h": [8]}
    none = await client.post(f"/api/units/{unit.id}/demand/packaging", headers=headers,
                             json=body)
    assert none.status_code == 422 and none.json()["field"] == "templates", none.text
