"""The pure parts of two-step verification: who must use it, which codes match, recovery
codes and the sealed secret."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from asta.accounts import totp
from asta.accounts.models import Role
from asta.accounts.totp import Step

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = datetime(2026, 11, 18, 8, 0, 10, tzinfo=UTC)
STEP = timedelta(seconds=totp.STEP_S)


@pytest.mark.parametrize(("roles", "enrolled", "verified", "step"), [
    ([Role.AREA_ADMIN], False, False, Step.ENROL),
    ([Role.PLATFORM_OPERATOR], False, False, Step.ENROL),
    ([Role.PROFESSIONAL, Role.AREA_ADMIN], False, False, Step.ENROL),
    ([Role.AREA_ADMIN], True, False, Step.CODE),
    ([Role.AREA_ADMIN], True, True, None),
    ([Role.PROFESSIONAL], False, False, None),
    ([Role.SCHEDULER], False, False, None),
    ([Role.SCHEDULER], True, False, Step.CODE),
    ([Role.PROFESSIONAL], True, True, None),
    ([], False, False, None),
])
def test_who_owes_which_step(roles: list[Role], enrolled: bool, verified: bool,
                             step: Step | None) -> None:
    assert totp.second_factor_step(roles, enrolled=enrolled, verified=verified) is step


def test_codes_of_the_step_before_and_after_match_and_no_further() -> None:
    now_step = int(NOW.timestamp()) // totp.STEP_S
    for offset in (-1, 0, 1):
        code = totp.code_at(SECRET, NOW + offset * STEP)
        assert totp.matching_step(SECRET, code, NOW) == now_step + offset
        assert totp.matching_step(SECRET, code[:3] + " " + code[3:], NOW) == now_step + offset
    for offset in (-2, 2):
        assert totp.matching_step(SECRET, totp.code_at(SECRET, NOW + offset * STEP), NOW) is None
    assert totp.matching_step(SECRET, "12345", NOW) is None
    assert totp.matching_step(SECRET, "abcdef", NOW) is None


def test_recovery_codes_are_distinct_and_typed_loosely() -> None:
    codes = totp.new_recovery_codes()
    assert len(set(codes)) == totp.RECOVERY_CODES
    assert all(len(c) == 14 and c.count("-") == 2 for c in codes)
    assert not any(totp.looks_like_totp(c) for c in codes)
    assert totp.normalised_recovery_code(" " + codes[0].upper().replace("-", " ")) == codes[0]


def test_a_sealed_secret_opens_only_with_the_same_key(monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    from asta.core import config

    sealed = totp.seal(SECRET)
    assert SECRET not in sealed
    assert totp.unseal(sealed) == SECRET
    other = dataclasses.replace(config.get_settings(),
                                secret_key="another-secret-key-0123456789abcdef")
    monkeypatch.setattr(totp, "get_settings", lambda: other)
    assert totp.unseal(sealed) is None


def test_the_qr_code_is_an_svg_with_a_title() -> None:
    svg = totp.qr_svg(totp.provisioning_uri(SECRET, "a@asta.test"), "QR")
    assert svg.startswith("<svg") and "<title>QR</title>" in svg
    assert "<script" not in svg
