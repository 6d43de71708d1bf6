"""The audit log for area admins (their areas) and the operator (all); the filters live in
the URL, so a filtered view can be bookmarked, shared and exported as it is."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts import services as accounts
from asta.audit_log import services as audit_log
from asta.audit_log.schemas import AuditFilters
from asta.core.auth import ADMIN_ROLES, Principal, requires
from asta.core.tenancy import can_administer
from asta.web.forms import Errors
from asta.web.i18n import gettext
from asta.web.rendering import page, request_locale

AnyRequest = Request[Any, Any, Any]
PER_PAGE = 50
FIELDS = ("organisation_id", "entity_type", "entity_id", "actor", "since", "until")


def _parse(values: dict[str, str], locale: str) -> tuple[AuditFilters, Errors]:
    errors: Errors = {}
    parsed: dict[str, Any] = {}
    for name in ("since", "until"):
        if values[name]:
            try:
                parsed[name] = date.fromisoformat(values[name])
            except ValueError:
                errors[name] = gettext(locale, "Enter a date.")
    if values["organisation_id"]:
        try:
            parsed["organisation_id"] = uuid.UUID(values["organisation_id"])
        except ValueError:
            errors["organisation_id"] = gettext(locale, "Choose one of the options.")
    for name in ("entity_type", "entity_id", "actor"):
        parsed[name] = values[name][:100] or None
    return AuditFilters(**parsed), errors


@get("/audit", name="audit_log", guards=[requires(*ADMIN_ROLES)])
async def audit_page(request: AnyRequest, db: AsyncSession, principal: Principal) -> Template:
    values = {name: request.query_params.get(name, "").strip() for name in FIELDS}
    try:
        page_number = max(1, min(10_000, int(request.query_params.get("page", "1"))))
    except ValueError:
        page_number = 1
    filters, errors = _parse(values, request_locale(request))
    areas = [a for a in await accounts.list_organisations(db, principal)
             if can_administer(principal, a.id)]
    result = None
    if not errors:
        result = await audit_log.list_events(db, principal, AuditFilters(
            **{**filters.__dict__, "limit": PER_PAGE, "offset": (page_number - 1) * PER_PAGE}))
    query = urlencode({k: v for k, v in values.items() if v})
    area_names = {a.id: a.name for a in areas}
    return page(request, "audit.html", current="audit_log", values=values, errors=errors,
                result=result, page_number=page_number, per_page=PER_PAGE, query=query,
                area_options=[(str(a.id), a.name) for a in areas], area_names=area_names,
                status_code=422 if errors else 200)


HANDLERS = [audit_page]
