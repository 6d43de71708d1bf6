"""Two-step verification on the pages: enrolment required for admins, the code step, and
each person's own settings."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select

from asta.accounts import totp
from asta.accounts.models import Role
from asta.core.audit import AuditEvent
from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from tests import factories
from tests.integration.web.helpers import post_form, sign_in
from tests.totp import next_code

_SECRET = re.compile(r'<code class="secret">([A-Z2-7 ]+)</code>')
_CODES = re.compile(r"<li><code>([a-z0-9-]+)</code></li>")


def _secret(html: str) -> str:
    match = _SECRET.search(html)
    assert match, "the enrolment page shows no key"
    return match.group(1).replace(" ", "")


async def _password_step(client: httpx.AsyncClient, email: str) -> str:
    response = await post_form(client, "/sign-in", "/sign-in",
                               {"email": email, "password": factories.PASSWORD, "next": "/units"})
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


async def _actions(user_id: object) -> list[str]:
    """The second factor's audit events of a person (sign-ins are audited too)."""
    async with unit_of_work() as session:
        return list((await session.scalars(select(AuditEvent.action).where(
            AuditEvent.entity_id == str(user_id), AuditEvent.action != "sign_in")
            .order_by(AuditEvent.id))).all())


async def test_an_admin_without_a_second_factor_must_enrol_before_anything_else(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    admin = await factories.user((Role.AREA_ADMIN, org.id, None), second_factor=False)
    assert await _password_step(client, admin.email) == "/sign-in/enrol?next=/units"
    # Every other page and API call sends or refuses them until enrolled.
    assert (await client.get("/units")).headers["location"] == "/sign-in/enrol?next=/units"
    assert (await client.get("/api/me")).status_code == 403

    page = await client.get("/sign-in/enrol?next=/units")
    assert page.status_code == 200
    assert '<svg role="img"' in page.text  # the QR code, no script needed
    assert 'class="menu"' not in page.text  # nothing to navigate to yet
    secret = _secret(page.text)
    assert secret == _secret((await client.get("/sign-in/enrol?next=/units")).text)  # stable

    wrong = await post_form(client, "/sign-in/enrol?next=/units", "/sign-in/enrol",
                            {"code": "000000", "next": "/units"})
    assert wrong.status_code == 422
    assert 'id="f-code-error"' in wrong.text
    assert _secret(wrong.text) == secret

    done = await post_form(client, "/sign-in/enrol?next=/units", "/sign-in/enrol",
                           {"code": totp.code_at(secret, utcnow()), "next": "/units"})
    assert done.status_code == 200, done.text
    assert len(set(_CODES.findall(done.text))) == totp.RECOVERY_CODES
    assert done.headers["cache-control"] == "no-store"
    assert 'href="/units"' in done.text
    assert (await client.get("/units")).status_code == 200
    assert await _actions(admin.id) == ["second_factor_enrolled"]


async def test_an_enrolled_operator_enters_a_code_or_a_recovery_code(
        client: httpx.AsyncClient) -> None:
    operator = await factories.operator()
    step = await _password_step(client, operator.email)
    assert step == "/sign-in/code?next=/units"
    assert (await client.get("/home")).headers["location"] == "/sign-in/code?next=/home"
    code_page = await client.get(step)
    assert code_page.status_code == 200
    assert 'autocomplete="one-time-code"' in code_page.text
    wrong = await post_form(client, step, "/sign-in/code", {"code": "999999", "next": "/units"})
    assert wrong.status_code == 422
    assert "Koodi on väärä tai jo käytetty" in wrong.text  # Finnish by default
    ok = await post_form(client, step, "/sign-in/code",
                         {"code": next_code(operator.email), "next": "/units"})
    assert ok.status_code == 303
    assert ok.headers["location"] == "/units"
    assert (await client.get("/home")).status_code == 200


async def test_a_professional_turns_it_on_and_off_in_their_settings(
        client: httpx.AsyncClient) -> None:
    person = await factories.professional()
    await sign_in(client, person)
    settings = await client.get("/account/two-step")
    assert settings.status_code == 200
    assert 'href="/account/two-step"' in settings.text  # in the menu
    started = await post_form(client, "/account/two-step", "/account/two-step/enrol", {})
    assert started.headers["location"] == "/account/two-step/enrol"
    secret = _secret((await client.get("/account/two-step/enrol")).text)
    done = await post_form(client, "/account/two-step/enrol", "/account/two-step/enrol/confirm",
                           {"code": totp.code_at(secret, utcnow())})
    assert done.status_code == 200, done.text
    codes = _CODES.findall(done.text)
    assert (await client.get("/home")).status_code == 200  # this session stays signed in

    # A new sign-in now asks for a code; a recovery code does.
    client.cookies.clear()
    assert (await _password_step(client, person.email)).startswith("/sign-in/code")
    ok = await post_form(client, "/sign-in/code?next=/home", "/sign-in/code",
                         {"code": codes[0], "next": "/home"})
    assert ok.status_code == 303

    wrong = await post_form(client, "/account/two-step", "/account/two-step/disable",
                            {"disable_code": "nope-nope-nope"})
    assert wrong.status_code == 422
    assert 'id="f-disable_code-error"' in wrong.text
    off = await post_form(client, "/account/two-step", "/account/two-step/disable",
                          {"disable_code": codes[1]})
    assert off.headers["location"] == "/account/two-step?done=disabled"
    client.cookies.clear()
    assert await _password_step(client, person.email) == "/units"
    assert await _actions(person.id) == ["second_factor_enrolled", "recovery_code_used",
                                         "recovery_code_used", "second_factor_disabled"]


async def test_an_admin_may_renew_recovery_codes_but_not_turn_it_off(
        client: httpx.AsyncClient) -> None:
    admin = await factories.area_admin(await factories.organisation())
    await sign_in(client, admin)
    settings = await client.get("/account/two-step")
    assert "/account/two-step/disable" not in settings.text
    # Refused for the role before any code is looked at.
    refused = await post_form(client, "/account/two-step", "/account/two-step/disable",
                              {"disable_code": "123456"})
    assert refused.status_code == 403
    renewed = await post_form(client, "/account/two-step", "/account/two-step/recovery-codes",
                              {"code": next_code(admin.email)})
    assert renewed.status_code == 200
    assert len(_CODES.findall(renewed.text)) == totp.RECOVERY_CODES
    assert await _actions(admin.id) == ["recovery_codes_regenerated"]
