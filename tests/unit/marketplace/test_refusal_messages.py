"""Every refusal code has a full message in fi, sv and en, naming all of its numbers."""

from __future__ import annotations

from datetime import date, time

import pytest

from asta.marketplace.rules.refusals import MESSAGES, Param, Refusal, placeholders
from asta.web.i18n.catalogue import LOCALES, catalogue
from asta.web.i18n.refusals import render_refusal

SAMPLES: dict[str, Param] = {
    "day": date(2026, 12, 7), "start": time(8, 0), "end": time(16, 0), "rest_hours": 9.5,
    "required_hours": 11, "hours": 49.5, "week_start": date(2026, 12, 7), "limit_hours": 48,
    "required": "nurse", "yours": "doctor", "expired_on": date(2026, 1, 31),
    "language": "sv", "level": "fluent", "competence": "triage", "specialty": "geriatrics",
    "positions": 3, "position": 2,
}
# How each sample must appear in each language (the numbers and names the rule gives).
EXPECTED = {
    "fi": {"rest_hours": "9,5", "hours": "49,5", "week_start": "7.12.2026", "language": "ruotsi",
           "start": "8.00", "level": "sujuva"},
    "sv": {"rest_hours": "9,5", "hours": "49,5", "week_start": "7.12.2026", "language": "svenska",
           "start": "8.00", "level": "flytande"},
    "en": {"rest_hours": "9.5", "hours": "49.5", "week_start": "07/12/2026", "language": "Swedish",
           "start": "08:00", "level": "fluent"},
}


@pytest.mark.parametrize("locale", [loc for loc in LOCALES if loc != "en"])
@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_each_code_is_translated_with_the_same_parameters(locale: str, code: str) -> None:
    translated = catalogue(locale).get(MESSAGES[code])
    assert isinstance(translated, str) and translated
    assert placeholders(translated) == placeholders(MESSAGES[code])


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_each_message_renders_every_parameter(locale: str, code: str) -> None:
    params = {name: SAMPLES[name] for name in placeholders(MESSAGES[code])}
    text = render_refusal(locale, code, params)
    assert "{" not in text and text[0].isupper()
    shown = {name: value for name, value in EXPECTED[locale].items() if name in params}
    assert [name for name, value in shown.items() if value not in text] == [], text


def test_the_api_speaks_english_with_plain_numbers() -> None:
    refusal = Refusal("weekly_max", {"hours": 49.5, "week_start": date(2026, 12, 7),
                                     "limit_hours": 48})
    assert refusal.message == ("Would work 49.5 h in the week starting Monday 2026-12-07; "
                               "the maximum is 48 h")


def test_an_unknown_code_cannot_be_raised() -> None:
    with pytest.raises(KeyError):
        Refusal("too_tired")


def test_parameters_survive_a_json_column_with_their_kinds() -> None:
    from datetime import UTC, datetime

    from asta.marketplace.rules.refusals import from_json, to_json

    params: dict[str, Param] = {"day": date(2026, 12, 7), "start": time(8, 0), "hours": 9.5,
                                "at": datetime(2026, 12, 7, 6, 0, tzinfo=UTC), "code": "sv"}
    assert from_json(to_json(params)) == params
