"""The audit log is readable: area admins see their own area's events, the operator all;
filters by entity, actor and period; CSV export; a page with the filters in its URL."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta

import httpx
from sqlalchemy import update

from asta.core.audit import AuditEvent, record
from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from tests import factories
from tests.integration.web.helpers import sign_in


async def event(action: str, org_id: uuid.UUID | None, *, actor: uuid.UUID | None = None,
                entity_type: str = "unit", days_ago: int = 0, after: dict[str, str] | None = None
                ) -> None:
    async with unit_of_work() as session:
        record(session, actor_id=actor, entity_type=entity_type, entity_id=uuid.uuid4(),
               action=action, organisation_id=org_id, after=after)
    if days_ago:
        async with unit_of_work() as session:
            await session.execute(update(AuditEvent).where(AuditEvent.action == action)
                                  .values(at=utcnow() - timedelta(days=days_ago)))


def actions(response: httpx.Response) -> set[str]:
    assert response.status_code == 200, response.text
    return {e["action"] for e in response.json()["items"]}


async def test_each_reader_sees_only_their_areas_events(client: httpx.AsyncClient) -> None:
    org_a, org_b = await factories.organisation("A"), await factories.organisation("B")
    admin_a, admin_b = await factories.area_admin(org_a), await factories.area_admin(org_b)
    operator = await factories.operator()
    await event("a-change", org_a.id)
    await event("b-change", org_b.id)
    await event("platform-change", None)
    mine = await client.get("/api/audit-events", headers=factories.auth(admin_a))
    assert actions(mine) == {"a-change"}
    assert actions(await client.get("/api/audit-events", headers=factories.auth(operator))) \
        == {"a-change", "b-change", "platform-change"}
    other = await client.get(f"/api/audit-events?organisation_id={org_b.id}",
                             headers=factories.auth(admin_a))
    assert other.status_code == 404
    csv_other = await client.get(f"/api/audit-events/csv?organisation_id={org_b.id}",
                                 headers=factories.auth(admin_a))
    assert csv_other.status_code == 404
    scheduler = await factories.scheduler(org_a)
    assert (await client.get("/api/audit-events", headers=factories.auth(scheduler))
            ).status_code == 403
    assert (await client.get("/api/audit-events", headers=factories.auth(admin_b))
            ).json()["total"] == 1


async def test_filters_by_entity_actor_and_period(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    admin = await factories.area_admin(org)
    await event("old", org.id, days_ago=10)
    await event("by-admin", org.id, actor=admin.id, entity_type="shift")
    await event("other", org.id)
    headers = factories.auth(admin)
    assert actions(await client.get("/api/audit-events?entity_type=shift",
                                    headers=headers)) == {"by-admin"}
    assert actions(await client.get(f"/api/audit-events?actor={admin.email.upper()}",
                                    headers=headers)) == {"by-admin"}
    assert actions(await client.get(f"/api/audit-events?actor={admin.id}",
                                    headers=headers)) == {"by-admin"}
    since = (utcnow() - timedelta(days=2)).date()
    assert actions(await client.get(f"/api/audit-events?since={since}",
                                    headers=headers)) == {"by-admin", "other"}
    until = (utcnow() - timedelta(days=5)).date()
    assert actions(await client.get(f"/api/audit-events?until={until}",
                                    headers=headers)) == {"old"}
    bad = await client.get(f"/api/audit-events?since={since}&until={until}", headers=headers)
    assert bad.status_code == 422


async def test_csv_export_has_every_column_and_defuses_formulas(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    admin = await factories.area_admin(org)
    await event("edit", org.id, actor=admin.id, after={"name": "=HYPERLINK(\"x\")"})
    response = await client.get("/api/audit-events/csv", headers=factories.auth(admin))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["action"] for r in rows] == ["edit"]
    assert rows[0]["actor_email"] == admin.email
    assert rows[0]["after"].startswith("{")  # JSON, never a bare formula
    formula = await client.get("/api/audit-events/csv", headers=factories.auth(admin))
    assert "\r\n=" not in formula.text and ",=" not in formula.text


async def test_sign_ins_and_failures_are_audited_under_the_persons_area(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    admin = await factories.area_admin(org)
    scheduler = await factories.scheduler(org)
    wrong = await client.post("/api/auth/token", json={"email": scheduler.email,
                                                       "password": "not-the-password"})
    assert wrong.status_code == 401
    right = await client.post("/api/auth/token", json={"email": scheduler.email,
                                                       "password": factories.PASSWORD})
    assert right.status_code == 200
    seen = await client.get(f"/api/audit-events?entity_id={scheduler.id}",
                            headers=factories.auth(admin))
    assert [e["action"] for e in seen.json()["items"]] == ["sign_in", "sign_in_failed"]


async def test_the_page_keeps_its_filters_in_the_url(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    admin = await factories.area_admin(org)
    await event("visible-change", org.id, entity_type="unit")
    await event("hidden-change", org.id, entity_type="shift")
    await sign_in(client, admin)
    page = await client.get("/audit?entity_type=unit")
    assert page.status_code == 200
    assert "visible-change" in page.text and "hidden-change" not in page.text
    assert 'href="/api/audit-events/csv?entity_type=unit"' in page.text
    bad = await client.get("/audit?since=yesterday")
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.text
