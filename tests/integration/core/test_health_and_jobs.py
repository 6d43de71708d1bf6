from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from asta.core.jobs import WorkerProcess
from asta.notifications.models import Notification
from asta.profiles.jobs import warn_expiring_credentials
from asta.profiles.models import Certificate
from tests import factories
from tests.integration.mail import Inbox


async def test_health_reports_database_and_broker(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"], body["broker"], body["problems"]) == (
        "ok", "ok", "ok", [])
    assert body["outbox"]["notifications"] == {"due": 0, "in_flight": 0, "dead": 0,
                                               "oldest_due_s": 0.0}


async def test_health_is_503_when_the_broker_is_down(client: httpx.AsyncClient,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("asta.operations.services.broker_is_healthy", lambda _broker: False)
    response = await client.get("/health")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"


async def test_openapi_is_served_and_docs_need_no_cdn(client: httpx.AsyncClient) -> None:
    schema = await client.get("/schema/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.1")
    page = await client.get("/schema/swagger")
    assert page.status_code == 200
    assert "https://" not in page.text and "http://" not in page.text.replace(
        "http://www.w3.org", "")
    asset = await client.get("/static/swagger/swagger-ui-bundle.js")
    assert asset.status_code == 200


async def test_expiry_warning_job_runs_through_the_real_broker_and_worker(
        smtp: Inbox, periodic_worker: WorkerProcess) -> None:
    person = await factories.professional(email="expiring@asta.test")
    async with unit_of_work() as session:
        session.add(Certificate(user_id=person.id, name="ALS",
                                expires_on=utcnow().date() + timedelta(days=5)))
    warn_expiring_credentials.send()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not smtp.messages:  # noqa: ASYNC110 - polls another thread
        await asyncio.sleep(0.2)
    assert [m["To"] for m in smtp.messages] == ["expiring@asta.test"]
    assert "ALS" in smtp.messages[0]["Subject"]
    async with unit_of_work() as session:
        notification = await session.scalar(select(Notification))
    assert notification is not None and notification.sent_at is not None
    # Running the job again warns nobody twice.
    warn_expiring_credentials.send()
    await asyncio.sleep(3)
    assert len(smtp.messages) == 1
