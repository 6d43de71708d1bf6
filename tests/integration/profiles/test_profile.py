from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import func, select

from asta.accounts.models import User
from asta.core.audit import AuditEvent
from asta.core.clock import today, utcnow
from asta.core.db import unit_of_work
from asta.profiles.models import Certificate
from tests import factories


def full_profile(**overrides: Any) -> dict[str, Any]:
    soon = (utcnow().date() + timedelta(days=10)).isoformat()
    profile = {
        "full_name": "Dr Aino Virtanen", "phone": "+358 40 123 4567", "locale": "sv",
        "profession": "doctor", "registration_number": "1234567890",
        "registration_valid_until": "2031-12-31",
        "specialties": ["general_practice"],
        "languages": [{"code": "fi", "level": "native"}, {"code": "sv", "level": "fluent"}],
        "competences": ["remote_consultation", "triage"],
        "certificates": [{"name": "ALS", "competence": "als", "expires_on": soon},
                         {"name": "Triage course", "competence": "triage"}],
        "availability": [{"starts_at": "2026-12-01T08:00:00+02:00",
                          "ends_at": "2026-12-01T20:00:00+02:00"}],
        "preferences": {"max_hours_per_week": 24, "min_hourly_pay_cents": 8000,
                        "remote_only": True, "preferred_weekdays": [1, 2],
                        "unwanted_times": ["night"]},
    }
    profile.update(overrides)
    return profile


async def test_professional_keeps_a_structured_profile(client: httpx.AsyncClient) -> None:
    person = await factories.professional(registration_status="unverified")
    headers = factories.auth(person)
    saved = await client.put("/api/me/profile", json=full_profile(), headers=headers)
    assert saved.status_code == 200, saved.text
    read = (await client.get("/api/me/profile", headers=headers)).json()
    assert read["languages"] == [{"code": "fi", "level": "native"},
                                 {"code": "sv", "level": "fluent"}]
    assert read["preferences"]["max_hours_per_week"] == 24
    assert read["preferences"]["unwanted_times"] == ["night"]
    assert {c["name"]: c["expires_soon"] for c in read["certificates"]} == {
        "ALS": True, "Triage course": False}
    assert read["availability"][0]["starts_at"].startswith("2026-12-01T06:00:00")
    assert read["registration_status"] == "unverified"
    async with unit_of_work() as session:
        user = await session.get(User, person.id)
        events = await session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.entity_type == "profile", AuditEvent.entity_id == str(person.id)))
    assert user is not None and user.locale == "sv"
    assert events == 1


async def test_changing_the_registration_requires_verification_again(
        client: httpx.AsyncClient) -> None:
    person = await factories.professional()
    operator = await factories.operator()
    headers = factories.auth(person)
    await client.put("/api/me/profile", json=full_profile(), headers=headers)
    verified = await client.post(f"/api/professionals/{person.id}/registration-verification",
                                 json={"status": "verified"}, headers=factories.auth(operator))
    assert verified.json()["registration_status"] == "verified"
    mine = (await client.get("/api/me/profile", headers=headers)).json()
    assert mine["registration_verified_by"] == str(operator.id)
    changed = await client.put("/api/me/profile", headers=headers,
                               json=full_profile(registration_number="9876543210"))
    assert changed.json()["registration_status"] == "unverified"
    assert changed.json()["registration_verified_by"] is None


async def test_invalid_profiles_are_refused_with_the_field_and_nothing_changes(
        client: httpx.AsyncClient) -> None:
    person = await factories.professional()
    headers = factories.auth(person)
    cases = [
        ({"registration_number": "12AB"}, "registration_number"),
        ({"languages": [{"code": "swedish", "level": "fluent"}]}, "languages"),
        ({"languages": [{"code": "sv", "level": "fluent"}, {"code": "sv", "level": "basic"}]},
         "languages"),
        ({"availability": [{"starts_at": "2026-12-01T10:00:00+02:00",
                            "ends_at": "2026-12-01T09:00:00+02:00"}]}, "availability"),
        ({"availability": [{"starts_at": "2026-12-01T10:00:00",
                            "ends_at": "2026-12-01T12:00:00"}]}, "availability"),
        ({"preferences": {"max_hours_per_week": -5}}, "preferences"),
        ({"profession": "wizard"}, "profession"),
        ({"favourite_colour": "blue"}, "favourite_colour"),
    ]
    for override, field in cases:
        response = await client.put("/api/me/profile", json=full_profile(**override),
                                    headers=headers)
        assert response.status_code == 400, (override, response.text)
        fields = [e["field"] or "" for e in response.json()["errors"]]
        assert any(f.startswith(field) for f in fields), (field, fields)
    async with unit_of_work() as session:
        certificates = await session.scalar(select(func.count()).select_from(Certificate))
    assert certificates == 0


async def test_pool_search_filters(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    scheduler = await factories.scheduler(org)
    swedish = await factories.professional(
        full_name="Swedish Doctor", languages=[{"code": "sv", "level": "native"}],
        competences=["triage"], specialties=["general_practice"])
    basic_sv = await factories.professional(
        full_name="Basic Swedish", languages=[{"code": "sv", "level": "basic"}])
    nurse = await factories.professional(full_name="Nurse", profession="nurse")
    headers = factories.auth(scheduler)

    async def names(**params: Any) -> list[str]:
        response = await client.get("/api/professionals", params=params, headers=headers)
        assert response.status_code == 200, response.text
        return [p["full_name"] for p in response.json()["items"]]

    assert await names() == ["Basic Swedish", "Nurse", "Swedish Doctor"]
    assert await names(profession="nurse") == ["Nurse"]
    assert await names(language="sv") == ["Basic Swedish", "Swedish Doctor"]
    assert await names(language="sv", min_language_level="professional") == ["Swedish Doctor"]
    assert await names(competence="triage") == ["Swedish Doctor"]
    assert await names(specialty="general_practice") == ["Swedish Doctor"]
    assert await names(onboarded_unit_id=str(unit.id)) == []
    item = (await client.post(f"/api/units/{unit.id}/onboarding/items",
                              json={"title": "Triage protocol"}, headers=headers)).json()
    progress = await client.put(f"/api/units/{unit.id}/onboarding/professionals/{nurse.id}",
                                json={"completed_item_ids": [item["id"]]}, headers=headers)
    assert progress.json()["completed"] is True
    assert await names(onboarded_unit_id=str(unit.id)) == ["Nurse"]
    page = (await client.get("/api/professionals", params={"limit": 1, "offset": 1},
                             headers=headers)).json()
    assert (page["total"], len(page["items"])) == (3, 1)
    bad = await client.get("/api/professionals", params={"available_from": "2026-12-01T08:00:00+00:00"},
                           headers=headers)
    assert bad.status_code == 422
    assert bad.json()["field"] == "available_to"
    assert basic_sv.id != swedish.id


async def test_availability_search(client: httpx.AsyncClient) -> None:
    scheduler = await factories.scheduler(await factories.organisation())
    person = await factories.professional()
    await client.put("/api/me/profile", json=full_profile(), headers=factories.auth(person))
    params = {"available_from": "2026-12-01T09:00:00+02:00",
              "available_to": "2026-12-01T17:00:00+02:00"}
    found = await client.get("/api/professionals", params=params,
                             headers=factories.auth(scheduler))
    assert [p["user_id"] for p in found.json()["items"]] == [str(person.id)]
    params["available_to"] = "2026-12-01T21:00:00+02:00"
    none = await client.get("/api/professionals", params=params,
                            headers=factories.auth(scheduler))
    assert none.json()["items"] == []


async def test_a_new_checklist_item_binds_the_onboarded_only_when_asked(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    headers = factories.auth(await factories.scheduler(org))
    person = await factories.professional()
    first = (await client.post(f"/api/units/{unit.id}/onboarding/items",
                               json={"title": "Systems access"}, headers=headers)).json()
    path = f"/api/units/{unit.id}/onboarding/professionals/{person.id}"
    assert (await client.put(path, json={"completed_item_ids": [first["id"]]},
                             headers=headers)).json()["completed"] is True
    await client.post(f"/api/units/{unit.id}/onboarding/items", json={"title": "Shadow shift"},
                      headers=headers)  # by default a to-do for those already onboarded
    assert (await client.get(path, headers=headers)).json()["completed"] is True
    await client.post(f"/api/units/{unit.id}/onboarding/items",
                      json={"title": "Data protection", "applies_to_onboarded": True},
                      headers=headers)
    progress = (await client.get(path, headers=headers)).json()
    assert progress["completed"] is False
    assert progress["completed_item_ids"] == [first["id"]]
    foreign = await client.put(path, json={"completed_item_ids": [str(person.id)]},
                               headers=headers)
    assert foreign.status_code == 422


async def test_gdpr_export_and_erasure(client: httpx.AsyncClient) -> None:
    person = await factories.professional(email="aino@asta.test")
    headers = factories.auth(person)
    await client.put("/api/me/profile", json=full_profile(), headers=headers)
    export = await client.get("/api/me/export", headers=headers)
    assert export.status_code == 200
    data = export.json()
    assert data["account"]["email"] == "aino@asta.test"
    assert "password_hash" not in data["account"]
    assert len(data["certificates"]) == 2
    assert data["profile"]["registration_number"] == "1234567890"
    erased = await client.post("/api/me/erasure", headers=headers)
    assert erased.status_code == 202
    async with unit_of_work() as session:
        user = await session.get(User, person.id)
        certificates = await session.scalar(select(func.count()).select_from(Certificate))
        snapshots = await session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.entity_id == str(person.id), AuditEvent.after.is_not(None)))
    assert user is not None
    assert user.email != "aino@asta.test" and user.password_hash is None
    assert user.full_name == "Erased user"
    assert certificates == 0
    assert snapshots == 0
    after = await client.get("/api/me/profile", headers=headers)
    assert after.status_code == 401
    sign_in = await client.post("/api/auth/token",
                                json={"email": "aino@asta.test", "password": factories.PASSWORD})
    assert sign_in.status_code == 401
    assert today().year > 2000
