"""Cookie-authenticated API calls that change state need the CSRF token; bodies are JSON."""

from __future__ import annotations

import json

import httpx
import pytest

from tests import factories
from tests.integration.web.helpers import csrf_token, sign_in

EVIL = {"Origin": "http://evil.example"}


async def test_the_reviewers_cross_site_erasure_is_refused(client: httpx.AsyncClient) -> None:
    await sign_in(client, await factories.professional())
    attack = await client.post("/api/me/erasure", content=b"x=1", headers={
        **EVIL, "Content-Type": "application/x-www-form-urlencoded"})
    assert attack.status_code == 403, attack.text
    assert attack.json()["error"] == "csrf_failed"
    assert (await client.get("/api/me")).status_code == 200  # still there


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", None])
async def test_a_cookie_call_without_the_token_is_refused_whatever_the_body(
        client: httpx.AsyncClient, content_type: str | None) -> None:
    await sign_in(client, await factories.professional())
    headers = {**EVIL, **({"Content-Type": content_type} if content_type else {})}
    response = await client.post("/api/me/calendar-token", headers=headers)
    assert response.status_code == 403, response.text


async def test_a_cookie_call_with_the_pages_token_works(client: httpx.AsyncClient) -> None:
    await sign_in(client, await factories.professional())
    token = csrf_token((await client.get("/home")).text)
    response = await client.post("/api/me/calendar-token", headers={"X-CSRFToken": token})
    assert response.status_code in (200, 201), response.text
    # Always a different last character: "00" in place of the last two was the real token
    # whenever it ended in "00" (1 in 256).
    tampered = token[:-1] + ("1" if token.endswith("0") else "0")
    forged = await client.post("/api/me/calendar-token", headers={"X-CSRFToken": tampered})
    assert forged.status_code == 403


async def test_reading_with_the_cookie_needs_no_token(client: httpx.AsyncClient) -> None:
    await sign_in(client, await factories.professional())
    assert (await client.get("/api/me", headers=EVIL)).status_code == 200


async def test_bearer_calls_need_no_csrf_token(client: httpx.AsyncClient) -> None:
    person = await factories.professional()
    response = await client.post("/api/me/calendar-token", headers=factories.auth(person))
    assert response.status_code in (200, 201), response.text


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", None])
async def test_a_body_that_is_not_declared_json_is_415(client: httpx.AsyncClient,
                                                       content_type: str | None) -> None:
    person = await factories.professional()
    body = json.dumps({"email": person.email, "password": factories.PASSWORD}).encode()
    headers = {"Content-Type": content_type} if content_type else {}
    response = await client.post("/api/auth/token", content=body, headers=headers)
    assert response.status_code == 415, response.text
    assert "application/json" in response.json()["detail"]
    ok = await client.post("/api/auth/token", content=body,
                           headers={"Content-Type": "application/json; charset=utf-8"})
    assert ok.status_code == 200
