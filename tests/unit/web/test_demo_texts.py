"""The demo's own names in the viewer's language, only on a server that runs the demo."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from asta.core.config import get_settings
from asta.web.emails import calendar_remote, calendar_texts
from asta.web.rendering import make_environment

PAGE = "{{ _('Area settings: {area}', area=area) }} / {{ unit }} / {{ step }} / {{ other }}"
VALUES = {"area": "Kymenlaakso wellbeing services county", "unit": "Kaiku24 remote reception",
          "step": "Systems access", "other": "Kotka health station"}


@pytest.fixture
def demo_texts() -> Iterator[None]:
    settings = get_settings()
    object.__setattr__(settings, "demo_texts", True)
    try:
        yield
    finally:
        object.__setattr__(settings, "demo_texts", False)


@pytest.mark.usefixtures("demo_texts")
@pytest.mark.parametrize(("locale", "shown"), [
    ("fi", "Alueen asetukset: Kymenlaakson hyvinvointialue / Kaiku24 etävastaanotto / "
           "Järjestelmien käyttöoikeudet / Kotka health station"),
    ("sv", "Områdets inställningar: Kymmenedalens välfärdsområde / Kaiku24 distansmottagning / "
           "Behörighet till systemen / Kotka health station"),
    ("en", "Area settings: Kymenlaakso wellbeing services county / Kaiku24 remote reception / "
           "Systems access / Kotka health station"),
])
def test_the_demo_speaks_the_viewers_language(locale: str, shown: str) -> None:
    assert make_environment().from_string(PAGE).render(locale=locale, **VALUES) == shown


def test_a_customers_names_stay_as_they_are() -> None:
    rendered = make_environment().from_string(PAGE).render(locale="fi", **VALUES)
    assert rendered.endswith(" / ".join(list(VALUES.values())[1:]))
    assert "Kymenlaakso wellbeing services county" in rendered


@pytest.mark.usefixtures("demo_texts")
def test_calendar_entries_name_the_demo_unit_in_the_readers_language() -> None:
    summary, _ = calendar_texts("sv", "doctor", "Kaiku24 remote reception")
    assert "Kaiku24 distansmottagning" in summary
    assert "Kaiku24 etävastaanotto" in calendar_remote("fi", "Kaiku24 remote reception")
