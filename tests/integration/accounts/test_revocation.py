"""Sign-out, a new password, a role change, deactivation and erasure end every session."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
import pytest
from sqlalchemy import delete, update

from asta.accounts.models import Role, RoleAssignment, User
from asta.core.db import unit_of_work
from asta.core.security import hash_password
from tests import factories
from tests.integration.web.helpers import post_form, sign_in


async def _api_token(client: httpx.AsyncClient, person: User) -> dict[str, str]:
    answer = await client.post("/api/auth/token", json={"email": person.email,
                                                        "password": factories.PASSWORD})
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


async def test_the_old_session_cookie_is_dead_after_sign_out(client: httpx.AsyncClient) -> None:
    person = await factories.professional()
    token = await _api_token(client, person)
    await sign_in(client, person)
    old_cookie = client.cookies["asta_session"]
    assert (await post_form(client, "/home", "/sign-out", {})).status_code == 303
    client.cookies.set("asta_session", old_cookie)
    assert (await client.get("/api/me")).status_code == 401
    assert (await client.get("/home")).status_code == 303  # back to the sign-in page
    assert (await client.get("/api/me", headers=token)).status_code == 401  # every device


async def test_api_sign_out_revokes_every_token_and_a_new_sign_in_works(
        client: httpx.AsyncClient) -> None:
    person = await factories.professional()
    first, second = await _api_token(client, person), await _api_token(client, person)
    assert (await client.post("/api/auth/sign-out", headers=first)).status_code == 204
    for token in (first, second):
        assert (await client.get("/api/me", headers=token)).status_code == 401
    assert (await client.get("/api/me", headers=await _api_token(client, person))).status_code == 200


async def _new_password(person: User) -> None:
    async with unit_of_work() as session:
        await session.execute(update(User).where(User.id == person.id)
                              .values(password_hash=hash_password("a-new-password")))


async def _role_removed(person: User) -> None:
    async with unit_of_work() as session:
        await session.execute(delete(RoleAssignment).where(RoleAssignment.user_id == person.id))


async def _deactivated_and_back(person: User) -> None:
    for active in (False, True):
        async with unit_of_work() as session:
            await session.execute(update(User).where(User.id == person.id)
                                  .values(is_active=active))


async def _new_address(person: User) -> None:
    async with unit_of_work() as session:
        await session.execute(update(User).where(User.id == person.id)
                              .values(email=f"new-{person.email}"))


@pytest.mark.parametrize("change", [_new_password, _role_removed, _deactivated_and_back,
                                    _new_address])
async def test_account_changes_revoke_sessions_and_tokens(
        client: httpx.AsyncClient, change: Callable[[User], Awaitable[None]]) -> None:
    person = await factories.scheduler(await factories.organisation())
    token = await _api_token(client, person)
    await sign_in(client, person)
    await change(person)
    assert (await client.get("/api/me", headers=token)).status_code == 401
    assert (await client.get("/home")).status_code == 303


async def test_erasure_ends_every_session(client: httpx.AsyncClient) -> None:
    person = await factories.professional()
    token, other = await _api_token(client, person), await _api_token(client, person)
    assert (await client.post("/api/me/erasure", headers=token)).status_code == 202
    assert (await client.get("/api/me", headers=other)).status_code == 401


async def test_a_new_grant_keeps_the_session_and_shows_at_once(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    person = await factories.professional()
    token = await _api_token(client, person)
    async with unit_of_work() as session:
        session.add(RoleAssignment(user_id=person.id, role=Role.SCHEDULER.value,
                                   organisation_id=org.id))
    me = await client.get("/api/me", headers=token)
    assert me.status_code == 200
    assert me.json()["roles"] == ["professional", "scheduler"]
