"""Bad input in the scheduler's forms comes back as the page, in the user's language, with
each error next to its field (422), never as JSON or a 500; the two demand forms keep their
own element ids."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import httpx

from asta.core.clock import utcnow
from asta.web.planning import local_input
from tests import factories
from tests.integration.web.helpers import post_form, sign_in

TERMS = {"profession": "doctor", "visibility": "area", "sv_level": "", "description": "Pidä"}


def _is_page(response: httpx.Response) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert response.text.startswith("<!doctype html>")


async def test_demand_forms_answer_with_the_page(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    await sign_in(client, await factories.scheduler(org))
    page = await client.get("/demand")
    ids = Counter(re.findall(r' id="([^"]+)"', page.text))
    assert [i for i, n in ids.items() if n > 1] == []
    assert 'for="pattern-unit_id"' in page.text and 'for="f-unit_id"' in page.text

    no_start = await post_form(client, "/demand", "/demand/shift", {
        "unit_id": str(unit.id), **TERMS, "day": "2027-03-01", "start": "", "end": "16:00",
        "positions": "1", "publish": "on"})
    _is_page(no_start)
    assert 'id="f-start-error"' in no_start.text and "Pidä" in no_start.text

    backwards = await post_form(client, "/demand", "/demand/pattern", {
        "unit_id": str(unit.id), **TERMS, "first_date": "2027-03-10",
        "last_date": "2027-03-01", "weekdays": "1", "blocks.0.start": "08:00",
        "blocks.0.end": "16:00", "blocks.0.headcount": "2", "publish": "on"})
    _is_page(backwards)
    assert 'id="pattern-last_date-error"' in backwards.text
    assert 'aria-describedby="pattern-last_date-error"' in backwards.text


async def test_a_matching_run_without_a_unit(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    await factories.unit(org)
    await sign_in(client, await factories.scheduler(org))
    refused = await post_form(client, "/matching-runs", "/matching-runs", {
        "first": "2027-03-01", "last": "2027-03-07", "time_limit": "5"})
    _is_page(refused)
    errors = re.findall(r'<p class="field-error" id="([^"]+)">.*?</span>([^<]+)</p>',
                        refused.text)
    assert errors == [("f-units-error", "Valitse vähintään 1.")], refused.text


async def test_a_timesheet_ending_in_the_future(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    doctor = await factories.professional()
    shift = await factories.shift(unit, starts_in=timedelta(hours=-3), hours=8)
    assignment = await factories.assignment(shift, doctor)
    await sign_in(client, doctor)
    form_url = f"/my-shifts/{assignment.id}/timesheet"
    refused = await post_form(client, form_url, form_url, {
        "actual_start": local_input(shift.starts_at),
        "actual_end": local_input(utcnow() + timedelta(hours=5)), "break_minutes": "0",
        "contacts_handled": "4", "resolved_remotely": "1", "referred_to_health_station": "0",
        "notes": "kept"})
    _is_page(refused)
    assert 'id="f-actual_end-error"' in refused.text
