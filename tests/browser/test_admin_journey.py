"""An area admin in each language: changes the savings split and sees the dashboard's saving
change, reads the change in the audit log, opens an invoice; axe-core on every page visited,
an error state included (zero WCAG 2.1 A/AA violations allowed)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import AxeLog, choose_language, new_page, sign_in

pytestmark = pytest.mark.browser
# Each language sets its own split, so each run changes the saving whatever ran before.
SPLITS = {"fi": ("60", "20", "20"), "sv": ("70", "10", "20"), "en": ("55", "25", "20")}
# The demo's area in each language (asta.web.demo_texts).
AREA = {"fi": "Kymenlaakson hyvinvointialue", "sv": "Kymmenedalens välfärdsområde",
        "en": "Kymenlaakso wellbeing services county"}


def _saving(page: Any) -> str:
    page.goto("/dashboard")
    return str(page.locator("ul.figures li").first.locator(".figure").inner_text())


@pytest.mark.parametrize("locale", ["fi", "sv", "en"])
def test_an_admin_changes_the_split_reads_the_audit_log_and_opens_an_invoice(
        browser: Any, base_url: str, locale: str) -> None:
    page = new_page(browser, base_url)
    axe = AxeLog(page)
    sign_in(page, "admin.kymenlaakso@asta.demo")
    choose_language(page, locale)
    before = _saving(page)

    page.goto("/settings")
    axe.check("area settings")
    assert AREA[locale] in page.locator("h1").inner_text()
    page.fill("#f-area_share_pct", "lots")  # an error first: shown in place, still accessible
    page.click("form[action='/settings'] button[type=submit]")
    page.wait_for_selector("#error-summary")
    assert page.locator("#f-area_share_pct-error").count() == 1
    axe.check("area settings with an error")
    area, professionals, platform = SPLITS[locale]
    page.fill("#f-area_share_pct", area)
    page.fill("#f-professional_share_pct", professionals)
    page.fill("#f-platform_share_pct", platform)
    page.click("form[action='/settings'] button[type=submit]")
    page.wait_for_selector(".notice.success")
    axe.check("area settings saved")
    after = _saving(page)
    axe.check("dashboard")
    assert after != before, (before, after)

    page.click("nav.menu a[href='/audit']")
    page.fill("#f-entity_type", "area_settings")
    page.click("form[action='/audit'] button[type=submit]")
    page.wait_for_url("**entity_type=area_settings*")
    axe.check("audit log")
    assert page.locator("main table tbody tr").count() >= 1

    page.click("nav.menu a[href='/invoices']")
    axe.check("invoices")
    page.locator("main table tbody th a").first.click()
    page.wait_for_url("**/invoices/*/*")
    axe.check("invoice")
    assert page.locator("main table tbody tr").count() >= 1
    assert page.locator("a[href$='/csv']").count() == 1
    assert axe.found == {}
    page.context.close()
