"""Area admins create and edit units and their rules in the pages; the API sees the same."""

from __future__ import annotations

import httpx

from tests import factories
from tests.integration.web.helpers import post_form, sign_in

FORM = {"name": "Kaiku24 etävastaanotto", "description": "", "is_remote": "on",
        "languages": "fi", "claim_mode": "request", "default_visibility": "unit",
        "min_rest_hours": "12", "weekly_max_hours": "40", "cancellation_notice_hours": "72",
        "rate_card.base_hourly_cents.doctor": "92,50", "rate_card.evening_pct": "20",
        "rate_card.night_pct": "35", "rate_card.saturday_pct": "25",
        "rate_card.sunday_pct": "100"}


async def test_an_admin_creates_a_unit_with_its_rules_and_rate_card(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    admin = await factories.area_admin(org)
    await sign_in(client, admin)
    assert f"/areas/{org.id}/units/new" in (await client.get("/units")).text
    new = f"/areas/{org.id}/units/new"
    created = await post_form(client, new, new, [*FORM.items(), ("languages", "sv")])
    assert created.status_code == 303, created.text
    unit_page = await client.get(created.headers["location"])
    assert "Yksikkö on luotu." in unit_page.text
    unit_id = created.headers["location"].split("/")[2].split("?")[0]
    unit = (await client.get(f"/api/units/{unit_id}", headers=factories.auth(admin))).json()
    assert unit["claim_mode"] == "request" and unit["default_visibility"] == "unit"
    assert (unit["min_rest_hours"], unit["cancellation_notice_hours"]) == (12, 72)
    assert unit["languages"] == ["fi", "sv"]
    assert unit["rate_card"]["base_hourly_cents"] == {"doctor": 9250}
    assert unit["rate_card"]["evening_pct"] == 20
    audit = await client.get("/api/audit-events", params={"entity_type": "unit"},
                             headers=factories.auth(admin))
    assert [e["action"] for e in audit.json()["items"]] == ["create"]


async def test_bad_rules_are_named_in_place_and_keep_what_was_typed(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    await sign_in(client, await factories.area_admin(org))
    new = f"/areas/{org.id}/units/new"
    refused = await post_form(client, new, new, {
        **FORM, "min_rest_hours": "8", "rate_card.base_hourly_cents.doctor": "lots",
        "cancellation_notice_hours": "x"})
    assert refused.status_code == 422
    assert 'id="f-min_rest_hours-error"' in refused.text and "oltava vähintään 11" in refused.text
    assert 'id="f-rate_card-base_hourly_cents-doctor-error"' in refused.text
    assert 'id="f-cancellation_notice_hours-error"' in refused.text
    assert 'value="lots"' in refused.text


async def test_an_admin_edits_a_unit_and_the_change_is_audited(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    admin = await factories.area_admin(org)
    await sign_in(client, admin)
    edit = f"/units/{unit.id}/edit"
    form = await client.get(edit)
    assert form.status_code == 200 and 'value="90.00"' in form.text  # doctor's base in €
    saved = await post_form(client, edit, edit, {**FORM, "name": "Kaiku yö",
                                                 "claim_mode": "instant"})
    assert saved.status_code == 303 and saved.headers["location"].endswith("?saved=updated")
    after = (await client.get(f"/api/units/{unit.id}", headers=factories.auth(admin))).json()
    assert (after["name"], after["claim_mode"], after["weekly_max_hours"]) == (
        "Kaiku yö", "instant", 40)
    audit = await client.get("/api/audit-events", params={"entity_type": "unit"},
                             headers=factories.auth(admin))
    assert [e["action"] for e in audit.json()["items"]] == ["update"]


async def test_schedulers_see_the_rules_but_cannot_edit_them(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    await sign_in(client, await factories.scheduler(org))
    page = await client.get(f"/units/{unit.id}")
    assert page.status_code == 200 and f"/units/{unit.id}/edit" not in page.text
    assert (await client.get(f"/units/{unit.id}/edit")).status_code == 403
    assert (await client.get(f"/areas/{org.id}/units/new")).status_code == 403
