"""Browser language negotiation: Babel matches, the header's weights decide the order."""

import pytest

from asta.web.i18n.negotiation import choose_locale


@pytest.mark.parametrize(("header", "expected"), [
    ("sv-FI,sv;q=0.9", "sv"),
    ("en-GB,en;q=0.8,fi;q=0.5", "en"),
    ("de-DE,fi;q=0.3,sv;q=0.7", "sv"),
    ("FI", "fi"),
    ("fr,de", "fi"),
    ("", "fi"),
    ("sv;q=0,en;q=0.1", "en"),
    ("sv;q=abc,en;q=0.1", "en"),
    ("en;q=0.5,sv;q=0.5", "en"),
])
def test_accept_language(header: str, expected: str) -> None:
    assert choose_locale(user_locale=None, cookie=None, accept_language=header) == expected


def test_stored_choice_then_cookie_come_before_the_header() -> None:
    assert choose_locale(user_locale="en", cookie="sv", accept_language="fi") == "en"
    assert choose_locale(user_locale=None, cookie="sv", accept_language="en") == "sv"
    assert choose_locale(user_locale="xx", cookie="yy", accept_language="en") == "en"
