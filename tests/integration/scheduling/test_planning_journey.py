"""Issue 4's journey through the API: contact forecast -> packaged shifts -> published ->
matching run -> accepted bookings."""

from __future__ import annotations

import httpx

from asta.core.jobs import WorkerProcess
from tests import factories
from tests.clock import FUTURE_MONDAY, helsinki
from tests.integration.scheduling.test_matching_runs import finished, onboarded_doctor, period


async def test_from_contact_forecast_to_accepted_matching_run(
        client: httpx.AsyncClient, worker: WorkerProcess) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    headers = factories.auth(await factories.scheduler(org))
    doctors = [await onboarded_doctor(unit, full_name=f"Doctor {i}") for i in range(6)]
    forecast = {"start": helsinki(FUTURE_MONDAY, 8).isoformat(), "interval_minutes": 60,
                "contacts": [12, 18, 18, 14, 12, 10, 8, 6], "average_handling_time_s": 900,
                "service_level": 0.8, "target_answer_s": 600}
    staffing = await client.post(f"/api/units/{unit.id}/demand/staffing", json=forecast,
                                 headers=headers)
    assert staffing.status_code == 200, staffing.text
    peak = staffing.json()["peak_required"]
    assert 1 <= peak <= len(doctors)

    packaged = await client.post(f"/api/units/{unit.id}/demand/packaging", headers=headers,
                                 json={"forecast": forecast, "time_limit_s": 5,
                                       "templates": {"start_hours": [8, 10, 12],
                                                     "lengths_h": [4, 6, 8]}})
    assert packaged.status_code == 200, packaged.text
    plan = packaged.json()
    assert plan["under_cover"] == 0
    shifts = [{"starts_at": s["starts_at"], "ends_at": s["ends_at"], "positions": s["count"],
               "profession": "doctor", "description": "Remote reception"}
              for s in plan["shifts"]]
    posted = await client.post(f"/api/units/{unit.id}/shifts", headers=headers,
                               json={"shifts": shifts, "publish": True})
    assert posted.status_code == 201, posted.text

    started = await client.post("/api/matching-runs", headers=headers, json={
        "unit_ids": [str(unit.id)], **period(days=1), "time_limit_s": 5})
    assert started.status_code == 202, started.text
    run = await finished(client, started.json()["id"], headers)
    positions = sum(s["count"] for s in plan["shifts"])
    assert len(run["proposals"]) == positions
    assert run["unfilled"] == []

    accepted = await client.post(f"/api/matching-runs/{run['id']}/accept", headers=headers,
                                 json={"all": True})
    assert accepted.status_code == 200, accepted.text
    assert {p["status"] for p in accepted.json()["proposals"]} == {"accepted"}
    board = await client.get("/api/shifts", headers=headers, params={"unit_id": str(unit.id)})
    assert board.status_code == 200, board.text
    assert {s["status"] for s in board.json()["items"]} == {"filled"}
