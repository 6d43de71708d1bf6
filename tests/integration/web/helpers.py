"""Driving the pages like a browser: keep cookies, send the CSRF token the form carries."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from asta.accounts.models import User
from tests import factories
from tests.totp import next_code

_CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page has no CSRF field"
    return match.group(1)


async def post_form(client: httpx.AsyncClient, form_page: str, action: str,
                    data: dict[str, Any] | list[tuple[str, str]]) -> httpx.Response:
    """Load the page holding the form (which sets the CSRF cookie), then send it."""
    page = await client.get(form_page)
    assert page.status_code == 200, page.text
    token = csrf_token(page.text)
    items = list(data.items()) if isinstance(data, dict) else list(data)
    form: dict[str, Any] = {"_csrf_token": token}
    for key, value in items:
        if key in form:  # repeated inputs (checkbox groups) go as a list
            previous = form[key]
            form[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            form[key] = value
    return await client.post(action, data=form)


async def sign_in(client: httpx.AsyncClient, person: User) -> httpx.Response:
    """Both steps: the password, then a code where the account has a second factor."""
    response = await post_form(client, "/sign-in", "/sign-in",
                               {"email": person.email, "password": factories.PASSWORD})
    assert response.status_code == 303, response.text
    step = response.headers["location"]
    if step.startswith("/sign-in/code"):
        response = await post_form(client, step, "/sign-in/code",
                                   {"code": next_code(person.email),
                                    "next": parse_qs(urlsplit(step).query)["next"][0]})
        assert response.status_code == 303, response.text
    return response
