"""The whole story through the API: post, publish, claim, work, report, approve."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from asta.core.audit import AuditEvent
from asta.core.db import unit_of_work
from asta.marketplace.models import Shift
from asta.notifications.models import Notification
from tests import factories
from tests.integration.marketplace.helpers import hours_ago, move_shift, post_shifts, shift_body


async def test_scheduler_and_doctor_take_a_shift_from_posting_to_approved_pay(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    scheduler = factories.auth(await factories.scheduler(org))
    doctor_user = await factories.professional(full_name="Dr Aino")
    doctor = factories.auth(doctor_user)

    [draft] = await post_shifts(client, scheduler, unit.id,
                                shift_body(description="Remote reception"), publish=False)
    assert draft["status"] == "draft"
    assert draft["pay"]["total_cents"] == 8 * 9000  # weekday daytime: base rate only
    published = await client.post("/api/shifts/publish", headers=scheduler,
                                  json={"shift_ids": [draft["id"]]})
    assert published.status_code == 200, published.text
    assert published.json()[0]["status"] == "published"

    board = (await client.get("/api/shifts", headers=doctor)).json()
    assert [s["id"] for s in board["items"]] == [draft["id"]]
    assert board["items"][0]["eligibility"] == {"eligible": True, "onboarding_needed": False,
                                                "can_claim": True, "action": "claim",
                                                "reasons": []}

    claimed = await client.post(f"/api/shifts/{draft['id']}/claim", headers=doctor)
    assert claimed.status_code == 201, claimed.text
    assignment = claimed.json()
    assert assignment["status"] == "confirmed"

    detail = (await client.get(f"/api/shifts/{draft['id']}", headers=scheduler)).json()
    assert detail["status"] == "filled" and detail["filled"] == 1
    assert [(a["professional_name"], a["reliability_score"]) for a in detail["assignments"]] \
        == [("Dr Aino", None)]

    await move_shift(draft["id"], hours_ago(10), hours_ago(2))
    sheet = await client.post(f"/api/assignments/{assignment['id']}/timesheet", headers=doctor,
                              json={"actual_start": hours_ago(10).isoformat(),
                                    "actual_end": hours_ago(1).isoformat(),
                                    "break_minutes": 30, "contacts_handled": 40,
                                    "resolved_remotely": 30, "referred_to_health_station": 4,
                                    "notes": "Busy flu morning"})
    assert sheet.status_code == 201, sheet.text
    approved = await client.post(f"/api/assignments/{assignment['id']}/timesheet/approve",
                                 headers=scheduler, json={})
    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert body["status"] == "approved"
    assert body["pay_breakdown"]["paid_minutes"] == 9 * 60 - 30
    assert body["pay_total_cents"] == body["pay_breakdown"]["total_cents"]

    async with unit_of_work() as session:
        shift = await session.get(Shift, draft["id"])
        actions = set(await session.scalars(select(AuditEvent.action)))
        kinds = set(await session.scalars(select(Notification.kind)))
    assert shift is not None and shift.status == "approved"
    assert {"create", "publish", "claim", "submit", "approve"} <= actions
    assert "shift_assigned" in kinds
    reliability = (await client.get(f"/api/shifts/{draft['id']}", headers=scheduler)).json()
    assert reliability["assignments"][0]["reliability_score"] == 100
