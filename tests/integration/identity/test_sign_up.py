"""Web sign-up for professionals: the same answer for any address, a confirmation link in the
chosen language, no sign-in before it is opened; the owner of a taken address is told."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from asta.accounts.models import User
from asta.core.audit import AuditEvent
from asta.core.db import unit_of_work
from asta.web.i18n import LOCALE_COOKIE
from tests import factories
from tests.integration.identity.helpers import deliver, link_in, subject, to
from tests.integration.mail import Inbox
from tests.integration.web.helpers import csrf_token, post_form

PASSWORD = "my-long-password"


async def sign_up(client: httpx.AsyncClient, email: str, name: str = "Sara Svensson",
                  password: str = PASSWORD) -> httpx.Response:
    return await post_form(client, "/sign-up", "/sign-up",
                           {"full_name": name, "email": email, "password": password})


async def sign_in_page(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await post_form(client, "/sign-in", "/sign-in",
                           {"email": email, "password": PASSWORD})


async def test_a_new_professional_confirms_the_address_then_signs_in(
        client: httpx.AsyncClient, smtp: Inbox) -> None:
    client.cookies.set(LOCALE_COOKIE, "sv")
    answer = await sign_up(client, "sara@asta.test")
    assert answer.status_code == 200 and "Kontrollera din e-post" in answer.text
    refused = await sign_in_page(client, "sara@asta.test")
    assert refused.status_code == 403
    assert "Bekräfta först din e-postadress" in refused.text
    assert 'href="/resend-verification"' in refused.text
    [mail] = to(await deliver(smtp), "sara@asta.test")
    assert subject(mail) == "Bekräfta din e-postadress för Asta"
    page, token = link_in(mail)
    assert page == "/verify-email"
    shown = await client.get(f"/verify-email?token={token}")  # a mail scanner's fetch...
    assert shown.status_code == 200
    async with unit_of_work() as session:  # ...confirms nothing by itself
        assert await session.scalar(select(User.email_verified)) is False
    confirmed = await client.post("/verify-email", data={
        "_csrf_token": csrf_token(shown.text), "token": token})
    assert confirmed.status_code == 200 and "Din e-postadress är bekräftad" in confirmed.text
    assert (await sign_in_page(client, "sara@asta.test")).status_code == 303
    async with unit_of_work() as session:
        actions = list(await session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["sign_up", "email_verified", "sign_in"]


async def test_a_taken_address_gets_the_same_answer_and_its_owner_a_reset_link(
        client: httpx.AsyncClient, smtp: Inbox) -> None:
    owner = await factories.professional(email="taken@asta.test")
    fresh = await sign_up(client, "free@asta.test", name="A")
    taken = await sign_up(client, "Taken@asta.test", name="A")
    assert fresh.status_code == taken.status_code == 200
    assert fresh.text.replace(csrf_token(fresh.text), "") == taken.text.replace(
        csrf_token(taken.text), "")
    messages = await deliver(smtp)
    [warning] = to(messages, owner.email)
    assert "yritettiin luoda Asta-tili" in subject(warning)
    page, token = link_in(warning)
    assert page == "/reset-password"
    assert (await client.get(f"/reset-password?token={token}")).status_code == 200
    async with unit_of_work() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 2


async def test_the_confirmation_link_can_be_sent_again_only_to_an_unconfirmed_account(
        client: httpx.AsyncClient, smtp: Inbox) -> None:
    await factories.professional(email="confirmed@asta.test")
    await sign_up(client, "waiting@asta.test")
    for email in ("waiting@asta.test", "confirmed@asta.test", "nobody@asta.test"):
        answer = await post_form(client, "/resend-verification", "/resend-verification",
                                 {"email": email})
        assert answer.status_code == 200
    messages = await deliver(smtp)
    assert sorted(m["To"] for m in messages) == ["waiting@asta.test", "waiting@asta.test"]
    first, second = (link_in(m)[1] for m in messages)
    shown = await client.get(f"/verify-email?token={first}")
    await client.post("/verify-email", data={"_csrf_token": csrf_token(shown.text),
                                             "token": first})
    # Confirmed: the other link is spent as well in effect (nothing left to confirm)...
    assert (await sign_in_page(client, "waiting@asta.test")).status_code == 303
    used = await client.get(f"/verify-email?token={first}")
    assert used.status_code == 410  # ...and the used one is refused
    assert second != first


async def test_sign_up_form_errors_are_shown_in_the_page_language(
        client: httpx.AsyncClient) -> None:
    client.cookies.set(LOCALE_COOKIE, "fi")
    answer = await sign_up(client, "not-an-address", password="short")
    assert answer.status_code == 422
    assert "Liian lyhyt" in answer.text
