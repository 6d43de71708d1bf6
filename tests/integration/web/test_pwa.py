"""The installable app's parts as the server gives them: manifest, service worker, offline
page, the offline note on My shifts, and the push toggle with the server's key."""

from __future__ import annotations

import httpx
import pytest

from tests import factories
from tests.integration.web.helpers import sign_in


async def test_the_manifest_makes_the_app_installable_in_the_pages_language(
        client: httpx.AsyncClient) -> None:
    answer = await client.get("/manifest.webmanifest?lang=sv")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/manifest+json")
    manifest = answer.json()
    assert manifest["lang"] == "sv"
    assert manifest["description"] == "Gigpass inom den offentliga hälso- och sjukvården"
    assert (manifest["display"], manifest["start_url"], manifest["scope"]) == (
        "standalone", "/", "/")
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        png = await client.get(icon["src"])
        assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    page = await client.get("/sign-in")
    assert '<link rel="manifest" href="/manifest.webmanifest?lang=fi">' in page.text
    by_browser = await client.get("/manifest.webmanifest", headers={"accept-language": "en"})
    assert by_browser.json()["lang"] == "en"  # no language named: the browser's


async def test_the_service_worker_comes_from_the_root_as_script_and_is_never_cached(
        client: httpx.AsyncClient) -> None:
    answer = await client.get("/sw.js")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/javascript")
    assert answer.headers["cache-control"] == "no-store"
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert 'addEventListener("push"' in answer.text


@pytest.mark.parametrize(("lang", "title"), [("fi", "Olet offline-tilassa"),
                                              ("sv", "Du är offline"),
                                              ("en", "You are offline")])
async def test_the_offline_page_exists_in_each_language_without_anyones_name(
        client: httpx.AsyncClient, lang: str, title: str) -> None:
    person = await factories.professional(full_name="Dr Private")
    await sign_in(client, person)
    answer = await client.get(f"/offline?lang={lang}")
    assert answer.status_code == 200
    assert f'<html lang="{lang}">' in answer.text and f"<h1>{title}</h1>" in answer.text
    assert "Dr Private" not in answer.text  # the same copy serves whoever comes next


async def test_my_shifts_carries_its_hidden_offline_note_and_the_profile_its_push_toggle(
        client: httpx.AsyncClient) -> None:
    await sign_in(client, await factories.professional())
    shifts = await client.get("/my-shifts")
    assert "data-offline-note hidden>Olet offline-tilassa. Lista on sellainen kuin se oli " \
        in shifts.text
    profile = await client.get("/profile")
    assert 'id="push-settings" hidden' in profile.text
    assert "Ota ilmoitukset käyttöön tällä laitteella" in profile.text
