from __future__ import annotations

import httpx
from sqlalchemy import func, select, update

from asta.accounts.models import Role, User
from asta.core.audit import AuditEvent
from asta.core.db import unit_of_work
from asta.core.security import issue_token
from asta.notifications.models import Notification
from tests import factories


async def test_sign_in_returns_a_bearer_token_that_identifies_the_caller(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    person = await factories.scheduler(org)
    response = await client.post("/api/auth/token",
                                 json={"email": person.email, "password": factories.PASSWORD})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    me = await client.get("/api/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["email"] == person.email
    assert me.json()["roles"] == ["scheduler"]
    assert me.json()["grants"][0]["organisation_id"] == str(org.id)


async def test_wrong_password_is_401_and_repeated_failures_are_throttled(
        client: httpx.AsyncClient) -> None:
    person = await factories.professional()
    for _ in range(5):
        wrong = await client.post("/api/auth/token",
                                  json={"email": person.email, "password": "wrong-password"})
        assert wrong.status_code == 401
    throttled = await client.post("/api/auth/token",
                                  json={"email": person.email, "password": factories.PASSWORD})
    assert throttled.status_code == 429
    assert "Too many failed sign-ins" in throttled.json()["detail"]
    assert int(throttled.headers["retry-after"]) > 0


async def test_unknown_email_gets_the_same_answer_as_a_wrong_password(
        client: httpx.AsyncClient) -> None:
    response = await client.post("/api/auth/token",
                                 json={"email": "nobody@asta.test", "password": "whatever"})
    assert response.status_code == 401
    assert response.json()["detail"] == "Wrong e-mail address or password"


async def test_expired_and_forged_tokens_are_refused(client: httpx.AsyncClient) -> None:
    person = await factories.professional()
    expired = issue_token(person.id, minutes=-1)
    response = await client.get("/api/me", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401
    forged = issue_token(person.id)[:-4] + "AAAA"
    response = await client.get("/api/me", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401
    assert (await client.get("/api/me")).status_code == 401


async def test_sign_up_joins_the_national_pool_once_the_address_is_confirmed(
        client: httpx.AsyncClient) -> None:
    response = await client.post("/api/auth/sign-up", json={
        "email": "New.Doctor@Example.fi", "password": "long-enough-pw", "full_name": "Uusi"})
    assert response.status_code == 202, response.text
    credentials = {"email": "new.doctor@example.fi", "password": "long-enough-pw"}
    refused = await client.post("/api/auth/token", json=credentials)
    assert refused.status_code == 403
    assert refused.json()["error"] == "email_not_verified"
    async with unit_of_work() as session:
        await session.execute(update(User).where(User.email == credentials["email"])
                              .values(email_verified=True))
    token = await client.post("/api/auth/token", json=credentials)
    me = await client.get("/api/me", headers={
        "Authorization": f"Bearer {token.json()['access_token']}"})
    assert me.json()["roles"] == [Role.PROFESSIONAL.value]
    async with unit_of_work() as session:
        events = await session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "sign_up"))
    assert events == 1


async def test_sign_up_answers_the_same_for_an_existing_address_and_tells_its_owner(
        client: httpx.AsyncClient) -> None:
    owner = await factories.professional(email="taken@example.fi")
    fresh = await client.post("/api/auth/sign-up", json={
        "email": "free@example.fi", "password": "long-enough-pw", "full_name": "Uusi"})
    taken = [await client.post("/api/auth/sign-up", json={
        "email": "Taken@Example.fi", "password": "another-long-pw", "full_name": "Toinen"})
        for _ in range(2)]
    for again in taken:
        assert (again.status_code, again.json()) == (fresh.status_code, fresh.json())
    async with unit_of_work() as session:
        users = await session.scalar(select(func.count()).select_from(User))
        notices = (await session.scalars(select(Notification).where(
            Notification.user_id == owner.id))).all()
    assert users == 2
    assert [n.kind for n in notices] == ["sign_up_attempt"]  # once a day, however often
    still = await client.post("/api/auth/token", json={"email": owner.email,
                                                       "password": factories.PASSWORD})
    assert still.status_code == 200


async def test_bad_sign_up_says_which_field_is_wrong(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/auth/sign-up", json={
        "email": "not-an-email", "password": "short", "full_name": "X", "admin": True})
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"email", "password", "admin"} <= fields
