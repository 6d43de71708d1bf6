"""From contact volume to required staff (Erlang C) and to packaged shifts (CP-SAT)."""

from __future__ import annotations

import asyncio
import math
import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from asta.core.auth import Principal
from asta.core.errors import InvalidInputError
from asta.core.tenancy import unit_for_staff
from asta.scheduling import erlang
from asta.scheduling.packaging import Template, demand_end, package, within
from asta.scheduling.schemas import (
    ContactForecast,
    CoverageRead,
    IntervalStaffing,
    PackagedShiftRead,
    PackagingRead,
    PackagingRequest,
    StaffingRead,
    TemplateRules,
)

HELSINKI = ZoneInfo("Europe/Helsinki")


def _staffing(forecast: ContactForecast) -> StaffingRead:
    step = timedelta(minutes=forecast.interval_minutes)
    start = forecast.start.astimezone(UTC)  # arithmetic in UTC is elapsed time
    curve = erlang.requirement_curve(
        forecast.contacts, step.total_seconds(), forecast.average_handling_time_s,
        forecast.service_level, forecast.target_answer_s, forecast.max_occupancy)
    intervals = [IntervalStaffing(
        starts_at=start + i * step, ends_at=start + (i + 1) * step,
        contacts=contacts, required=s.agents, service_level=s.service_level,
        probability_wait=s.probability_wait,
        average_speed_of_answer_s=(s.average_speed_of_answer_s
                                   if math.isfinite(s.average_speed_of_answer_s) else None),
        occupancy=s.occupancy) for i, (contacts, s) in enumerate(zip(forecast.contacts, curve,
                                                                       strict=True))]
    return StaffingRead(intervals=intervals, peak_required=max(s.agents for s in curve),
                        staff_hours=sum(s.agents for s in curve) * step.total_seconds() / 3600)


async def staffing_for_forecast(session: AsyncSession, principal: Principal, unit_id: uuid.UUID,
                                forecast: ContactForecast) -> StaffingRead:
    await unit_for_staff(session, principal, unit_id)
    return _staffing(forecast)


def local_templates(start: datetime, end: datetime, rules: TemplateRules) -> list[Template]:
    """Allowed shifts as minute offsets from `start`, placed on Helsinki wall-clock hours.

    Offsets are real elapsed minutes, so a day with a DST change gets its true length.
    """
    first: date = start.astimezone(HELSINKI).date()
    last: date = end.astimezone(HELSINKI).date()
    origin = start.astimezone(UTC)
    horizon = (end.astimezone(UTC) - origin).total_seconds() // 60

    def offset(moment: datetime) -> int:
        # Subtract in UTC: two datetimes sharing a ZoneInfo subtract as wall-clock times.
        return int((moment.astimezone(UTC) - origin).total_seconds() // 60)

    templates = []
    for day in range((last - first).days + 1):
        for hour in sorted(set(rules.start_hours)):
            local = datetime.combine(first + timedelta(days=day), time(hour), tzinfo=HELSINKI)
            begin = offset(local)
            if not 0 <= begin < horizon:
                continue
            for length in sorted(set(rules.lengths_h)):
                templates.append(Template(begin, offset(local) + length * 60))
    return templates


def _package(request: PackagingRequest) -> PackagingRead:
    if request.forecast is not None:
        start = request.forecast.start
        interval = request.forecast.interval_minutes
        required = [row.required for row in _staffing(request.forecast).intervals]
    else:
        assert request.start is not None and request.required is not None  # validated schema
        start, interval, required = request.start, request.interval_minutes, request.required
    start = start.astimezone(UTC)  # arithmetic in UTC is elapsed time
    end = start + timedelta(minutes=interval * len(required))
    templates = local_templates(start, end, request.templates)
    if not templates:
        raise InvalidInputError("No allowed shift starts inside the period", field="templates")
    if not request.templates.extend_past_end:
        templates = within(templates, demand_end(required, interval) or len(required) * interval)
        if not templates:
            raise InvalidInputError("No allowed shift ends by the end of the demand: allow "
                                    "shorter shifts, earlier starts, or shifts that run past "
                                    "the end", field="templates")
    result = package(required, interval, templates, time_limit_s=request.time_limit_s)

    def at(minutes: int) -> datetime:
        return start + timedelta(minutes=minutes)

    return PackagingRead(
        status=result.status,
        shifts=[PackagedShiftRead(starts_at=at(s.start), ends_at=at(s.end), count=s.count)
                for s in result.shifts],
        coverage=[CoverageRead(starts_at=at(c.start), ends_at=at(c.end), required=c.required,
                               packaged=c.packaged) for c in result.coverage],
        under_cover=result.under_cover, over_cover=result.over_cover,
        shift_count=result.shift_count, positions=result.positions)


async def package_demand(session: AsyncSession, principal: Principal, unit_id: uuid.UUID,
                         request: PackagingRequest) -> PackagingRead:
    await unit_for_staff(session, principal, unit_id)
    # CP-SAT blocks for up to time_limit_s: keep the event loop free meanwhile.
    return await asyncio.to_thread(_package, request)
