"""Swagger UI works under its Content-Security-Policy (no inline scripts allowed)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import new_page

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_the_api_without_csp_violations(browser: Any, base_url: str) -> None:
    page = new_page(browser, base_url)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    response = page.goto("/schema/swagger")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock-tag", timeout=15_000)
    assert page.locator(".opblock").count() > 20  # the operations are listed
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
