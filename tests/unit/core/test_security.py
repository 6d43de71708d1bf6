from __future__ import annotations

import dataclasses

import pytest
from argon2 import extract_parameters

from asta.core import security
from asta.core.config import get_settings


@pytest.mark.parametrize("fast", [False, True])
def test_an_unknown_address_is_checked_against_a_hash_as_costly_as_a_real_one(
        monkeypatch: pytest.MonkeyPatch, fast: bool) -> None:
    settings = dataclasses.replace(get_settings(), fast_password_hashing=fast)
    monkeypatch.setattr(security, "get_settings", lambda: settings)
    real = extract_parameters(security.hash_password("a-real-password"))
    assert extract_parameters(security.dummy_hash()) == real
    assert not security.verify_password(None, "not-a-password")
