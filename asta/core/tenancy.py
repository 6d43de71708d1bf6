"""The one place that decides which areas and units a caller may see or change.

Another area's rows are reported as missing (404), never as forbidden, so that their
existence is not revealed.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, true
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


def can_verify_registration(principal: Principal,
                            onboarded_areas: Collection[uuid.UUID]) -> bool:
    """A national registration is checked by the operator, or by an admin of an area that
    has onboarded the professional in one of its units (that area relies on it)."""
    return principal.is_operator or bool(principal.admin_organisations() & set(onboarded_areas))


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


def professional_shift_clause(visibility: Any, unit_id: Any, organisation_id: Any, *,
                              onboarded_units: Collection[uuid.UUID],
                              areas: Collection[uuid.UUID]) -> ColumnElement[bool]:
    """SQL condition for shifts a professional may see, given the shift's columns.

    National shifts are for everyone; an area's shifts for those who worked or onboarded in
    the area (`areas`); a unit's shifts for those onboarded to it (`onboarded_units`).
    """
    conditions: list[ColumnElement[bool]] = [visibility == "national"]
    if areas:
        conditions.append(and_(visibility == "area", organisation_id.in_(list(areas))))
    if onboarded_units:
        conditions.append(and_(visibility == "unit", unit_id.in_(list(onboarded_units))))
    return or_(*conditions)


def professional_may_see(visibility: str, unit_id: uuid.UUID, organisation_id: uuid.UUID, *,
                         onboarded_units: Collection[uuid.UUID],
                         areas: Collection[uuid.UUID]) -> bool:
    """The same rule as professional_shift_clause, for one shift already loaded."""
    return (visibility == "national"
            or (visibility == "area" and organisation_id in areas)
            or (visibility == "unit" and unit_id in onboarded_units))


async def unit_for_staff_or_worker(session: AsyncSession, principal: Principal,
                                   unit_id: uuid.UUID, *, works_there: bool) -> Unit:
    """A unit for its staff, or for a professional who has a shift there (`works_there`)."""
    unit = await session.get(Unit, unit_id)
    if unit is None or not (can_staff_unit(principal, unit) or works_there):
        raise NotFoundError("No such unit")
    return unit


def measured_organisations(principal: Principal,
                           organisation_id: uuid.UUID | None) -> frozenset[uuid.UUID] | None:
    """Areas whose metrics the caller may read; None means every area (an operator's view).

    An area admin reads their own areas only; asking for another area is a 404.
    """
    if principal.is_operator:
        return None if organisation_id is None else frozenset({organisation_id})
    mine = principal.admin_organisations()
    if organisation_id is None:
        return mine
    if organisation_id not in mine:
        raise NotFoundError("No such organisation")
    return frozenset({organisation_id})


async def unit_in_organisations(session: AsyncSession, unit_id: uuid.UUID,
                                organisations: frozenset[uuid.UUID] | None) -> Unit:
    unit = await session.get(Unit, unit_id)
    if unit is None or (organisations is not None and unit.organisation_id not in organisations):
        raise NotFoundError("No such unit")
    return unit


def require_same_unit(row_unit_id: uuid.UUID | None, caller_unit_id: uuid.UUID,
                      what: str) -> None:
    """A unit's integration key sees only that unit's rows; any other is missing (404)."""
    if row_unit_id != caller_unit_id:
        raise NotFoundError(f"No such {what}")
