"""What a scheduler or area admin should look at now, counted for the home page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from asta.core.auth import Principal
from asta.core.tenancy import staff_unit_clause
from asta.marketplace.lifecycle import AT_RISK_WITHIN
from asta.marketplace.models import (
    Assignment,
    AssignmentStatus,
    Shift,
    ShiftStatus,
    Timesheet,
    TimesheetStatus,
)
from asta.profiles.models import Certificate, ProfessionalProfile

CREDENTIALS_AHEAD = timedelta(days=30)  # bookings whose credentials lapse before the shift


@dataclass(frozen=True)
class StaffTodos:
    at_risk: int  # open positions of shifts starting within AT_RISK_WITHIN
    requests: int
    timesheets: int
    credentials: int  # upcoming bookings whose certificate or registration lapses first

    @property
    def total(self) -> int:
        return self.at_risk + self.requests + self.timesheets + self.credentials


async def staff_todos(session: AsyncSession, principal: Principal, now: datetime) -> StaffTodos:
    mine = staff_unit_clause(principal, Shift.unit_id, Shift.organisation_id)
    open_statuses = (ShiftStatus.PUBLISHED.value, ShiftStatus.FILLED.value)
    at_risk = await session.scalar(select(func.count()).where(
        mine, Shift.status.in_(open_statuses),  # type: ignore[attr-defined]
        Shift.assigned_count < Shift.positions, Shift.starts_at > now,
        Shift.starts_at <= now + AT_RISK_WITHIN))
    requests = await session.scalar(
        select(func.count()).select_from(Assignment).join(Shift, Shift.id == Assignment.shift_id)
        .where(mine, Assignment.status == AssignmentStatus.REQUESTED.value, Shift.starts_at > now))
    timesheets = await session.scalar(
        select(func.count()).select_from(Timesheet).join(Shift, Shift.id == Timesheet.shift_id)
        .where(mine, Timesheet.status == TimesheetStatus.SUBMITTED.value))
    lapses = or_(
        exists().where(Certificate.user_id == Assignment.professional_id,
                       Certificate.expires_on < func.date(Assignment.ends_at)),
        exists().where(ProfessionalProfile.user_id == Assignment.professional_id,
                       ProfessionalProfile.registration_valid_until
                       < func.date(Assignment.ends_at)))
    credentials = await session.scalar(
        select(func.count()).select_from(Assignment).join(Shift, Shift.id == Assignment.shift_id)
        .where(mine, and_(Assignment.status == AssignmentStatus.CONFIRMED.value,
                          Assignment.starts_at > now,
                          Assignment.starts_at <= now + CREDENTIALS_AHEAD), lapses))
    return StaffTodos(at_risk or 0, requests or 0, timesheets or 0, credentials or 0)
