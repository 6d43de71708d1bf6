"""GDPR from the pages: download my data as JSON, erase my account with my password."""

from __future__ import annotations

import httpx

from asta.accounts.models import User
from asta.core.db import unit_of_work
from tests import factories
from tests.integration.web.helpers import post_form, sign_in


async def test_a_professional_downloads_their_data(client: httpx.AsyncClient) -> None:
    doctor = await factories.professional(email="export.me@asta.test")
    await sign_in(client, doctor)
    page = await client.get("/me/data")
    assert page.status_code == 200 and 'href="/me/data/export"' in page.text
    assert "Kirjanpitolaki" in page.text  # what is kept, and why
    exported = await client.get("/me/data/export")
    assert exported.headers["content-disposition"].startswith("attachment")
    assert exported.json()["account"]["email"] == "export.me@asta.test"


async def test_erasure_needs_the_password_then_signs_out_for_good(
        client: httpx.AsyncClient) -> None:
    doctor = await factories.professional()
    await sign_in(client, doctor)
    wrong = await post_form(client, "/me/data", "/me/data/erase", {"password": "not-it"})
    assert wrong.status_code == 422 and 'id="f-password-error"' in wrong.text
    assert "Salasana ei ole oikein" in wrong.text
    async with unit_of_work() as session:
        assert (await session.get(User, doctor.id)).erased_at is None  # type: ignore[union-attr]

    erased = await post_form(client, "/me/data", "/me/data/erase",
                             {"password": factories.PASSWORD})
    assert erased.status_code == 303 and erased.headers["location"] == "/account-erased"
    after = await client.get("/account-erased")
    assert after.status_code == 200 and "Tilisi on poistettu" in after.text
    async with unit_of_work() as session:
        row = await session.get(User, doctor.id)
    assert row is not None and row.erased_at is not None and row.password_hash is None
    assert (await client.get("/me/data")).status_code in (303, 401)
