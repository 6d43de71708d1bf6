"""E-mails in the recipient's language, captured from a real SMTP server, word for word."""

from __future__ import annotations

from datetime import datetime
from email.header import decode_header, make_header
from email.message import Message
from zoneinfo import ZoneInfo

import httpx
import time_machine
from sqlalchemy import select, update

from asta.accounts.models import User
from asta.core.config import get_settings
from asta.core.db import unit_of_work
from asta.notifications.jobs import _deliver as deliver
from asta.notifications.mailer import mailer
from asta.notifications.models import Notification
from tests import factories
from tests.integration.mail import Inbox

HELSINKI = ZoneInfo("Europe/Helsinki")
# A Tuesday in December: no public holiday, no DST change; the test sets its own clock.
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=HELSINKI)
BODY = {"starts_at": "2026-12-08T08:00:00+02:00", "ends_at": "2026-12-08T16:00:00+02:00",
        "profession": "doctor", "visibility": "national", "is_remote": True, "positions": 1}


async def _person(locale: str) -> tuple[User, dict[str, str]]:
    person = await factories.professional()
    async with unit_of_work() as session:
        await session.execute(update(User).where(User.id == person.id)  # type: ignore[arg-type]
                              .values(locale=locale))
    return person, factories.auth(person)


async def _deliver(person: User, kind: str, inbox: Inbox) -> Message:
    """Send the queued e-mail as the outbox's worker does, and read what the server got."""
    async with unit_of_work() as session:
        row = await session.scalar(select(Notification).where(
            Notification.user_id == person.id, Notification.kind == kind))
        user = await session.get(User, person.id)
    assert row is not None
    async with mailer() as smtp:
        await deliver(row, user, smtp)
    [message] = inbox.messages
    return message


def _subject(message: Message) -> str:
    return str(make_header(decode_header(str(message["Subject"]))))


def _parts(message: Message) -> tuple[str, str]:
    text = html = ""
    for part in message.walk():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes) and part.get_content_type() == "text/plain":
            text = payload.decode().replace("\r\n", "\n")  # SMTP line ends
        if isinstance(payload, bytes) and part.get_content_type() == "text/html":
            html = payload.decode()
    return text, html


async def _shift(client: httpx.AsyncClient) -> str:
    org = await factories.organisation()
    unit = await factories.unit(org, "Kaiku24 etävastaanotto")
    posted = await client.post(f"/api/units/{unit.id}/shifts",
                               headers=factories.auth(await factories.scheduler(org)),
                               json={"shifts": [BODY], "publish": True})
    assert posted.status_code == 201, posted.text
    return str(posted.json()[0]["id"])


async def test_a_booking_e_mail_in_finnish(client: httpx.AsyncClient, smtp: Inbox,
                                          clock: time_machine.TimeMachineFixture) -> None:
    clock.move_to(NOW, tick=False)
    shift_id = await _shift(client)
    person, headers = await _person("fi")
    assert (await client.post(f"/api/shifts/{shift_id}/claim", headers=headers)
            ).status_code == 201
    message = await _deliver(person, "shift_assigned", smtp)
    base = get_settings().public_base_url
    assert _subject(message) == "Varattu: Kaiku24 etävastaanotto, ti 8.12.2026 8.00–16.00"
    text, html = _parts(message)
    assert text == (
        "Olet varattu tähän vuoroon.\n"
        "\n"
        "Kaiku24 etävastaanotto: ti 8.12.2026 8.00–16.00\n"
        "Lääkäri, etänä\n"
        "Palkka: 720,00\xa0€\n"
        "\n"
        f"Katso vuoro: {base}/shifts/{shift_id}\n")
    assert f'<a href="{base}/shifts/{shift_id}">' in html and "<p>Olet varattu" in html
    assert '<html lang="fi">' in html


async def test_a_standby_offer_e_mail_in_swedish(client: httpx.AsyncClient, smtp: Inbox,
                                                clock: time_machine.TimeMachineFixture) -> None:
    clock.move_to(NOW, tick=False)
    shift_id = await _shift(client)
    _, holder_headers = await _person("fi")
    standby, standby_headers = await _person("sv")
    held = await client.post(f"/api/shifts/{shift_id}/claim", headers=holder_headers)
    joined = await client.post(f"/api/shifts/{shift_id}/waitlist", headers=standby_headers)
    assert joined.status_code == 201, joined.text
    cancelled = await client.post(f"/api/assignments/{held.json()['id']}/cancel",
                                  headers=holder_headers, json={"reason": "sjuk"})
    assert cancelled.status_code == 200, cancelled.text
    message = await _deliver(standby, "standby_offer", smtp)
    base = get_settings().public_base_url
    assert _subject(message) == ("En plats blev ledig för dig: Kaiku24 etävastaanotto, "
                                  "tis 8 dec. 2026 8.00–16.00")
    text, html = _parts(message)
    assert '<html lang="sv">' in html
    assert text == (
        "En plats blev ledig i ett pass där du står på reservlistan. Den är din om du tackar "
        "ja senast 1.12.2026 11.00.\n"
        "\n"
        "Kaiku24 etävastaanotto: tis 8 dec. 2026 8.00–16.00\n"
        "Läkare, på distans\n"
        "Lön: 720,00\xa0€\n"
        "\n"
        f"Svara på erbjudandet: {base}/shifts/{shift_id}\n")
