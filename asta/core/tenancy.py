"""The one place that decides which areas and units a caller may see or change.

Another area's rows are reported as missing (404), never as forbidden, so that their
existence is not revealed.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, false, or_, true
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Organisation, Unit
from asta.core.auth import Principal
from asta.core.errors import NotFoundError


def staff_unit_clause(principal: Principal, unit_id: Any = Unit.id,
                      organisation_id: Any = Unit.organisation_id) -> ColumnElement[bool]:
    """SQL condition for units the caller schedules or administers (given the unit columns)."""
    if principal.is_operator:
        return true()
    areas = principal.admin_organisations() | principal.area_scheduler_organisations()
    units = principal.scheduled_units()
    conditions = []
    if areas:
        conditions.append(organisation_id.in_(areas))
    if units:
        conditions.append(unit_id.in_(units))
    return or_(*conditions) if conditions else false()


def organisation_clause(principal: Principal,
                        organisation_id: Any = Organisation.id) -> ColumnElement[bool]:
    """SQL condition for areas the caller belongs to as staff."""
    if principal.is_operator:
        return true()
    areas = principal.member_organisations()
    return organisation_id.in_(areas) if areas else false()


def can_see_organisation(principal: Principal, organisation_id: uuid.UUID) -> bool:
    return principal.is_operator or organisation_id in principal.member_organisations()


def can_administer(principal: Principal, organisation_id: uuid.UUID) -> bool:
    return principal.is_operator or organisation_id in principal.admin_organisations()


def can_staff_unit(principal: Principal, unit: Unit) -> bool:
    return (principal.is_operator
            or unit.organisation_id in principal.admin_organisations()
            or unit.organisation_id in principal.area_scheduler_organisations()
            or unit.id in principal.scheduled_units())


async def organisation_for_staff(session: AsyncSession, principal: Principal,
                                 organisation_id: uuid.UUID) -> Organisation:
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None or not can_see_organisation(principal, organisation_id):
        raise NotFoundError("No such organisation")
    return organisation


async def organisation_for_admin(session: AsyncSession, principal: Principal,
                                 organisation_id: uuid.UUID) -> Organisation:
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None or not can_administer(principal, organisation_id):
        raise NotFoundError("No such organisation")
    return organisation


async def unit_for_staff(session: AsyncSession, principal: Principal, unit_id: uuid.UUID,
                         *, for_update: bool = False) -> Unit:
    unit = await session.get(Unit, unit_id, with_for_update=for_update)
    if unit is None or not can_staff_unit(principal, unit):
        raise NotFoundError("No such unit")
    return unit


async def unit_for_admin(session: AsyncSession, principal: Principal,
                         unit_id: uuid.UUID) -> Unit:
    unit = await session.get(Unit, unit_id)
    if unit is None or not can_administer(principal, unit.organisation_id):
        raise NotFoundError("No such unit")
    return unit
