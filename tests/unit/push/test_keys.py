"""VAPID keys: what `asta vapid-keys` prints is a key the settings accept and pywebpush signs
with; anything else is refused at start-up."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02, b64urlencode

from asta.core.config import ConfigurationError, Settings
from asta.push.keys import generate_private_key, public_key


def test_a_generated_key_is_accepted_and_its_public_key_is_the_one_it_signs_with() -> None:
    key = generate_private_key()
    Settings(vapid_private_key=key).check()
    signer = Vapid02.from_string(key)
    point = signer.public_key.public_bytes(serialization.Encoding.X962,
                                           serialization.PublicFormat.UncompressedPoint)
    assert public_key(key) == b64urlencode(point)
    assert len(public_key(key)) == 87  # 65 bytes: the browser's applicationServerKey


@pytest.mark.parametrize("settings", [
    Settings(vapid_private_key="not-a-key"),
    Settings(vapid_private_key="%%%"),
    Settings(vapid_private_key=generate_private_key(), vapid_subject="ops@asta.example"),
])
def test_a_wrong_key_or_subject_is_refused_at_start_up(settings: Settings) -> None:
    with pytest.raises(ConfigurationError):
        settings.check()
