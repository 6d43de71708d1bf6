"""Who may record a national registration check, what they see back, and the audit trail."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import select

from asta.accounts.models import User
from asta.core.audit import AuditEvent
from asta.core.db import unit_of_work
from asta.profiles.models import ProfessionalProfile, UnitOnboarding
from tests import factories


async def _doctor_onboarded_in(unit_id: uuid.UUID) -> User:
    doctor = await factories.professional(registration_status="unverified")
    async with unit_of_work() as session:
        session.add(UnitOnboarding(user_id=doctor.id, unit_id=unit_id))
    return doctor


async def test_another_areas_admin_can_neither_verify_nor_read_more(
        client: httpx.AsyncClient) -> None:
    kymenlaakso, ostrobothnia = await factories.organisation(), await factories.organisation()
    unit = await factories.unit(kymenlaakso)
    doctor = await _doctor_onboarded_in(unit.id)
    outsider = factories.auth(await factories.area_admin(ostrobothnia))
    refused = await client.post(f"/api/professionals/{doctor.id}/registration-verification",
                                json={"status": "verified"}, headers=outsider)
    assert refused.status_code == 403, refused.text
    assert "phone" not in refused.text and str(unit.id) not in refused.text
    async with unit_of_work() as session:
        profile = await session.get(ProfessionalProfile, doctor.id)
    assert profile is not None and profile.registration_status == "unverified"


async def test_the_onboarding_areas_admin_verifies_and_sees_the_pool_view(
        client: httpx.AsyncClient) -> None:
    area = await factories.organisation()
    unit = await factories.unit(area)
    doctor = await _doctor_onboarded_in(unit.id)
    admin = await factories.area_admin(area)
    path = f"/api/professionals/{doctor.id}"
    verified = await client.post(f"{path}/registration-verification", json={"status": "verified"},
                                 headers=factories.auth(admin))
    assert verified.status_code == 200, verified.text
    seen = await client.get(path, headers=factories.auth(admin))
    assert verified.json() == seen.json()
    assert verified.json()["registration_status"] == "verified"
    assert verified.json()["onboarded_unit_ids"] == [str(unit.id)]
    async with unit_of_work() as session:
        event = await session.scalar(select(AuditEvent).where(
            AuditEvent.action == "registration_verified"))
    assert event is not None
    assert (event.actor_id, event.organisation_id, event.entity_id) == (admin.id, area.id,
                                                                       str(doctor.id))


async def test_the_operator_verifies_anyone_and_sees_every_onboarding(
        client: httpx.AsyncClient) -> None:
    unit = await factories.unit(await factories.organisation())
    doctor = await _doctor_onboarded_in(unit.id)
    nowhere = await factories.professional(registration_status="unverified")
    operator = factories.auth(await factories.operator())
    for person, units in ((doctor, [str(unit.id)]), (nowhere, [])):
        answer = await client.post(f"/api/professionals/{person.id}/registration-verification",
                                   json={"status": "rejected"}, headers=operator)
        assert answer.status_code == 200, answer.text
        assert answer.json()["registration_status"] == "rejected"
        assert answer.json()["onboarded_unit_ids"] == units
        assert "phone" not in answer.json() and "bio" not in answer.json()
