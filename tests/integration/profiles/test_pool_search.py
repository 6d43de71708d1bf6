"""Searching the pool by name: what is typed is text, never a LIKE pattern."""

from __future__ import annotations

import httpx
import pytest

from tests import factories


@pytest.mark.parametrize(("typed", "found"), [
    ("%", ["100% Doctor"]), ("_", ["Under_Score"]), ("\\", []), ("/", []), ("doc", ["100% Doctor"]),
])
async def test_name_search_treats_wildcards_as_text(client: httpx.AsyncClient, typed: str,
                                                    found: list[str]) -> None:
    for name in ("100% Doctor", "Under_Score", "Plain Nurse"):
        await factories.professional(full_name=name)
    headers = factories.auth(await factories.scheduler(await factories.organisation()))
    response = await client.get("/api/professionals", params={"name": typed}, headers=headers)
    assert response.status_code == 200, response.text
    assert [p["full_name"] for p in response.json()["items"]] == found
