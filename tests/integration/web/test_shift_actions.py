"""The board, the shift page and the API offer only what the claim will accept (one decision),
and every refusal names its rule and numbers in the reader's language."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import update

from asta.accounts.models import User
from asta.core.db import unit_of_work
from tests import factories
from tests.integration.marketplace.helpers import post_shifts, shift_body, workday
from tests.integration.web.helpers import post_form, sign_in


def forms_for(html: str, shift_id: str) -> list[str]:
    """The actions (form targets) the page offers for one shift."""
    return re.findall(rf'action="(/shifts/{shift_id}/[a-z]+)"', html)


async def _unit_and_scheduler(**unit_fields: object) -> tuple[object, dict[str, str]]:
    org = await factories.organisation()
    unit = await factories.unit(org, **unit_fields)
    return unit, factories.auth(await factories.scheduler(org))


async def _speaks(person: User, locale: str) -> None:
    async with unit_of_work() as session:
        await session.execute(update(User).where(User.id == person.id)  # type: ignore[arg-type]
                              .values(locale=locale))


async def test_a_held_shift_offers_no_claim_and_a_rested_rule_says_its_numbers(
        client: httpx.AsyncClient) -> None:
    unit, scheduler = await _unit_and_scheduler(min_rest_hours=11)
    day = workday()
    evening, morning = await post_shifts(client, scheduler, unit.id,  # type: ignore[attr-defined]
                                         shift_body(day, 14, 22), shift_body(day + 1, 6, 14))
    person = await factories.professional()
    await sign_in(client, person)
    assert (await post_form(client, "/shifts", f"/shifts/{evening['id']}/claim", {})
            ).status_code == 303
    board = (await client.get("/shifts")).text
    assert forms_for(board, evening["id"]) == []  # held: nothing to claim
    assert "Vuoro on jo sinun" in board
    assert forms_for(board, morning["id"]) == []  # the rest rule forbids it
    assert "Vuorojen väliin jäisi vain 8 h lepoa; yksikkö edellyttää 11 h" in board
    api = (await client.get("/api/shifts", headers=factories.auth(person))).json()
    verdicts = {i["id"]: i["eligibility"] for i in api["items"]}
    assert (verdicts[evening["id"]]["can_claim"], verdicts[evening["id"]]["action"]) == (
        False, "cancel")
    assert (verdicts[morning["id"]]["can_claim"], verdicts[morning["id"]]["action"]) == (
        False, "none")
    assert verdicts[morning["id"]]["reasons"][0]["params"] == {"rest_hours": 8,
                                                                "required_hours": 11}


async def test_a_refused_claim_names_the_rule_in_swedish(client: httpx.AsyncClient) -> None:
    unit, scheduler = await _unit_and_scheduler(min_rest_hours=11)
    day = workday()
    evening, morning = await post_shifts(client, scheduler, unit.id,  # type: ignore[attr-defined]
                                         shift_body(day, 14, 22), shift_body(day + 1, 6, 14))
    person = await factories.professional()
    await _speaks(person, "sv")
    await sign_in(client, person)
    await post_form(client, "/shifts", f"/shifts/{evening['id']}/claim", {})
    refused = await post_form(client, "/shifts", f"/shifts/{morning['id']}/claim", {})
    assert refused.status_code == 422
    assert "Endast 8 h vila mellan passen; enheten kräver 11 h." in refused.text


async def test_a_full_shift_held_offers_no_standby(client: httpx.AsyncClient) -> None:
    unit, scheduler = await _unit_and_scheduler()
    [shift] = await post_shifts(client, scheduler, unit.id,  # type: ignore[attr-defined]
                                shift_body(positions=1))
    person = await factories.professional()
    await sign_in(client, person)
    await post_form(client, "/shifts", f"/shifts/{shift['id']}/claim", {})
    assert forms_for((await client.get("/shifts")).text, shift["id"]) == []
    refused = await client.post(f"/api/shifts/{shift['id']}/waitlist",
                                headers=factories.auth(person))
    assert (refused.status_code, refused.json()["error"]) == (409, "already_claimed")


async def test_the_shift_page_shows_pay_notice_and_the_one_action(
        client: httpx.AsyncClient) -> None:
    unit, scheduler = await _unit_and_scheduler(cancellation_notice_hours=48)
    [shift] = await post_shifts(client, scheduler, unit.id,  # type: ignore[attr-defined]
                                shift_body(workday(), 16, 23, required_competences=[]))
    person = await factories.professional()
    await _speaks(person, "en")
    await sign_in(client, person)
    page = await client.get(f"/shifts/{shift['id']}")
    assert page.status_code == 200
    assert "Evening supplement" in page.text and "Night supplement" in page.text
    assert "Cancel at least 48 hours before the start" in page.text
    assert forms_for(page.text, shift["id"]) == [f"/shifts/{shift['id']}/claim"]
    assert (await client.get("/shifts/00000000-0000-0000-0000-000000000000")).status_code == 404


async def test_a_standby_offer_is_taken_from_my_shifts(client: httpx.AsyncClient) -> None:
    unit, scheduler = await _unit_and_scheduler()
    [shift] = await post_shifts(client, scheduler, unit.id,  # type: ignore[attr-defined]
                                shift_body(positions=1))
    holder, standby = await factories.professional(), await factories.professional()
    held = await client.post(f"/api/shifts/{shift['id']}/claim", headers=factories.auth(holder))
    await sign_in(client, standby)
    board = (await client.get("/shifts")).text
    assert forms_for(board, shift["id"]) == [f"/shifts/{shift['id']}/waitlist"]
    joined = await post_form(client, "/shifts", f"/shifts/{shift['id']}/waitlist", {})
    assert joined.status_code == 303
    assert forms_for((await client.get("/shifts")).text, shift["id"]) == []
    cancelled = await client.post(f"/api/assignments/{held.json()['id']}/cancel",
                                  headers=factories.auth(holder), json={"reason": "ill"})
    assert cancelled.status_code == 200, cancelled.text
    mine = (await client.get("/my-shifts")).text
    assert "Kaiku24 remote reception" in mine and "Ota tarjottu vuoro" in mine
    [accept] = re.findall(r'action="(/standby/[0-9a-f-]+/accept)"', mine)
    taken = await post_form(client, "/my-shifts", accept, {})
    assert (taken.status_code, taken.headers["location"]) == (303, "/my-shifts?done=offer_taken")
    assert "Vahvistettu" in (await client.get("/my-shifts")).text


async def test_an_unknown_address_is_the_apps_page_in_the_readers_language(
        client: httpx.AsyncClient) -> None:
    missing = await client.get("/no-such-page", headers={"accept-language": "sv"})
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert '<html lang="sv">' in missing.text and "<title>Hittades inte – Asta</title>" in \
        missing.text
    api = await client.get("/api/no-such-thing")
    assert (api.status_code, api.json()["error"]) == (404, "not_found")


async def test_board_filters_live_in_the_url(client: httpx.AsyncClient) -> None:
    unit, scheduler = await _unit_and_scheduler()
    day = workday()
    morning, evening = await post_shifts(
        client, scheduler, unit.id,  # type: ignore[attr-defined]
        shift_body(day, 7, 15, is_remote=True), shift_body(day + 1, 16, 23, is_remote=False))
    await sign_in(client, await factories.professional(remote_only=True))
    everything = (await client.get("/shifts")).text
    assert morning["id"] in everything and evening["id"] in everything
    late = (await client.get("/shifts", params=[("time", "evening")])).text
    assert morning["id"] not in late and evening["id"] in late
    assert 'id="f-time-evening" name="time" value="evening" checked' in late
    mine = (await client.get("/shifts", params={"fits": "true"})).text  # remote only
    assert morning["id"] in mine and evening["id"] not in mine
    on_site = (await client.get("/shifts", params={"remote": "no", "min_pay": "80"})).text
    assert morning["id"] not in on_site and evening["id"] in on_site
    assert (await client.get("/shifts", params={"min_pay": "100"})).text.count(
        'class="card shift"') == 0  # the unit pays 90 an hour
    bad = await client.get("/shifts", params={"from": "tomorrow"})
    assert bad.status_code == 422
    assert 'value="tomorrow"' in bad.text and "Anna päivämäärä muodossa 2026-12-24." in bad.text
