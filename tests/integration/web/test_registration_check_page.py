"""The area admin records Valvira's answer on the professional's pool page, through the same
service (and the same rule of who may) as the API's registration-verification."""

from __future__ import annotations

import uuid

import httpx

from asta.accounts.models import User
from asta.core.db import unit_of_work
from asta.profiles.models import ProfessionalProfile, UnitOnboarding
from tests import factories
from tests.integration.web.helpers import post_form, sign_in


async def _doctor_onboarded_in(unit_id: uuid.UUID) -> User:
    doctor = await factories.professional(registration_status="unverified",
                                          registration_valid_until=None)
    async with unit_of_work() as session:
        session.add(UnitOnboarding(user_id=doctor.id, unit_id=unit_id))
    return doctor


async def _status(doctor: User) -> tuple[str, object]:
    async with unit_of_work() as session:
        profile = await session.get(ProfessionalProfile, doctor.id)
    assert profile is not None
    return profile.registration_status, profile.registration_valid_until


async def test_the_onboarding_areas_admin_records_the_check_on_the_page(
        client: httpx.AsyncClient) -> None:
    area = await factories.organisation()
    doctor = await _doctor_onboarded_in((await factories.unit(area)).id)
    await sign_in(client, await factories.area_admin(area))
    path = f"/pool/{doctor.id}"
    shown = await client.get(path)
    assert f'action="{path}/registration"' in shown.text
    bad = await post_form(client, path, f"{path}/registration",
                          {"status": "verified", "registration_valid_until": "31.12.2030"})
    assert bad.status_code == 422
    assert 'id="f-registration_valid_until-error"' in bad.text
    assert 'value="31.12.2030"' in bad.text  # what was typed is kept
    assert await _status(doctor) == ("unverified", None)
    done = await post_form(client, path, f"{path}/registration",
                           {"status": "verified", "registration_valid_until": "2030-12-31"})
    assert done.status_code == 303 and done.headers["location"] == f"{path}?checked=verified"
    page = await client.get(done.headers["location"])
    assert "Rekisteröinnin tarkistus on kirjattu: tarkistettu." in page.text
    status, valid_until = await _status(doctor)
    assert (status, str(valid_until)) == ("verified", "2030-12-31")


async def test_no_form_and_403_for_another_area_and_for_a_scheduler(
        client: httpx.AsyncClient) -> None:
    area, other = await factories.organisation(), await factories.organisation("Pohjanmaa")
    doctor = await _doctor_onboarded_in((await factories.unit(area)).id)
    path = f"/pool/{doctor.id}"
    for person in (await factories.area_admin(other), await factories.scheduler(area)):
        client.cookies.clear()
        await sign_in(client, person)
        shown = await client.get(path)
        assert shown.status_code == 200
        assert f'action="{path}/registration"' not in shown.text
        refused = await post_form(client, path, f"{path}/registration", {"status": "verified"})
        assert refused.status_code == 403
        assert "<html" in refused.text
    assert await _status(doctor) == ("unverified", None)
