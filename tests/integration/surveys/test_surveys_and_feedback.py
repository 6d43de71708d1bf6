"""eNPS surveys after worked shifts, and patient feedback posted with a unit's API key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select

from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from asta.notifications.models import Notification
from asta.surveys import services
from asta.surveys.models import Survey
from tests import factories

FEEDBACK = "/api/integrations/patient-feedback"


async def ask(now: datetime) -> int:
    async with unit_of_work() as session:
        return len(await services.ask_due_surveys(session, now))


async def test_professionals_are_asked_after_a_first_shift_then_at_most_quarterly(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    reception, consultation = await factories.unit(org), await factories.unit(org, name="B")
    person = await factories.professional()
    now = utcnow()
    assert await ask(now) == 0  # nothing worked yet
    await factories.worked_shift(reception, person, now - timedelta(days=2))
    await factories.worked_shift(consultation, person, now + timedelta(days=2))  # not yet
    assert await ask(now) == 1
    assert await ask(now + timedelta(hours=1)) == 0  # asked already
    await factories.worked_shift(reception, person, now + timedelta(days=10))
    assert await ask(now + timedelta(days=80)) == 1  # the other unit's shift is now worked
    assert await ask(now + timedelta(days=95)) == 1  # a quarter on, worked again: asked again
    assert await ask(now + timedelta(days=200)) == 0  # nothing worked since
    async with unit_of_work() as session:
        mails = (await session.scalars(select(Notification).where(
            Notification.user_id == person.id))).all()
    assert [m.kind for m in mails] == ["enps_survey"] * 3


async def test_answering_a_survey_counts_in_the_areas_enps(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    person = await factories.professional()
    headers = factories.auth(person)
    await factories.worked_shift(unit, person, utcnow() - timedelta(days=1))
    await ask(utcnow())
    [survey] = (await client.get("/api/me/surveys", headers=headers)).json()
    assert survey["state"] == "open" and "recommend" in survey["question"]

    answer = {"score": 9, "satisfaction": 4, "comment": "Flexible and well organised"}
    done = await client.post(f"/api/me/surveys/{survey['id']}/answer", json=answer,
                             headers=headers)
    assert done.status_code == 200 and done.json()["state"] == "answered"
    again = await client.post(f"/api/me/surveys/{survey['id']}/answer", json=answer,
                              headers=headers)
    assert again.status_code == 409
    stranger = await client.post(f"/api/me/surveys/{survey['id']}/answer", json=answer,
                                 headers=factories.auth(await factories.professional()))
    assert stranger.status_code == 404
    out_of_range = await client.post(f"/api/me/surveys/{survey['id']}/answer",
                                     json={"score": 11, "satisfaction": 4}, headers=headers)
    assert out_of_range.status_code == 400

    metrics = await client.get(f"/api/metrics/summary?unit_id={unit.id}",
                               headers=factories.auth(await factories.area_admin(org)))
    assert metrics.json()["flows"]["enps"] == {"score": 100.0, "answers": 1, "promoters": 1,
                                               "detractors": 0, "job_satisfaction": 4.0}


async def test_an_expired_survey_takes_no_answer(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    person = await factories.professional()
    async with unit_of_work() as session:
        old = Survey(user_id=person.id, organisation_id=org.id, unit_id=unit.id,
                     asked_at=datetime(2026, 1, 1, tzinfo=UTC),
                     expires_at=datetime(2026, 1, 31, tzinfo=UTC))
        session.add(old)
    response = await client.post(f"/api/me/surveys/{old.id}/answer",
                                 json={"score": 9, "satisfaction": 4},
                                 headers=factories.auth(person))
    assert response.status_code == 409 and "expired" in response.json()["detail"]


async def test_a_units_system_posts_patient_feedback_with_its_key(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit, other_unit = await factories.unit(org), await factories.unit(org, name="Other")
    admin = factories.auth(await factories.area_admin(org))
    created = await client.post(f"/api/units/{unit.id}/api-keys", json={"name": "EHR"},
                                headers=admin)
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    listed = (await client.get(f"/api/units/{unit.id}/api-keys", headers=admin)).json()
    assert [k["name"] for k in listed] == ["EHR"] and "key" not in listed[0]
    assert key.startswith(listed[0]["prefix"])

    person = await factories.professional()
    mine = await factories.worked_shift(unit, person, utcnow() - timedelta(hours=9))
    theirs = await factories.worked_shift(other_unit, person, utcnow() - timedelta(days=3))
    sender = {"X-Asta-Api-Key": key}
    first = await client.post(FEEDBACK, json={"score": 9, "shift_id": str(mine.shift_id),
                                              "external_id": "visit-1"}, headers=sender)
    assert first.status_code == 201, first.text
    assert first.json()["unit_id"] == str(unit.id) and first.json()["duplicate"] is False
    repeat = await client.post(FEEDBACK, json={"score": 9, "shift_id": str(mine.shift_id),
                                               "external_id": "visit-1"}, headers=sender)
    assert repeat.json()["duplicate"] is True and repeat.json()["id"] == first.json()["id"]
    assert (await client.post(FEEDBACK, json={"score": 5}, headers=sender)).status_code == 201
    other = await client.post(FEEDBACK, json={"score": 9, "shift_id": str(theirs.shift_id)},
                              headers=sender)
    assert other.status_code == 404
    assert (await client.post(FEEDBACK, json={"score": 9})).status_code == 401
    assert (await client.post(FEEDBACK, json={"score": 9},
                              headers={"X-Asta-Api-Key": "asta_uk_wrong"})).status_code == 401
    assert (await client.post(FEEDBACK, json={"score": 11}, headers=sender)).status_code == 400

    metrics = await client.get(f"/api/metrics/summary?unit_id={unit.id}", headers=admin)
    assert metrics.json()["flows"]["patient_nps"] == {"score": 0.0, "answers": 2,
                                                      "promoters": 1, "detractors": 1}

    revoked = await client.delete(f"/api/units/{unit.id}/api-keys/{listed[0]['id']}",
                                  headers=admin)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert (await client.post(FEEDBACK, json={"score": 9}, headers=sender)).status_code == 401
    other_admin = factories.auth(await factories.area_admin(await factories.organisation()))
    assert (await client.get(f"/api/units/{unit.id}/api-keys",
                             headers=other_admin)).status_code == 404
