import hashlib
import hmac
import json

import pytest

from asta.payments import SignatureVerificationError, construct_event, sign_payload
from asta.payments.webhooks import compute_signature

SECRET = "whsec_test_secret"
NOW = 1_750_000_000
PAYLOAD = json.dumps({"id": "evt_1", "object": "event", "type": "transfer.created"}).encode()


def test_signature_is_stripes_hmac_of_timestamp_dot_payload() -> None:
    expected = hmac.new(SECRET.encode(), f"{NOW}.".encode() + PAYLOAD, hashlib.sha256)
    assert sign_payload(PAYLOAD, SECRET, NOW) == f"t={NOW},v1={expected.hexdigest()}"


def test_valid_signature_gives_the_event() -> None:
    event = construct_event(PAYLOAD, sign_payload(PAYLOAD, SECRET, NOW), SECRET, now=NOW + 10)
    assert event["type"] == "transfer.created"


def test_any_of_several_v1_signatures_may_match() -> None:
    header = f"t={NOW},v1={'0' * 64},v1={compute_signature(PAYLOAD, SECRET, NOW)},v0=abc"
    assert construct_event(PAYLOAD, header, SECRET, now=NOW)["id"] == "evt_1"


@pytest.mark.parametrize(
    ("payload", "header", "secret", "now", "message"),
    [
        (PAYLOAD + b" ", sign_payload(PAYLOAD, SECRET, NOW), SECRET, NOW, "matching"),
        (PAYLOAD, sign_payload(PAYLOAD, "whsec_other", NOW), SECRET, NOW, "matching"),
        (PAYLOAD, sign_payload(PAYLOAD, SECRET, NOW), SECRET, NOW + 301, "tolerance"),
        (PAYLOAD, sign_payload(PAYLOAD, SECRET, NOW), SECRET, NOW - 301, "tolerance"),
        (PAYLOAD, f"v1={compute_signature(PAYLOAD, SECRET, NOW)}", SECRET, NOW, "timestamp"),
        (PAYLOAD, "t=abc,v1=00", SECRET, NOW, "timestamp"),
        (PAYLOAD, f"t={NOW},v0={compute_signature(PAYLOAD, SECRET, NOW)}", SECRET, NOW,
         "expected scheme"),
        (PAYLOAD, "", SECRET, NOW, "timestamp"),
    ],
    ids=["tampered", "wrong-secret", "stale", "future", "no-t", "bad-t", "only-v0", "empty"],
)
def test_rejections(payload: bytes, header: str, secret: str, now: int, message: str) -> None:
    with pytest.raises(SignatureVerificationError, match=message) as info:
        construct_event(payload, header, secret, now=now)
    assert info.value.sig_header == header


def test_tolerance_boundary_is_inclusive() -> None:
    header = sign_payload(PAYLOAD, SECRET, NOW)
    assert construct_event(PAYLOAD, header, SECRET, now=NOW + 300)["id"] == "evt_1"


def test_signed_but_not_json_is_rejected() -> None:
    body = b"not json"
    with pytest.raises(SignatureVerificationError, match="Invalid payload"):
        construct_event(body, sign_payload(body, SECRET, NOW), SECRET, now=NOW)
