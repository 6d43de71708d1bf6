from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Role
from asta.core.auth import ADMIN_ROLES, Principal, requires
from asta.payments import services
from asta.payments.gateway import stripe_client
from asta.payments.invoice_csv import csv_download
from asta.payments.schemas import EarningsRead, InvoiceRead, PayoutSetupRead, WebhookAck


class MyPayoutsController(Controller):
    path = "/api/me"
    tags = ["me", "payments"]
    guards = [requires(Role.PROFESSIONAL)]

    @post("/payouts/setup", status_code=200,
          summary="Create (once) my Stripe payout account and get an onboarding link")
    async def setup(self, db: AsyncSession, principal: Principal) -> PayoutSetupRead:
        async with stripe_client() as client:
            return await services.setup_payouts(db, principal, client)

    @get("/earnings", summary="My pay per shift and per month, with payout status")
    async def earnings(
        self, db: AsyncSession, principal: Principal,
        first: Annotated[date | None, QueryParameter(name="from", required=False)] = None,
        last: Annotated[date | None, QueryParameter(name="to", required=False)] = None,
    ) -> EarningsRead:
        return await services.my_earnings(db, principal, first, last)


class AreaInvoiceController(Controller):
    path = "/api/organisations/{organisation_id:uuid}/invoices"
    tags = ["organisations", "payments"]
    guards = [requires(*ADMIN_ROLES)]

    @get("/", summary="The area's monthly invoices")
    async def list_invoices(self, organisation_id: uuid.UUID, db: AsyncSession,
                            principal: Principal) -> list[InvoiceRead]:
        return await services.list_invoices(db, principal, organisation_id)

    @get("/{invoice_id:uuid}", summary="One invoice with an item per unit")
    async def get_invoice(self, organisation_id: uuid.UUID, invoice_id: uuid.UUID,
                          db: AsyncSession, principal: Principal) -> InvoiceRead:
        return await services.get_invoice(db, principal, organisation_id, invoice_id)

    @get("/{invoice_id:uuid}/csv", summary="One invoice as CSV")
    async def invoice_csv(self, organisation_id: uuid.UUID, invoice_id: uuid.UUID,
                          db: AsyncSession, principal: Principal) -> Response[str]:
        invoice = await services.get_invoice(db, principal, organisation_id, invoice_id)
        return csv_download(invoice)


class StripeWebhookController(Controller):
    path = "/api/webhooks/stripe"
    tags = ["webhooks"]

    @post("/", status_code=200, summary="Stripe events (signed; no bearer token)")
    async def receive(self, request: Request[Any, Any, Any], db: AsyncSession) -> WebhookAck:
        return await services.receive_event(db, await request.body(),
                                            request.headers.get("stripe-signature"))


PAYMENT_CONTROLLERS = [MyPayoutsController, AreaInvoiceController, StripeWebhookController]
