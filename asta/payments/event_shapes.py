"""The shapes of the Stripe events Asta acts on, checked before any is applied.

A validly signed event can still be unusable (a test fixture, a Stripe API change, a bug
upstream): it is refused with a 400 naming what is wrong, never a crash. Fields Asta does not
read are allowed and ignored, as Stripe adds fields without notice.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from asta.payments.errors import WebhookPayloadError

# PostgreSQL text cannot hold NUL: refuse it here rather than fail in the database.
_NO_NUL = r"^[^\x00]*$"
StripeId = Annotated[str, Field(min_length=1, max_length=80, pattern=_NO_NUL)]
Currency = Annotated[str, Field(min_length=3, max_length=3, pattern=_NO_NUL)]
Status = Annotated[str, Field(max_length=20, pattern=_NO_NUL)]
Code = Annotated[str, Field(max_length=80, pattern=_NO_NUL)]
Url = Annotated[str, Field(max_length=500, pattern=_NO_NUL)]
# Unix seconds up to 2100: far enough for any real event, small enough for date arithmetic.
Instant = Annotated[int, Field(ge=0, le=4_102_444_800)]


class _Shape(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class AccountObject(_Shape):
    id: StripeId
    details_submitted: bool | None = None
    payouts_enabled: bool | None = None
    capabilities: dict[str, Any] | None = None


class TransferObject(_Shape):
    id: StripeId
    metadata: dict[str, Any] | None = None
    reversed: bool | None = None


class PayoutObject(_Shape):
    id: StripeId
    amount: Annotated[int, Field(ge=0, le=2**31 - 1)]
    currency: Currency = "eur"
    status: Annotated[Status, Field(min_length=1)]
    arrival_date: Instant | None = None
    created: Instant | None = None
    failure_code: Code | None = None


class InvoiceObject(_Shape):
    id: StripeId
    status: Status | None = None
    number: Code | None = None
    hosted_invoice_url: Url | None = None


class EventData(_Shape):
    object: dict[str, Any]


class Envelope(_Shape):
    id: StripeId
    type: Annotated[Code, Field(min_length=1)]
    account: StripeId | None = None
    data: Any = None  # checked only for the events Asta acts on


OBJECT_SHAPES: dict[str, type[_Shape]] = {
    "account.": AccountObject, "transfer.": TransferObject, "payout.": PayoutObject,
    "invoice.": InvoiceObject,
}


def _problem(exc: ValidationError, prefix: str) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in (*prefix.split("."), *first["loc"]) if p != "")
    return f"{where}: {first['msg']}"


def checked_envelope(event: dict[str, Any]) -> Envelope:
    try:
        return Envelope.model_validate(event)
    except ValidationError as exc:
        raise WebhookPayloadError(f"Unusable Stripe event: {_problem(exc, '')}") from exc


def checked_object(envelope: Envelope) -> dict[str, Any] | None:
    """The event's object with the fields Asta reads checked; None for events Asta ignores."""
    shape = next((s for p, s in OBJECT_SHAPES.items() if envelope.type.startswith(p)), None)
    if shape is None:
        return None
    if envelope.data is None:
        raise WebhookPayloadError(f"Unusable {envelope.type} event: data.object is missing")
    try:
        data = EventData.model_validate(envelope.data)
    except ValidationError as exc:
        raise WebhookPayloadError(
            f"Unusable {envelope.type} event: {_problem(exc, 'data')}") from exc
    try:
        return shape.model_validate(data.object).model_dump()
    except ValidationError as exc:
        raise WebhookPayloadError(
            f"Unusable {envelope.type} event: {_problem(exc, 'data.object')}") from exc
