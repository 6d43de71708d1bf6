"""The development mail catcher: e-mail Asta sends in development is kept and shown to the
platform operator at /dev/mail, and to nobody else; in production the page does not exist."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from asta.core.config import Settings, get_settings, use_smtp_port
from asta.core.db import unit_of_work
from asta.core.jobs import WorkerProcess
from asta.devmail import MailStore, running_mail_catcher
from asta.notifications.jobs import dispatch_notifications
from asta.notifications.models import Notification
from tests import factories
from tests.integration.web.helpers import sign_in


def _override(settings: Settings, **values: object) -> dict[str, object]:
    before = {name: getattr(settings, name) for name in values}
    for name, value in values.items():
        object.__setattr__(settings, name, value)
    return before


@pytest.fixture
def development(tmp_path: Path) -> Iterator[MailStore]:
    """`asta serve` in development without ASTA_SMTP_HOST: the catcher runs, mail goes to it."""
    settings = get_settings()
    before = _override(settings, environment="development", mail_catcher=True, data_dir=tmp_path,
                       smtp_host=settings.smtp_host, smtp_port=settings.smtp_port)
    try:
        with running_mail_catcher(settings.caught_mail_dir) as port:
            use_smtp_port(port)
            yield MailStore(settings.caught_mail_dir)
    finally:
        _override(settings, **before)


async def test_a_notification_sent_in_development_shows_at_dev_mail_for_the_operator(
        client: httpx.AsyncClient, development: MailStore, worker: WorkerProcess) -> None:
    doctor = await factories.professional()
    async with unit_of_work() as session:
        session.add(Notification(user_id=doctor.id, kind="test", subject="Uusi vuoro: Kaiku24",
                                 body="Vuoro alkaa klo 8.\n<script>x</script>"))
    dispatch_notifications.send()
    deadline = time.monotonic() + 30
    # The worker thread delivers; there is no event to wait on.
    while not development.latest() and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.2)
    [caught] = development.latest()
    assert caught.to == doctor.email

    await sign_in(client, await factories.operator())
    assert 'href="/dev/mail"' in (await client.get("/home")).text  # the menu offers it
    listing = await client.get("/dev/mail")
    assert listing.status_code == 200
    assert "Uusi vuoro: Kaiku24" in listing.text and doctor.email in listing.text
    message = await client.get(f"/dev/mail/{caught.id}")
    assert message.status_code == 200
    assert "Vuoro alkaa klo 8." in message.text
    assert "<script>x</script>" not in message.text  # shown as text, never as markup
    assert (await client.get("/dev/mail/..%2Finstance")).status_code == 404
    assert (await client.get("/dev/mail/00000000000000000000-" + "0" * 32)).status_code == 404


async def test_only_the_operator_reads_caught_mail(client: httpx.AsyncClient,
                                                   development: MailStore) -> None:
    development.save(b"To: someone@example.org\r\nSubject: Private\r\n\r\nBody\r\n")
    org = await factories.organisation()
    await sign_in(client, await factories.area_admin(org))
    response = await client.get("/dev/mail")
    assert response.status_code == 403
    assert "Private" not in response.text
    client.cookies.clear()
    response = await client.get("/dev/mail", follow_redirects=False)
    assert response.status_code in (302, 303, 401)
    assert "Private" not in response.text


@pytest.mark.parametrize(("environment", "catcher"), [("production", False),
                                                       ("development", False)])
async def test_without_the_catcher_dev_mail_is_not_found(
        client: httpx.AsyncClient, tmp_path: Path, environment: str, catcher: bool) -> None:
    await sign_in(client, await factories.operator())  # production's cookies need https
    settings = get_settings()
    before = _override(settings, environment=environment, mail_catcher=catcher,
                       data_dir=tmp_path)
    try:
        MailStore(settings.caught_mail_dir).save(b"Subject: Kept\r\n\r\nBody\r\n")
        response = await client.get("/dev/mail")
        home = await client.get("/home")
    finally:
        _override(settings, **before)
    assert response.status_code == 404
    assert "Kept" not in response.text
    assert home.status_code == 200
    assert 'href="/dev/mail"' not in home.text  # and the menu does not offer it
