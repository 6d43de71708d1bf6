"""Schedulers and admins: the pool search, units and onboarding records, through the services."""

from __future__ import annotations

import httpx

from asta.accounts.models import Role
from tests import factories
from tests.integration.web.helpers import post_form, sign_in


async def test_pool_search_filters_through_the_pool_service(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    await factories.professional(full_name="Sara Swedish",
                                 languages=[{"code": "sv", "level": "native"}])
    await factories.professional(full_name="Fanni Finnish")
    await sign_in(client, await factories.scheduler(org))
    everyone = await client.get("/pool")
    assert "Sara Swedish" in everyone.text and "Fanni Finnish" in everyone.text
    swedish = await client.get("/pool", params={"language": "sv",
                                                "min_language_level": "fluent"})
    assert "Sara Swedish" in swedish.text
    assert "Fanni Finnish" not in swedish.text
    assert "Löytyi 1 ammattilainen" in swedish.text


async def test_a_bad_filter_is_explained_next_to_it_and_kept(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    await sign_in(client, await factories.scheduler(org))
    response = await client.get("/pool", params={"available_from": "2026-12-01T08:00"})
    assert response.status_code == 422
    assert 'id="f-available_to-error"' in response.text
    assert "Anna sekä alku- että loppuaika" in response.text
    assert 'value="2026-12-01T08:00"' in response.text


async def test_htmx_gets_only_the_results(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    await sign_in(client, await factories.scheduler(org))
    response = await client.get("/pool", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text


async def test_units_and_their_checklists_for_staff(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org, "Kaiku24 remote reception")
    pro = await factories.professional(full_name="Olli Onboarded")
    await sign_in(client, await factories.area_admin(org))
    assert "Kaiku24 remote reception" in (await client.get("/units")).text
    added = await post_form(client, f"/units/{unit.id}", f"/units/{unit.id}/onboarding-items",
                            {"title": "Read the triage guide", "description": ""})
    assert added.status_code == 303
    page = await client.get(f"/units/{unit.id}")
    assert "Read the triage guide" in page.text
    empty = await post_form(client, f"/units/{unit.id}", f"/units/{unit.id}/onboarding-items",
                            {"title": "", "description": "typed"})
    assert empty.status_code == 422
    assert 'id="f-title-error"' in empty.text
    assert ">typed</textarea>" in empty.text
    record = await client.get(f"/units/{unit.id}/onboarding/{pro.id}")
    item_id = record.text.split('name="item" value="')[1].split('"')[0]
    saved = await post_form(client, f"/units/{unit.id}/onboarding/{pro.id}",
                            f"/units/{unit.id}/onboarding/{pro.id}", {"item": item_id})
    assert saved.status_code == 303
    assert "Olli Onboarded" in (await client.get(f"/units/{unit.id}")).text


async def test_another_areas_unit_is_not_found(client: httpx.AsyncClient) -> None:
    mine, other = await factories.organisation(), await factories.organisation("Pohjanmaa")
    their_unit = await factories.unit(other)
    await sign_in(client, await factories.scheduler(mine))
    response = await client.get(f"/units/{their_unit.id}")
    assert response.status_code == 404
    assert "<html" in response.text


async def test_the_admin_home_draws_the_pool_as_an_accessible_chart(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    await factories.professional(profession="nurse")
    await sign_in(client, await factories.user((Role.AREA_ADMIN, org.id, None)))
    home = await client.get("/home")
    assert '<svg class="chart"' in home.text
    assert 'role="img"' in home.text
    assert "<desc id=" in home.text
    assert "Näytä luvut taulukkona" in home.text  # the table alternative
