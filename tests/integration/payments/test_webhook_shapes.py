"""Validly signed events with unusable contents are refused with a 4xx, never a 500."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest
import stripe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from asta.core.config import get_settings
from asta.core.db import unit_of_work
from asta.payments.models import StripeEvent
from asta.payments.services.events import HANDLERS

HOOK = "/api/webhooks/stripe"


async def deliver_raw(client: httpx.AsyncClient, payload: bytes) -> httpx.Response:
    signature = stripe.WebhookSignature.generate_signature_header(
        payload.decode(), get_settings().stripe_webhook_secret)
    return await client.post(HOOK, content=payload, headers={
        "Stripe-Signature": signature, "Content-Type": "application/json"})


@pytest.mark.parametrize(("event", "complaint"), [
    ({"id": "evt_1", "type": "payout.paid", "data": {"object": {}}}, "data.object.id"),
    ({"id": "evt_2", "type": "transfer.created",
      "data": {"object": {"id": "tr_1", "metadata": "x"}}}, "data.object.metadata"),
    ({"id": "evt_3", "type": "payout.paid", "data": {"object": {
        "id": "po_1", "amount": 10, "status": "paid", "created": 10**20}}}, "data.object.created"),
    ({"id": "evt_4", "type": "account.updated",
      "data": {"object": {"id": "acct_1", "capabilities": "active"}}}, "capabilities"),
    ({"id": "evt_5", "type": "invoice.paid", "data": "nothing"}, "data"),
    ({"id": 5, "type": "invoice.paid"}, "id"),
    ({"id": "evt_6", "type": "payout.paid"}, "data.object is missing"),
])
async def test_an_unusable_event_is_a_400_naming_the_field_and_changes_nothing(
        client: httpx.AsyncClient, event: dict[str, Any], complaint: str) -> None:
    response = await deliver_raw(client, json.dumps(event).encode())
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "bad_event"
    assert complaint in response.json()["detail"]
    async with unit_of_work() as session:
        assert await session.scalar(select(func.count()).select_from(StripeEvent)) == 0


@pytest.mark.parametrize("payload", [b"not json", b"[1, 2]", b'"event"', b"\xff\xfe"])
async def test_a_signed_body_that_is_no_json_object_is_a_400(client: httpx.AsyncClient,
                                                             payload: bytes) -> None:
    signature = stripe.WebhookSignature.generate_signature_header(
        payload.decode(errors="replace"), get_settings().stripe_webhook_secret)
    response = await client.post(HOOK, content=payload, headers={
        "Stripe-Signature": signature, "Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "bad_event"


async def test_a_stale_signature_is_refused(client: httpx.AsyncClient) -> None:
    payload = json.dumps({"id": "evt_old", "type": "payout.paid"})
    signature = stripe.WebhookSignature.generate_signature_header(
        payload, get_settings().stripe_webhook_secret, int(time.time()) - 301)
    response = await client.post(HOOK, content=payload.encode(), headers={
        "Stripe-Signature": signature, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"] == "bad_signature"
    assert "tolerance" in response.json()["detail"]


async def test_events_asta_does_not_act_on_are_acknowledged(client: httpx.AsyncClient) -> None:
    response = await deliver_raw(client, json.dumps(
        {"id": "evt_other", "type": "charge.succeeded", "data": {"object": "whatever"}}).encode())
    assert response.status_code == 200, response.text


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=90),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                  max_size=3),
    max_leaves=8)
FIELDS = ["id", "amount", "currency", "status", "arrival_date", "created", "failure_code",
          "metadata", "reversed", "capabilities", "details_submitted", "number",
          "hosted_invoice_url"]
OBJECTS = st.dictionaries(st.sampled_from(FIELDS), JSON | st.text(max_size=4), max_size=8)
EVENTS = st.fixed_dictionaries(
    {"id": st.text(max_size=90) | JSON, "type": st.sampled_from(sorted(HANDLERS)) | JSON},
    optional={"account": st.text(max_size=90) | JSON,
              "data": st.fixed_dictionaries({"object": OBJECTS}) | JSON})


@settings(max_examples=200, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(event=EVENTS | JSON)
async def test_fuzzed_signed_events_never_crash(client: httpx.AsyncClient, event: Any) -> None:
    response = await deliver_raw(client, json.dumps(event).encode())
    assert response.status_code in {200, 400}, response.text
    assert response.json()["status_code" if response.status_code == 400 else "received"]
