"""The scheduler's workbench: the fill board publishes drafts; a shift page shows who holds
and waits, and offers exactly the actions that succeed."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select

from asta.core.db import unit_of_work
from asta.marketplace.models import Assignment, Shift
from asta.notifications.models import Notification
from tests import factories
from tests.clock import HELSINKI
from tests.integration.web.helpers import post_form, sign_in


async def status_of(shift: Shift) -> str:
    async with unit_of_work() as session:
        row = await session.get(Shift, shift.id)
        assert row is not None
        return row.status


async def test_ticked_drafts_are_published_from_the_fill_board(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    drafts = [await factories.shift(unit, status="draft", starts_in=timedelta(days=1)) for _ in (0, 1)]
    await sign_in(client, await factories.scheduler(org))
    # The board shows a week; on a Sunday (or late at night) tomorrow is in the next one.
    week = drafts[0].starts_at.astimezone(HELSINKI).date().isoformat()
    board = await client.get("/fill-board", params={"week": week})
    assert board.text.count('name="shift_ids"') == 2
    published = await post_form(client, f"/fill-board?week={week}", "/fill-board/publish",
                                [("week", week), *(("shift_ids", str(d.id)) for d in drafts)])
    assert published.status_code == 303
    assert "published=2" in published.headers["location"]
    assert [await status_of(d) for d in drafts] == ["published", "published"]
    again = await client.get(published.headers["location"])
    assert "2 vuoroa julkaistu." in again.text and 'name="shift_ids"' not in again.text


async def test_publishing_nothing_says_what_to_do(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    await factories.shift(await factories.unit(org), status="draft")
    await sign_in(client, await factories.scheduler(org))
    response = await post_form(client, "/fill-board", "/fill-board/publish", {})
    assert response.status_code == 422
    assert 'id="error-summary"' in response.text and "Mitään ei julkaistu" in response.text


async def test_a_request_is_approved_from_the_shift_page(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org, claim_mode="request")
    shift = await factories.shift(unit, positions=1)
    asker = await factories.professional(full_name="Pekka Pyytäjä")
    request = await factories.assignment(shift, asker, status="requested")
    await sign_in(client, await factories.scheduler(org))
    page = await client.get(f"/fill-board/shifts/{shift.id}")
    assert page.status_code == 200, page.text[-3000:]
    assert "Hyväksy Pekka Pyytäjä" in page.text and "Hylkää Pekka Pyytäjä" in page.text
    assert "Palauta luonnokseksi" not in page.text  # someone asked for it: cancel instead
    done = await post_form(client, f"/fill-board/shifts/{shift.id}",
                           f"/fill-board/shifts/{shift.id}/assignments/{request.id}/approve", {})
    assert done.status_code == 303 and done.headers["location"].endswith("?done=approve")
    after = await client.get(done.headers["location"])
    assert "Pyyntö on hyväksytty." in after.text and "Varattu" in after.text
    assert "Hyväksy Pekka Pyytäjä" not in after.text  # decided: no button for it any more
    assert "hyväksyi" in after.text  # the history names what happened
    async with unit_of_work() as session:
        assert (await session.scalar(select(Assignment.status).where(
            Assignment.id == request.id))) == "confirmed"


async def test_cancelling_needs_a_reason_and_keeps_the_page(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    shift = await factories.shift(await factories.unit(org))
    await sign_in(client, await factories.scheduler(org))
    refused = await post_form(client, f"/fill-board/shifts/{shift.id}",
                              f"/fill-board/shifts/{shift.id}/cancel", {"reason": " "})
    assert refused.status_code == 422
    assert 'aria-invalid="true"' in refused.text and await status_of(shift) == "published"
    done = await post_form(client, f"/fill-board/shifts/{shift.id}",
                           f"/fill-board/shifts/{shift.id}/cancel",
                           {"reason": "Ostopalvelu kattaa vuoron"})
    assert done.status_code == 303 and await status_of(shift) == "cancelled"
    page = await client.get(done.headers["location"])
    assert "Ostopalvelu kattaa vuoron" in page.text and "Peru vuoro" not in page.text


async def test_another_areas_shift_is_not_found(client: httpx.AsyncClient) -> None:
    mine, theirs = await factories.organisation(), await factories.organisation("Pohjanmaa")
    shift = await factories.shift(await factories.unit(theirs))
    await sign_in(client, await factories.scheduler(mine))
    assert (await client.get(f"/fill-board/shifts/{shift.id}")).status_code == 404
    refused = await post_form(client, "/fill-board", f"/fill-board/shifts/{shift.id}/cancel",
                              {"reason": "x"})
    assert refused.status_code == 404 and await status_of(shift) == "published"


async def test_a_shift_is_offered_to_a_named_doctor_who_takes_it(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    shift = await factories.shift(await factories.unit(org))
    doctor = await factories.professional(full_name="Pekka Heikkinen")
    await factories.professional(full_name="Pekka Heikkinen")  # a namesake: told apart by e-mail
    await sign_in(client, await factories.scheduler(org))
    found = await client.get(f"/fill-board/shifts/{shift.id}", params={"find": "heikkinen"})
    assert found.text.count("Tarjoa: Pekka Heikkinen") == 2 and doctor.email in found.text
    offered = await post_form(client, f"/fill-board/shifts/{shift.id}",
                              f"/fill-board/shifts/{shift.id}/offer",
                              {"professional_id": str(doctor.id)})
    assert offered.status_code == 303
    page = await client.get(offered.headers["location"])
    assert "Tarjous on lähetetty." in page.text
    assert "Tarjoa nimetylle" not in page.text  # the only position is held by the offer
    assert "tarjosi vuoroa nimetylle ammattilaiselle" in page.text
    async with unit_of_work() as session:
        told = (await session.scalars(select(Notification.kind).where(
            Notification.user_id == doctor.id))).all()
    assert told == ["direct_offer"]
    entries = await client.get("/api/me/waitlist", headers=factories.auth(doctor))
    [offer] = entries.json()
    assert offer["status"] == "offered"
    taken = await client.post(f"/api/waitlist/{offer['id']}/accept",
                              headers=factories.auth(doctor))
    assert taken.status_code == 200, taken.text
    async with unit_of_work() as session:
        assert (await session.scalar(select(Assignment.status).where(
            Assignment.shift_id == shift.id, Assignment.professional_id == doctor.id))
                ) == "confirmed"
    assert await status_of(shift) == "filled"


async def test_an_offer_the_rules_forbid_is_refused_with_the_reason(
        client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    shift = await factories.shift(await factories.unit(org), profession="nurse")
    doctor = await factories.professional()
    response = await client.post(f"/api/shifts/{shift.id}/offers",
                                 json={"professional_id": str(doctor.id)},
                                 headers=factories.auth(await factories.scheduler(org)))
    assert response.status_code == 422, response.text
    async with unit_of_work() as session:
        row = await session.get(Shift, shift.id)
        assert row is not None and row.offered_count == 0


async def test_the_schedulers_home_lists_what_needs_attention(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    await factories.shift(unit, starts_in=timedelta(hours=20))  # open, starts tomorrow
    await factories.shift(unit, starts_in=timedelta(days=5))  # open, not yet at risk
    asked = await factories.shift(unit, starts_in=timedelta(days=6))
    await factories.assignment(asked, await factories.professional(), status="requested")
    other = await factories.shift(await factories.unit(await factories.organisation("Muu")),
                                  starts_in=timedelta(hours=5))  # another area's: not counted
    assert other.id
    await sign_in(client, await factories.scheduler(org))
    home = await client.get("/home")
    assert "1 vuoro alkaa 48 tunnin sisällä" in home.text
    assert "1 pyyntö odottaa päätöstäsi" in home.text
    assert "tuntikirjaus" not in home.text
