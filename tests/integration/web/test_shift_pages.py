"""The professional's shift board and own shifts, through asta.marketplace.services."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx

from asta.core.clock import utcnow
from tests import factories
from tests.integration.web.helpers import post_form, sign_in


async def _post_shift(client: httpx.AsyncClient, scheduler: object, unit_id: object,
                      start: datetime, hours: int = 8, **terms: object) -> str:
    body = {"publish": True, "shifts": [{
        "profession": "doctor", "visibility": "national", "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=hours)).isoformat(), **terms}]}
    response = await client.post(f"/api/units/{unit_id}/shifts", json=body,
                                 headers=factories.auth(scheduler))  # type: ignore[arg-type]
    assert response.status_code == 201, response.text
    return str(response.json()[0]["id"])


async def test_a_professional_claims_a_shift_and_sees_it_in_my_shifts(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org, "Kaiku24 remote reception")
    scheduler = await factories.scheduler(org)
    start = (utcnow() + timedelta(days=3)).replace(hour=6, minute=0, second=0,
                                                             microsecond=0)
    shift_id = await _post_shift(client, scheduler, unit.id, start)
    await sign_in(client, await factories.professional())
    board = await client.get("/shifts")
    assert board.status_code == 200
    assert "Kaiku24 remote reception" in board.text
    assert "Varaa tämä vuoro" in board.text
    claimed = await post_form(client, "/shifts", f"/shifts/{shift_id}/claim", {})
    assert claimed.status_code == 303, claimed.text
    mine = await client.get(claimed.headers["location"])
    assert "Valmis: vuoro on omissa vuoroissasi" in mine.text
    assert "Vahvistettu" in mine.text
    assert 'href="/me/calendar"' in mine.text


async def test_a_refused_claim_says_which_rule_refused_it(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    scheduler = await factories.scheduler(org)
    start = (utcnow() + timedelta(days=4)).replace(hour=6, minute=0, second=0,
                                                             microsecond=0)
    first = await _post_shift(client, scheduler, unit.id, start)
    overlapping = await _post_shift(client, scheduler, unit.id, start + timedelta(hours=2))
    await sign_in(client, await factories.professional())
    assert (await post_form(client, "/shifts", f"/shifts/{first}/claim", {})).status_code == 303
    refused = await post_form(client, "/shifts", f"/shifts/{overlapping}/claim", {})
    assert refused.status_code in (409, 422)
    assert "Varausta ei hyväksytty" in refused.text
    assert "Milloin voin varata vuoron?" in refused.text


async def test_shifts_a_professional_cannot_take_explain_why(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    scheduler = await factories.scheduler(org)
    start = utcnow() + timedelta(days=5)
    await _post_shift(client, scheduler, unit.id, start, required_languages={"sv": "fluent"})
    await sign_in(client, await factories.professional())
    everything = await client.get("/shifts", params={"show_all": "true"})
    assert "Et voi varata tätä vuoroa" in everything.text
    assert "Vuoro edellyttää kielitaitoa: ruotsi, vähintään taso sujuva" in everything.text
