from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from asta.core.config import get_settings
from asta.core.db import unit_of_work
from asta.core.jobs import WorkerProcess
from asta.notifications.models import Notification
from asta.profiles.jobs import warn_expiring_credentials
from asta.profiles.models import Certificate
from tests import factories


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings = get_settings()
    monkeypatch.setattr(settings, "smtp_port", port) if False else None
    object.__setattr__(settings, "smtp_port", port)
    try:
        yield inbox
    finally:
        controller.stop()


async def test_health_reports_database_and_broker(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


async def test_health_is_503_when_the_broker_is_down(client: httpx.AsyncClient,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("asta.app.broker_is_healthy", lambda _broker: False)
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
                                expires_on=datetime.now(UTC).date() + timedelta(days=5)))
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
