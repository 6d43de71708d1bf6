"""Every response carries the security headers; personal data is never cached."""

from __future__ import annotations

import dataclasses

import httpx
import pytest

from asta.core import headers as security
from asta.core.config import get_settings
from tests import factories
from tests.integration.web.helpers import sign_in

EVERYWHERE = {"x-content-type-options": "nosniff", "referrer-policy": "same-origin",
              "x-frame-options": "DENY"}


@pytest.mark.parametrize("path", [
    "/api/me", "/api/shifts", "/api/no-such-thing", "/no-such-page", "/", "/sign-in",
    "/schema/swagger", "/schema/openapi.json", "/health", "/static/web/asta.css",
    "/static/swagger/swagger-ui.css",
])
async def test_every_response_has_the_security_headers(client: httpx.AsyncClient,
                                                       path: str) -> None:
    await sign_in(client, await factories.professional())
    response = await client.get(path)
    for name, value in EVERYWHERE.items():
        assert response.headers[name] == value, (path, name)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in response.headers["content-security-policy"].split(
        "script-src")[1].split(";")[0]
    assert "strict-transport-security" not in response.headers  # development


@pytest.mark.parametrize("path", ["/api/me", "/home", "/api/no-such-thing", "/", "/health"])
async def test_personal_and_dynamic_responses_are_never_stored(client: httpx.AsyncClient,
                                                               path: str) -> None:
    await sign_in(client, await factories.professional())
    assert (await client.get(path)).headers["cache-control"] == "no-store"


async def test_static_files_may_be_cached(client: httpx.AsyncClient) -> None:
    response = await client.get("/static/web/asta.css")
    assert response.status_code == 200
    assert response.headers.get("cache-control") != "no-store"


async def test_swagger_ui_runs_from_files_only(client: httpx.AsyncClient) -> None:
    page = await client.get("/schema/swagger")
    assert page.status_code == 200
    assert "<script>" not in page.text and "<script type" not in page.text
    for src in ("/static/swagger/swagger-ui-bundle.js", "/static/web/swagger-init.js",
                "/static/swagger/swagger-ui-standalone-preset.js",
                "/static/swagger/swagger-ui.css"):
        assert src in page.text
        assert (await client.get(src)).status_code == 200, src
    assert (await client.get("/schema/openapi.json")).json()["info"]["title"] == "Asta API"


async def test_production_adds_hsts_and_secure_cookies(client: httpx.AsyncClient,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    production = dataclasses.replace(get_settings(), environment="production")
    monkeypatch.setattr(security, "get_settings", lambda: production)
    response = await client.get("/sign-in")  # sets the CSRF cookie
    assert response.headers["strict-transport-security"].startswith("max-age=")
    cookies = response.headers.get_list("set-cookie")
    assert cookies
    assert all("secure" in c.lower() for c in cookies)
