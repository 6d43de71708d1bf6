"""A unit's favourite and blocked professionals, set by its schedulers on the unit page."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.core.auth import STAFF_ROLES, Principal, requires
from asta.core.errors import InvalidInputError
from asta.marketplace import services as marketplace
from asta.marketplace.schemas import UnitMarkIn
from asta.web.forms import FormAttempt, text
from asta.web.pages.units import unit_page
from asta.web.planning import uuid_or_none
from asta.web.rendering import request_locale

AnyRequest = Request[Any, Any, Any]
staff_only = requires(*STAFF_ROLES)


@post("/units/{unit_id:uuid}/marks", name="unit_mark", guards=[staff_only])
async def mark(request: AnyRequest, db: AsyncSession, principal: Principal,
               unit_id: uuid.UUID) -> Template | Redirect:
    form = await request.form()
    values = {"kind": text(form, "kind"), "reason": text(form, "reason"),
              "professional_id": text(form, "professional_id")}
    async with FormAttempt(db, request_locale(request)) as attempt:
        person = uuid_or_none(values["professional_id"])
        if person is None:
            raise InvalidInputError("Choose a professional", field="professional_id")
        await marketplace.mark_professional(db, principal, unit_id, person,
                                            UnitMarkIn.model_validate(
                                                {k: values[k] for k in ("kind", "reason")}))
    if attempt.errors:
        return await unit_page(request, db, principal, unit_id,
                               {"title": "", "description": ""}, {}, status_code=422,
                               mark_values=values, mark_errors=attempt.errors,
                               find=text(form, "find"))
    return Redirect(f"/units/{unit_id}?marked={values['kind']}#marks-h", status_code=303)


@post("/units/{unit_id:uuid}/marks/{professional_id:uuid}/remove", name="unit_unmark",
      guards=[staff_only])
async def unmark(request: AnyRequest, db: AsyncSession, principal: Principal,
                 unit_id: uuid.UUID, professional_id: uuid.UUID) -> Redirect:
    await marketplace.unmark_professional(db, principal, unit_id, professional_id)
    return Redirect(f"/units/{unit_id}?marked=removed#marks-h", status_code=303)


HANDLERS = [mark, unmark]
