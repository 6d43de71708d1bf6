"""Language: every string translated, the choice kept in a cookie and in users.locale."""

from __future__ import annotations

from datetime import date

import httpx
import pytest
from sqlalchemy import select

from asta.accounts.models import User
from asta.core.db import unit_of_work
from asta.web.i18n import LOCALES, format_date, format_money, missing_translations
from asta.web.i18n.extract import msgids
from tests import factories
from tests.integration.web.helpers import post_form, sign_in


@pytest.mark.parametrize("locale", [loc for loc in LOCALES if loc != "en"])
def test_every_string_of_the_pages_has_a_translation(locale: str) -> None:
    assert missing_translations(locale, msgids()) == set()


async def test_switching_language_changes_the_strings_and_html_lang(
        client: httpx.AsyncClient) -> None:
    finnish = await client.get("/sign-in")
    assert '<html lang="fi">' in finnish.text
    assert "Kirjaudu Astaan" in finnish.text
    response = await post_form(client, "/sign-in", "/language", {"locale": "sv",
                                                                 "next": "/sign-in"})
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in"
    swedish = await client.get("/sign-in")
    assert '<html lang="sv">' in swedish.text
    assert "Logga in i Asta" in swedish.text
    await post_form(client, "/sign-in", "/language", {"locale": "en", "next": "/sign-in"})
    assert "Sign in to Asta" in (await client.get("/sign-in")).text


async def test_the_browser_language_is_the_first_guess(client: httpx.AsyncClient) -> None:
    response = await client.get("/sign-in", headers={"Accept-Language": "sv-FI,sv;q=0.9"})
    assert '<html lang="sv">' in response.text


async def test_a_signed_in_persons_choice_is_stored_in_their_account(
        client: httpx.AsyncClient) -> None:
    person = await factories.professional()
    await sign_in(client, person)
    await post_form(client, "/home", "/language", {"locale": "en", "next": "/home"})
    async with unit_of_work() as session:
        stored = await session.scalar(select(User.locale).where(User.id == person.id))
    assert stored == "en"
    client.cookies.delete("asta_locale")  # the account, not only the cookie, remembers
    assert '<html lang="en">' in (await client.get("/home")).text


def test_dates_and_money_are_written_as_each_language_writes_them() -> None:
    day = date(2026, 12, 6)
    assert format_date(day, "fi") == "6.12.2026"
    assert format_date(day, "sv") == "6 dec. 2026"
    assert format_date(day, "en") == "6 Dec 2026"
    assert format_money(123450, "fi") == "1\u00a0234,50\u00a0€"
    assert format_money(5, "sv") == "0,05\u00a0€"


async def test_shared_form_parts_follow_the_language_too(client: httpx.AsyncClient) -> None:
    await post_form(client, "/sign-in", "/language", {"locale": "sv", "next": "/sign-in"})
    response = await post_form(client, "/sign-in", "/sign-in", {"email": "", "password": ""})
    assert "Rätta följande" in response.text  # the error summary macro
    assert "(obligatoriskt)" in response.text  # the field macro
    assert "Korjaa" not in response.text
