"""My calendar feed page: the address is shown whenever I come back; renewing it retires the
old one."""

from __future__ import annotations

import re

import httpx

from tests import factories
from tests.integration.web.helpers import post_form, sign_in

FEED = re.compile(r'id="feed-url" type="text" readonly value="[^"]*(/api/calendar/[^"]+)"')


async def test_show_copy_and_renew_the_calendar_address(client: httpx.AsyncClient) -> None:
    await sign_in(client, await factories.professional())
    empty = await client.get("/me/calendar")
    assert empty.status_code == 200 and "feed-url" not in empty.text
    created = await post_form(client, "/me/calendar", "/me/calendar/renew", {})
    assert created.headers["location"] == "/me/calendar?renewed=true"
    shown = await client.get("/me/calendar")  # shown again, not only once
    match = FEED.search(shown.text)
    assert match, shown.text
    first = match.group(1)
    assert 'data-copy="feed-url"' in shown.text and 'id="feed-url-copied"' in shown.text
    assert (await client.get(first)).status_code == 200

    await post_form(client, "/me/calendar", "/me/calendar/renew", {})
    renewed = await client.get("/me/calendar?renewed=true")
    second = FEED.search(renewed.text)
    assert second and second.group(1) != first
    assert "Vanha osoite ei enää toimi" in renewed.text
    assert (await client.get(first)).status_code == 404
    assert (await client.get(second.group(1))).status_code == 200
