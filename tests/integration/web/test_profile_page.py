"""The profile form: saved through update_my_profile, errors next to fields, input kept."""

from __future__ import annotations

from datetime import timedelta

import httpx

from asta.core.clock import today
from asta.core.db import unit_of_work
from asta.profiles.models import Certificate
from tests import factories
from tests.integration.web.helpers import post_form, sign_in

FORM = {
    "full_name": "Aino Virtanen", "phone": "+358 40 123 4567", "locale": "fi",
    "profession": "doctor", "registration_number": "1234567890",
    "registration_valid_until": "2030-01-01", "specialties": "general_practice",
    "competences": "triage", "bio": "", "home_municipality": "Kotka",
    "languages.0.code": "fi", "languages.0.level": "native",
    "languages.1.code": "sv", "languages.1.level": "fluent",
    "certificates.0.name": "ACLS", "certificates.0.competence": "acls",
    "certificates.0.issued_on": "2024-01-01", "certificates.0.expires_on": "2027-01-01",
    "availability.0.starts_at": "2026-12-01T08:00", "availability.0.ends_at": "2026-12-01T16:00",
    "availability.1.starts_at": "", "availability.1.ends_at": "",
    "preferences.max_hours_per_week": "20", "preferences.min_hourly_pay": "85,50",
    "preferences.remote_only": "on",
}


async def test_saving_the_profile_goes_through_the_profile_service(
        client: httpx.AsyncClient) -> None:
    person = await factories.professional()
    await sign_in(client, person)
    form = [*FORM.items(), ("preferences.preferred_weekdays", "1"),
            ("preferences.preferred_weekdays", "3"), ("preferences.unwanted_times", "night"),
            ("competences", "remote_consultation")]
    response = await post_form(client, "/profile", "/profile", form)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/profile?saved=true"
    api = await client.get("/api/me/profile", headers=factories.auth(person))
    saved = api.json()
    assert saved["full_name"] == "Aino Virtanen"
    assert saved["competences"] == ["remote_consultation", "triage"]
    # Chosen from the list by stable codes, shown by their names in the page's language.
    page = (await client.get("/profile")).text
    assert ('id="f-competences-remote_consultation" name="competences" '
            'value="remote_consultation" checked>') in page
    assert '<label for="f-competences-triage">Hoidon tarpeen arviointi</label>' in page
    assert saved["languages"] == [{"code": "fi", "level": "native"},
                                  {"code": "sv", "level": "fluent"}]
    assert saved["availability"] == [{"starts_at": "2026-12-01T06:00:00Z",
                                      "ends_at": "2026-12-01T14:00:00Z"}]
    assert saved["preferences"]["min_hourly_pay_cents"] == 8550
    assert saved["preferences"]["preferred_weekdays"] == [1, 3]
    assert saved["preferences"]["unwanted_times"] == ["night"]
    page = await client.get("/profile?saved=true")
    assert "Profiilisi on tallennettu" in page.text
    assert 'value="2026-12-01T08:00"' in page.text  # shown back in Finnish time
    assert 'value="85,50"' in page.text


async def test_a_bad_value_is_explained_next_to_its_field_and_the_input_is_kept(
        client: httpx.AsyncClient) -> None:
    await sign_in(client, await factories.professional())
    form = {**FORM, "registration_number": "12AB", "certificates.0.expires_on": "2023-01-01",
            "full_name": "Aino Typed-This"}
    response = await post_form(client, "/profile", "/profile", form)
    assert response.status_code == 422
    html = response.text
    assert 'id="f-registration_number-error"' in html
    assert "9–11 numeroa" in html
    assert 'value="12AB"' in html
    assert 'value="Aino Typed-This"' in html
    assert 'id="f-certificates-0"' in html  # the row whose dates are out of order
    assert "ennen myöntämispäivää" in html
    assert 'href="#f-registration_number"' in html  # the error summary links to the field


async def test_a_missing_profession_is_asked_for(client: httpx.AsyncClient) -> None:
    await sign_in(client, await factories.professional())
    response = await post_form(client, "/profile", "/profile", {**FORM, "profession": ""})
    assert response.status_code == 422
    assert 'id="f-profession-error"' in response.text
    assert "Täytä tämä kenttä" in response.text


async def test_errors_in_a_later_row_point_at_that_row(client: httpx.AsyncClient) -> None:
    await sign_in(client, await factories.professional())
    form = {**FORM, "availability.0.starts_at": "", "availability.0.ends_at": "",
            "availability.1.starts_at": "2026-12-02T16:00",
            "availability.1.ends_at": "2026-12-02T08:00"}
    response = await post_form(client, "/profile", "/profile", form)
    assert response.status_code == 422
    assert 'id="f-availability-1"' in response.text


async def test_certificates_about_to_expire_are_flagged(client: httpx.AsyncClient) -> None:
    person = await factories.professional()
    async with unit_of_work() as session:
        session.add(Certificate(user_id=person.id, name="BLS",
                                expires_on=today() + timedelta(days=10)))
    await sign_in(client, person)
    for path in ("/home", "/profile"):
        page = await client.get(path)
        assert "Todistukset vaativat huomiota" in page.text
        assert "BLS: voimassaolo päättyy" in page.text


async def test_the_professional_sees_onboarding_per_unit(client: httpx.AsyncClient) -> None:
    person = await factories.professional()
    await sign_in(client, person)
    page = await client.get("/onboarding")
    assert page.status_code == 200
    assert "Et ole vielä aloittanut perehdytystä" in page.text


async def test_e_mail_choices_per_kind_are_kept_and_obeyed(client: httpx.AsyncClient) -> None:
    from sqlalchemy import select, update

    from asta.marketplace.services.matching import match_new_shifts
    from asta.notifications.models import Notification
    from asta.notifications.rules import next_digest
    from asta.profiles.models import ProfessionalProfile
    from tests.integration.marketplace.helpers import post_shifts, shift_body

    person = await factories.professional()
    await sign_in(client, person)
    form = [*FORM.items(), ("preferences.remote_only", ""),
            ("preferences.notifications.new_shifts", "off"),
            ("preferences.notifications.bookings", "daily")]
    assert (await post_form(client, "/profile", "/profile", form)).status_code == 303
    page = (await client.get("/profile")).text
    assert '<option value="off" selected>Ei lainkaan</option>' in page
    assert '<option value="daily" selected>Päivän yhteenvetona</option>' in page
    async with unit_of_work() as session:  # a new registration number is checked again
        await session.execute(update(ProfessionalProfile).where(
            ProfessionalProfile.user_id == person.id).values(  # type: ignore[arg-type]
            registration_status="verified"))
    org = await factories.organisation()
    unit = await factories.unit(org)
    [shift] = await post_shifts(client, factories.auth(await factories.scheduler(org)), unit.id,
                                shift_body())
    async with unit_of_work() as session:
        await match_new_shifts(session)
    claimed = await client.post(f"/api/shifts/{shift['id']}/claim",
                                headers=factories.auth(person))
    assert claimed.status_code == 201, claimed.text
    async with unit_of_work() as session:
        rows = list(await session.scalars(select(Notification).where(
            Notification.user_id == person.id)))
    # No new-shift e-mail at all; the booking waits for the morning's summary.
    assert [(r.kind, r.next_attempt_at) for r in rows] == [
        ("shift_assigned", next_digest(rows[0].created_at))]


async def test_standby_offers_cannot_be_set_to_the_daily_summary(
        client: httpx.AsyncClient) -> None:
    await sign_in(client, await factories.professional())
    page = (await client.get("/profile")).text
    standby = page.split('id="f-preferences-notifications-standby_offers"')[1].split("</select>")[0]
    assert 'value="daily"' not in standby and 'value="off"' in standby
    assert "Tarjous on voimassa 2 tuntia" in page  # the form says why
    form = [*FORM.items(), ("preferences.remote_only", ""),
            ("preferences.notifications.standby_offers", "daily")]
    refused = await post_form(client, "/profile", "/profile", form)
    assert refused.status_code == 422
    assert 'id="f-preferences-notifications-standby_offers-error"' in refused.text
    assert "valitse heti tai ei lainkaan" in refused.text


async def test_weekly_availability_and_days_off_from_the_form(client: httpx.AsyncClient) -> None:
    person = await factories.professional()
    await sign_in(client, person)
    form = [*FORM.items(), ("preferences.remote_only", ""),
            ("weekly_availability.0.weekday", "1"), ("weekly_availability.0.starts", "08:00"),
            ("weekly_availability.0.ends", "16:00"),
            ("weekly_availability.1.weekday", ""), ("weekly_availability.1.starts", ""),
            ("weekly_availability.1.ends", ""),
            ("unavailable_days", "2026-12-24, 2026-12-31")]
    assert (await post_form(client, "/profile", "/profile", form)).status_code == 303
    saved = (await client.get("/api/me/profile", headers=factories.auth(person))).json()
    assert saved["weekly_availability"] == [{"weekday": 1, "starts": "08:00:00",
                                             "ends": "16:00:00"}]
    assert saved["unavailable_days"] == ["2026-12-24", "2026-12-31"]
    page = (await client.get("/profile")).text
    assert 'value="16:00"' in page and 'value="2026-12-24, 2026-12-31"' in page

    backwards = [*form[:-4], ("weekly_availability.0.ends", "07:00"),
                 ("unavailable_days", "joulu")]
    refused = await post_form(client, "/profile", "/profile", backwards)
    assert refused.status_code == 422
    assert 'id="f-unavailable_days-error"' in refused.text
    assert 'value="joulu"' in refused.text  # kept as typed


async def test_a_weekly_night_runs_past_midnight_and_an_empty_time_is_refused(
        client: httpx.AsyncClient) -> None:
    person = await factories.professional()
    await sign_in(client, person)
    night = [*FORM.items(), ("weekly_availability.0.weekday", "5"),
             ("weekly_availability.0.starts", "22:00"), ("weekly_availability.0.ends", "06:00")]
    assert (await post_form(client, "/profile", "/profile", night)).status_code == 303
    saved = (await client.get("/api/me/profile", headers=factories.auth(person))).json()
    assert saved["weekly_availability"] == [{"weekday": 5, "starts": "22:00:00",
                                             "ends": "06:00:00"}]
    empty = [*night[:-1], ("weekly_availability.0.ends", "22:00")]
    refused = await post_form(client, "/profile", "/profile", empty)
    assert refused.status_code == 422
    assert "Viikoittaisen ajan on päätyttävä eri aikaan kuin se alkaa." in refused.text
    assert 'value="22:00"' in refused.text  # kept as typed
