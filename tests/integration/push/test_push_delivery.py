"""Web Push, the server's half: each browser's push is encrypted for it and signed with the
server's VAPID key, sent once next to its e-mail, and a forgotten subscription is removed.
A local stand-in push service receives it and decrypts it as the browser would."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from py_vapid import Vapid02
from sqlalchemy import func, select

from asta.core import circuit
from asta.core.clock import utcnow
from asta.core.config import get_settings
from asta.core.db import unit_of_work
from asta.core.outbox import claim_due
from asta.marketplace.services import notices
from asta.notifications.models import Notification
from asta.push.jobs import PROBE_LEASE, PUSHES, dispatch_pushes, send_pushes
from asta.push.keys import generate_private_key, public_key
from asta.push.models import PushMessage, PushSubscription
from asta.push.services import service_of
from asta.web.emails import shift_link
from tests import factories
from tests.integration.marketplace.helpers import post_shifts, shift_body
from tests.push_receiver import Browser, PushReceiver


@pytest.fixture(scope="module", autouse=True)
def vapid_key() -> Iterator[str]:
    settings = get_settings()
    original = settings.vapid_private_key
    key = generate_private_key()
    object.__setattr__(settings, "vapid_private_key", key)
    yield key
    object.__setattr__(settings, "vapid_private_key", original)


@pytest.fixture
def receiver() -> Iterator[PushReceiver]:
    with PushReceiver().running() as running:
        yield running


async def deliver() -> None:
    """What the sweep and the delivery job do, run here instead of waiting for a worker."""
    batch = uuid.uuid4().hex
    async with unit_of_work() as session:
        await claim_due(session, PUSHES, utcnow(), limit=100, token=batch)
    # The actor's coroutine itself (Dramatiq wraps it to run on its own loop thread).
    await send_pushes.fn.__wrapped__(batch)


async def subscribe(client: httpx.AsyncClient, person: Any, browser: Browser) -> None:
    answer = await client.post("/api/me/push/subscriptions", json=browser.subscription(),
                               headers=factories.auth(person))
    assert answer.status_code == 204, answer.text


def claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return decoded


async def test_a_booking_is_pushed_encrypted_and_signed_once_to_each_browser(
        client: httpx.AsyncClient, receiver: PushReceiver, vapid_key: str) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    scheduler = factories.auth(await factories.scheduler(org))
    person = await factories.professional()
    phone, laptop = receiver.browser("phone"), receiver.browser("laptop")
    await subscribe(client, person, phone)
    await subscribe(client, person, laptop)
    [shift] = await post_shifts(client, scheduler, unit.id, shift_body())
    claimed = await client.post(f"/api/shifts/{shift['id']}/claim", headers=factories.auth(person))
    assert claimed.status_code in (200, 201), claimed.text
    await deliver()
    await deliver()  # nothing is due twice
    assert sorted(r.path for r in receiver.received) == ["/push/laptop", "/push/phone"]
    push = next(r for r in receiver.received if r.path == "/push/phone")
    async with unit_of_work() as session:
        email = await session.scalar(select(Notification).where(
            Notification.kind == "shift_assigned"))
    assert email is not None
    payload = json.loads(phone.decrypt(push))
    assert payload == {"title": email.subject, "body": "Olet varattu tähän vuoroon.",
                       "url": shift_link(shift["id"]), "tag": f"shift_assigned:{shift['id']}"}
    assert payload["title"].startswith("Varattu: ")  # the recipient's language (fi)
    assert push.headers["content-encoding"] == "aes128gcm"
    assert int(push.headers["ttl"]) > 0
    scheme, token = push.headers["authorization"].split(" ", 1)
    assert scheme == "vapid"
    parts = dict(p.split("=", 1) for p in token.split(","))
    assert parts["k"] == public_key(vapid_key)  # signed by the server's own key
    assert Vapid02.verify(push.headers["authorization"])
    signed = claims(parts["t"])
    assert signed["aud"] == receiver.url and signed["sub"] == get_settings().vapid_subject
    assert signed["exp"] > utcnow().timestamp()
    async with unit_of_work() as session:
        statuses = list(await session.scalars(select(PushMessage.status)))
    assert statuses == ["done", "done"]


async def test_a_standby_offer_is_pushed_in_the_recipients_language_and_once(
        client: httpx.AsyncClient, receiver: PushReceiver) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    person = await factories.professional()
    async with unit_of_work() as session:
        from asta.accounts.models import User

        row = await session.get(User, person.id)
        assert row is not None
        row.locale = "sv"
    browser = receiver.browser("standby")
    await subscribe(client, person, browser)
    shift = await factories.shift(unit)
    entry = await factories.standby_offer(shift, person)
    for _ in range(2):  # a job that runs twice queues the notice once
        async with unit_of_work() as session:
            await notices.offered(session, entry, shift, unit)
    await deliver()
    [push] = receiver.received
    payload = json.loads(browser.decrypt(push))
    assert payload["title"].startswith("En plats blev ledig för dig: ")
    assert payload["url"] == shift_link(str(shift.id))


async def test_a_subscription_the_push_service_forgot_is_removed(
        client: httpx.AsyncClient, receiver: PushReceiver) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    person = await factories.professional()
    await subscribe(client, person, receiver.browser("gone"))
    shift = await factories.shift(unit)
    assignment = await factories.assignment(shift, person)
    async with unit_of_work() as session:
        await notices.assigned(session, assignment, shift, unit)
    receiver.status = 410
    await deliver()
    assert len(receiver.received) == 1
    async with unit_of_work() as session:
        left = await session.scalar(select(func.count()).select_from(PushSubscription))
        pushes = await session.scalar(select(func.count()).select_from(PushMessage))
        emails = await session.scalar(select(func.count()).select_from(Notification))
    assert (left, pushes, emails) == (0, 0, 1)  # the e-mail still goes


async def test_a_push_service_that_is_down_holds_back_only_its_own_pushes(
        client: httpx.AsyncClient, receiver: PushReceiver) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    person = await factories.professional()
    busy = receiver.browser("busy")
    with PushReceiver().running() as other_service:
        fine = other_service.browser("fine")
        await subscribe(client, person, busy)
        await subscribe(client, person, fine)
        shift = await factories.shift(unit)
        assignment = await factories.assignment(shift, person)
        async with unit_of_work() as session:
            await notices.assigned(session, assignment, shift, unit)
        receiver.status = 503
        await deliver()
        later = await factories.shift(unit, starts_in=timedelta(days=5))
        second = await factories.assignment(later, person)
        async with unit_of_work() as session:
            await notices.assigned(session, second, later, unit)
        await dispatch_pushes.fn.__wrapped__()  # the sweep while the busy service's circuit is open
        async with unit_of_work() as session:
            gate = await circuit.allowance(session, service_of(busy.endpoint), utcnow(),
                                           PROBE_LEASE)
            rows = {(r.service, r.status, r.attempts, r.claimed_by is not None)
                    for r in await session.scalars(select(PushMessage))}
    assert gate.blocked  # sweeps claim nothing of its pushes until the retry time
    busy_service, fine_service = service_of(busy.endpoint), service_of(fine.endpoint)
    assert rows == {(busy_service, "pending", 1, False),  # waits, with backoff
                    (busy_service, "pending", 0, False),  # not claimed while the circuit is open
                    (fine_service, "done", 1, False),
                    (fine_service, "pending", 0, True)}  # claimed by the sweep: on its way
    assert len(other_service.received) == 1


async def test_each_person_manages_only_their_own_browsers(
        client: httpx.AsyncClient, receiver: PushReceiver, vapid_key: str) -> None:
    me, other = await factories.professional(), await factories.professional()
    browser = receiver.browser("mine")
    await subscribe(client, me, browser)
    await subscribe(client, me, browser)  # again: still one
    mine = await client.get("/api/me/push", headers=factories.auth(me))
    assert mine.json() == {"public_key": public_key(vapid_key), "subscriptions": 1}
    refused = await client.post("/api/me/push/subscriptions/remove",
                                json={"endpoint": browser.endpoint},
                                headers=factories.auth(other))
    assert refused.status_code == 404
    removed = await client.post("/api/me/push/subscriptions/remove",
                                json={"endpoint": browser.endpoint}, headers=factories.auth(me))
    assert removed.status_code == 204
    after = await client.get("/api/me/push", headers=factories.auth(me))
    assert after.json()["subscriptions"] == 0


async def test_without_a_vapid_key_nobody_can_subscribe(
        client: httpx.AsyncClient, receiver: PushReceiver) -> None:
    settings = get_settings()
    key = settings.vapid_private_key
    object.__setattr__(settings, "vapid_private_key", None)
    try:
        person = await factories.professional()
        answer = await client.post("/api/me/push/subscriptions",
                                   json=receiver.browser("x").subscription(),
                                   headers=factories.auth(person))
        shown = await client.get("/api/me/push", headers=factories.auth(person))
    finally:
        object.__setattr__(settings, "vapid_private_key", key)
    assert answer.status_code == 409 and answer.json()["error"] == "push_not_configured"
    assert shown.json()["public_key"] is None


async def test_my_browsers_are_in_my_data_export_and_erasure_forgets_them(
        client: httpx.AsyncClient, receiver: PushReceiver) -> None:
    person = await factories.professional()
    browser = receiver.browser("erased")
    await subscribe(client, person, browser)
    export = (await client.get("/api/me/export", headers=factories.auth(person))).json()
    assert [b["endpoint"] for b in export["push_subscriptions"]] == [browser.endpoint]
    erased = await client.post("/api/me/erasure", headers=factories.auth(person))
    assert erased.status_code == 202
    async with unit_of_work() as session:
        left = await session.scalar(select(func.count()).select_from(PushSubscription))
    assert left == 0
