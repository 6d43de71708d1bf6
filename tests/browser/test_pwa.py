"""The installable app in headless Chromium at phone size: the manifest is valid and the app
installable, the service worker shows a push as a notification, and My shifts opens offline
with its dated note (other pages with the offline page), in the page's language."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from tests.browser.conftest import AxeLog, choose_language, new_page, sign_in

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
# Chromium refuses to install from a private (incognito) profile, which every Playwright
# context is; that says nothing about the app.
NOT_ABOUT_THE_APP = {"in-incognito"}


def _registration_id(cdp: Any) -> str:
    found: list[str] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated",
           lambda event: found.extend(r["registrationId"] for r in event["registrations"]
                                      if r["scopeURL"].endswith("/") and not r["isDeleted"]))
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not found and time.monotonic() < deadline:
        cdp.send("Runtime.evaluate", {"expression": "1"})  # lets the events arrive
    assert found, "the service worker did not register"
    return found[0]


def test_the_app_installs_shows_pushes_and_opens_my_shifts_offline(
        browser: Any, base_url: str) -> None:
    page = new_page(browser, base_url, viewport=PHONE)
    context = page.context
    context.grant_permissions(["notifications"], origin=base_url)
    axe = AxeLog(page)
    sign_in(page, "doctor2@asta.demo")
    choose_language(page, "sv")
    page.goto("/my-shifts")
    assert page.evaluate("navigator.serviceWorker.ready.then(r => r.active.state)") == "activated"
    cdp = context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"] == f"{base_url}/manifest.webmanifest?lang=sv"
    assert manifest["errors"] == []
    assert json.loads(manifest["data"])["lang"] == "sv"
    problems = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert {p["errorId"] for p in problems} - NOT_ABOUT_THE_APP == set()

    push = {"title": "Bokad: Kaiku24", "body": "Du är bokad för det här passet.",
            "url": f"{base_url}/my-shifts", "tag": "shift_assigned:test"}
    cdp.send("ServiceWorker.deliverPushMessage", {
        "origin": base_url, "registrationId": _registration_id(cdp), "data": json.dumps(push)})
    shown = page.evaluate("""async () => {
        const registration = await navigator.serviceWorker.ready;
        for (let i = 0; i < 300; i++) {  // up to 30 s: a loaded CI machine took over 5
          const notes = await registration.getNotifications();
          if (notes.length) return notes.map(n => ({title: n.title, body: n.body, tag: n.tag}));
          await new Promise(resolve => setTimeout(resolve, 100));
        }
        return [];
      }""")
    assert shown == [{"title": push["title"], "body": push["body"], "tag": push["tag"]}]

    # The profile offers push on this device (the server has its development VAPID key).
    page.goto("/profile")
    toggle = page.locator("#push-settings")
    toggle.wait_for(state="visible")
    assert page.locator("#push-state").inner_text() == "Aviseringar är av för den här enheten."
    assert page.locator("#push-on").is_visible() and page.locator("#push-off").is_hidden()
    axe.check("profile with the push toggle")

    page.goto("/my-shifts")
    page.reload()  # now through the service worker, which keeps this copy
    assert page.locator("[data-offline-note]").is_hidden()
    context.set_offline(True)
    page.goto("/my-shifts")
    note = page.locator("[data-offline-note]")
    assert note.is_visible() and note.inner_text().startswith("Du är offline. Listan är som")
    axe.check("my shifts offline")
    page.goto("/shifts")
    assert page.locator("html[lang='sv'] h1").inner_text() == "Du är offline"
    axe.check("offline page")
    context.set_offline(False)
    assert axe.found == {}
    context.close()
