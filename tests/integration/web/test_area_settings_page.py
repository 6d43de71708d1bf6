"""An area admin changes the savings split in the page and sees the effect on the savings."""

from __future__ import annotations

from datetime import timedelta

import httpx

from asta.core.clock import utcnow
from tests import factories
from tests.integration.web.helpers import post_form, sign_in


async def test_the_split_changes_and_the_page_shows_the_effect(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    doctor = await factories.professional()
    start = (utcnow() - timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    await factories.worked_shift(unit, doctor, start, hours=160, pay_cents=1_500_000)
    admin = await factories.area_admin(org)
    await sign_in(client, admin)
    page = await client.get("/settings")
    assert page.status_code == 200 and 'value="15000"' in page.text  # the agency price in €
    before = (await client.get(f"/api/organisations/{org.id}/settings",
                               headers=factories.auth(admin))).json()
    form = {k: str(v) for k, v in before.items() if k != "matching_weights"}
    form |= {f"matching_weights.{k}": str(v) for k, v in before["matching_weights"].items()}
    form |= {"agency_reference_cents_per_month": "15000", "platform_fee_cents_per_hour": "0",
             "area_share_pct": "70", "platform_share_pct": "10", "organisation_id": str(org.id)}
    saved = await post_form(client, "/settings", "/settings", form)
    assert saved.status_code == 200, saved.text
    assert "Tallennettu." in saved.text and "ennen muutosta" in saved.text
    after = (await client.get(f"/api/organisations/{org.id}/settings",
                              headers=factories.auth(admin))).json()
    assert (after["area_share_pct"], after["platform_share_pct"]) == (70.0, 10.0)
    audit = await client.get("/api/audit-events", params={"entity_type": "area_settings"},
                             headers=factories.auth(admin))
    assert audit.status_code == 200 and len(audit.json()["items"]) == 1


async def test_shares_that_do_not_add_up_are_refused_in_place(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    admin = await factories.area_admin(org)
    await sign_in(client, admin)
    current = (await client.get(f"/api/organisations/{org.id}/settings",
                                headers=factories.auth(admin))).json()
    form = {k: str(v) for k, v in current.items() if k != "matching_weights"}
    form |= {f"matching_weights.{k}": str(v) for k, v in current["matching_weights"].items()}
    form |= {"agency_reference_cents_per_month": "15000", "platform_fee_cents_per_hour": "0",
             "area_share_pct": "90", "matching_weights.fill": "-5"}
    refused = await post_form(client, "/settings", "/settings", form)
    assert refused.status_code == 422
    assert 'id="f-matching_weights-fill-error"' in refused.text and 'value="-5"' in refused.text


async def test_schedulers_cannot_open_the_settings(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    await sign_in(client, await factories.scheduler(org))
    assert (await client.get("/settings")).status_code == 403
