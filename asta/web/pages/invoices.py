"""An area admin's invoices: the list, one invoice as a printable page, and its CSV."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, get
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts import services as accounts
from asta.core.auth import ADMIN_ROLES, Principal, requires
from asta.core.errors import NotFoundError
from asta.payments import services as payments
from asta.payments.invoice_csv import csv_download
from asta.web.rendering import page

AnyRequest = Request[Any, Any, Any]
admins_only = requires(*ADMIN_ROLES)


@get("/invoices", name="invoices", guards=[admins_only])
async def invoices(request: AnyRequest, db: AsyncSession, principal: Principal,
                   organisation_id: str = "") -> Template:
    areas = await accounts.list_organisations(db, principal)
    area = next((a for a in areas if str(a.id) == organisation_id), areas[0] if areas else None)
    if area is None:
        raise NotFoundError("No such organisation")
    rows = await payments.list_invoices(db, principal, area.id)
    return page(request, "invoices.html", current="invoices", area=area, areas=areas,
                invoices=rows)


@get("/invoices/{organisation_id:uuid}/{invoice_id:uuid}", name="invoice",
     guards=[admins_only])
async def invoice(request: AnyRequest, db: AsyncSession, principal: Principal,
                  organisation_id: uuid.UUID, invoice_id: uuid.UUID) -> Template:
    row = await payments.get_invoice(db, principal, organisation_id, invoice_id)
    area = await accounts.get_organisation(db, principal, organisation_id)
    return page(request, "invoice.html", current="invoices", area=area, invoice=row)


@get("/invoices/{organisation_id:uuid}/{invoice_id:uuid}/csv", name="invoice_csv",
     guards=[admins_only])
async def invoice_csv(db: AsyncSession, principal: Principal, organisation_id: uuid.UUID,
                      invoice_id: uuid.UUID) -> Response[str]:
    return csv_download(await payments.get_invoice(db, principal, organisation_id, invoice_id))


HANDLERS = [invoices, invoice, invoice_csv]
