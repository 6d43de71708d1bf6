"""The second factor through the API: the token endpoint's totp_code, replay, throttling,
recovery codes, and the gate that stops a session which owes its second step."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import time_machine
from sqlalchemy import select

from asta.accounts import second_factor, totp
from asta.accounts.models import Role, RoleAssignment
from asta.accounts.totp_models import RecoveryCode, SecondFactor
from asta.core.audit import AuditEvent
from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from asta.core.security import issue_token
from tests import factories
from tests.totp import TOTP_SECRET, next_code

TOKEN = "/api/auth/token"


def _sign_in(person_email: str, **extra: str) -> dict[str, str]:
    return {"email": person_email, "password": factories.PASSWORD, **extra}


async def test_an_enrolled_admin_needs_a_code_for_a_token(client: httpx.AsyncClient) -> None:
    admin = await factories.area_admin(await factories.organisation())
    missing = await client.post(TOKEN, json=_sign_in(admin.email))
    assert missing.status_code == 401
    assert missing.json()["error"] == "second_factor_required"
    assert missing.json()["field"] == "totp_code"
    wrong = await client.post(TOKEN, json=_sign_in(admin.email, totp_code="000000"))
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "second_factor_invalid"
    ok = await client.post(TOKEN, json=_sign_in(admin.email, totp_code=next_code(admin.email)))
    assert ok.status_code == 200, ok.text
    me = await client.get("/api/me", headers={
        "Authorization": f"Bearer {ok.json()['access_token']}"})
    assert me.status_code == 200
    assert me.json()["roles"] == ["area_admin"]


async def test_a_code_is_accepted_once_and_one_step_either_side(
        client: httpx.AsyncClient, clock: time_machine.TimeMachineFixture) -> None:
    admin = await factories.area_admin(await factories.organisation())
    now = utcnow()
    before = totp.code_at(TOTP_SECRET, now - timedelta(seconds=totp.STEP_S))
    ok = await client.post(TOKEN, json=_sign_in(admin.email, totp_code=before))
    assert ok.status_code == 200, ok.text
    replay = await client.post(TOKEN, json=_sign_in(admin.email, totp_code=before))
    assert replay.status_code == 401
    assert replay.json()["error"] == "second_factor_invalid"
    after = totp.code_at(TOTP_SECRET, now + timedelta(seconds=totp.STEP_S))
    assert (await client.post(TOKEN, json=_sign_in(admin.email, totp_code=after))).status_code == 200
    too_late = totp.code_at(TOTP_SECRET, now + timedelta(seconds=3 * totp.STEP_S))
    assert (await client.post(TOKEN, json=_sign_in(admin.email,
                                                   totp_code=too_late))).status_code == 401


async def test_concurrent_requests_with_one_code_get_one_token(client: httpx.AsyncClient) -> None:
    admin = await factories.area_admin(await factories.organisation())
    code = next_code(admin.email)
    answers = await asyncio.gather(*(
        client.post(TOKEN, json=_sign_in(admin.email, totp_code=code)) for _ in range(5)))
    assert sorted(a.status_code for a in answers) == [200, 401, 401, 401, 401]


async def test_wrong_codes_are_throttled_even_with_the_right_password(
        client: httpx.AsyncClient) -> None:
    admin = await factories.area_admin(await factories.organisation())
    for _ in range(5):
        wrong = await client.post(TOKEN, json=_sign_in(admin.email, totp_code="123456"))
        assert wrong.status_code == 401
    throttled = await client.post(TOKEN, json=_sign_in(admin.email,
                                                       totp_code=next_code(admin.email)))
    assert throttled.status_code == 429
    assert int(throttled.headers["retry-after"]) > 0


async def test_an_admin_without_a_second_factor_gets_no_token_and_is_told_to_enrol(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    admin = await factories.user((Role.AREA_ADMIN, org.id, None), second_factor=False)
    response = await client.post(TOKEN, json=_sign_in(admin.email))
    assert response.status_code == 403
    assert response.json()["error"] == "second_factor_enrolment_required"
    assert "/sign-in" in response.json()["detail"]


async def test_a_token_without_the_second_step_can_do_nothing_once_the_role_needs_it(
        client: httpx.AsyncClient) -> None:
    """A professional's password-only token, then made area admin: refused until signed in
    again with a code (a grant alone does not end sessions)."""
    org = await factories.organisation()
    person = await factories.professional()
    token = {"Authorization": f"Bearer {issue_token(person.id)}"}
    assert (await client.get("/api/me", headers=token)).status_code == 200
    async with unit_of_work() as session:
        session.add(RoleAssignment(user_id=person.id, role=Role.AREA_ADMIN.value,
                                   organisation_id=org.id))
    refused = await client.get(f"/api/organisations/{org.id}/members", headers=token)
    assert refused.status_code == 403
    assert refused.json()["error"] == "second_factor_pending"
    assert refused.json()["step"] == "enrol"
    assert (await client.get("/api/me", headers=token)).status_code == 403
    # Signing out still works, so the person can start again.
    assert (await client.post("/api/auth/sign-out", headers=token)).status_code == 204


async def test_a_professional_without_a_second_factor_signs_in_as_before(
        client: httpx.AsyncClient) -> None:
    person = await factories.professional()
    response = await client.post(TOKEN, json=_sign_in(person.email))
    assert response.status_code == 200


async def test_a_recovery_code_works_once_and_its_use_is_audited(
        client: httpx.AsyncClient) -> None:
    person = await factories.professional()
    async with unit_of_work() as session:
        enrolment = await second_factor.start_enrolment(session, person.id, person.email)
    async with unit_of_work() as session:
        codes = await second_factor.confirm_enrolment(
            session, person.id, totp.code_at(enrolment.secret, utcnow()))
    assert len(codes) == totp.RECOVERY_CODES
    assert len(set(codes)) == totp.RECOVERY_CODES
    async with unit_of_work() as session:
        stored = (await session.scalars(select(RecoveryCode.code_hash).where(
            RecoveryCode.user_id == person.id))).all()
        factor = await session.get(SecondFactor, person.id)
    assert not set(codes) & set(stored)  # only hashes are kept
    assert factor is not None and factor.secret and enrolment.secret not in factor.secret

    typed = codes[3].upper().replace("-", " ")  # as someone might type it
    ok = await client.post(TOKEN, json=_sign_in(person.email, totp_code=typed))
    assert ok.status_code == 200, ok.text
    again = await client.post(TOKEN, json=_sign_in(person.email, totp_code=codes[3]))
    assert again.status_code == 401
    async with unit_of_work() as session:
        actions = (await session.scalars(select(AuditEvent.action).where(
            AuditEvent.entity_id == str(person.id)).order_by(AuditEvent.id))).all()
    # Sign-ins are audited too (asta.accounts.identity); these are the second factor's own.
    assert [a for a in actions if a != "sign_in"] == ["second_factor_enrolled",
                                                      "recovery_code_used"]


async def test_erasure_removes_the_secret_and_the_recovery_codes(
        client: httpx.AsyncClient) -> None:
    person = await factories.professional()
    async with unit_of_work() as session:
        session.add(SecondFactor(user_id=person.id, secret=totp.seal(TOTP_SECRET),
                                 confirmed_at=utcnow()))
        session.add(RecoveryCode(user_id=person.id, code_hash="x"))
    erased = await client.post("/api/me/erasure", headers=factories.auth(person))
    assert erased.status_code == 202, erased.text
    async with unit_of_work() as session:
        assert await session.get(SecondFactor, person.id) is None
        assert (await session.scalars(select(RecoveryCode).where(
            RecoveryCode.user_id == person.id))).all() == []
