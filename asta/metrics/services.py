"""The metrics API: SQL aggregates (asta.metrics.queries) turned into figures by the rules."""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.accounts.models import Organisation
from asta.core.auth import Principal
from asta.core.clock import utcnow
from asta.core.db import get_database
from asta.core.errors import InvalidInputError, NotFoundError
from asta.core.tenancy import measured_organisations, unit_in_organisations
from asta.metrics import queries
from asta.metrics.area_settings import area_settings, savings_settings
from asta.metrics.rules import (
    SavingsSettings,
    SavingsSplit,
    fill_rate,
    late_cancellation_rate,
    nps_from_counts,
    ratio,
    savings_for_hours,
)
from asta.metrics.schemas import (
    BucketRead,
    CancellationsRead,
    EnpsRead,
    FlowsRead,
    NpsRead,
    OutcomesRead,
    PositionsRead,
    ProfessionalsRead,
    SavingsRead,
    SummaryRead,
    TimeseriesRead,
    UnitMonthRead,
)
from asta.metrics.time import local_today, period_bounds

MAX_DAYS = 3 * 366
# Fixed texts (no numbers filled in), so that the pages show them translated.
PERIOD_REVERSED = "The last day (to) must not be before the first day (from)"
PERIOD_TOO_LONG = "A period can be at most three years"
DEFAULT_DAYS = 30
HOUR = Decimal(3600)
Read = Callable[[AsyncSession, queries.Scope], Awaitable[Any]]


@dataclass(frozen=True)
class MetricsQuery:
    organisation_id: uuid.UUID | None
    unit_id: uuid.UUID | None
    first: date | None
    last: date | None


def _period(query: MetricsQuery) -> tuple[date, date]:
    last = query.last or local_today(utcnow())
    first = query.first or last - timedelta(days=DEFAULT_DAYS - 1)
    if last < first:
        raise InvalidInputError(PERIOD_REVERSED, field="to")
    if (last - first).days > MAX_DAYS:
        raise InvalidInputError(PERIOD_TOO_LONG, field="from")
    return first, last


async def _scope(session: AsyncSession, principal: Principal, query: MetricsQuery,
                 bucket: queries.Bucket | None) -> queries.Scope:
    first, last = _period(query)
    organisations = measured_organisations(principal, query.organisation_id)
    if query.organisation_id is not None and await session.get(
            Organisation, query.organisation_id) is None:
        raise NotFoundError("No such organisation")
    if query.unit_id is not None:
        await unit_in_organisations(session, query.unit_id, organisations)
    start, end = period_bounds(first, last)
    return queries.Scope(organisations, query.unit_id, start, end, bucket)


async def _savings_settings(session: AsyncSession,
                            ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, SavingsSettings]:
    rows = await session.scalars(select(Organisation).where(col(Organisation.id).in_(set(ids))))
    return {o.id: savings_settings(area_settings(o)) for o in rows}


def _savings(splits: Iterable[SavingsSplit]) -> SavingsRead:
    total = area = professionals = platform = 0
    for split in splits:
        total += split.total_cents
        area += split.area_cents
        professionals += split.professionals_cents
        platform += split.platform_cents
    return SavingsRead(total_cents=total, area_cents=area, professionals_cents=professionals,
                       platform_cents=platform)


def _outcomes(contacts: int, resolved: int, referred: int, hours: Decimal) -> OutcomesRead:
    return OutcomesRead(contacts_handled=contacts, resolved_remotely=resolved,
                        referred_to_health_station=referred,
                        contacts_per_hour=ratio(contacts, hours),
                        remote_resolution_share=ratio(resolved, contacts),
                        referral_share=ratio(referred, contacts))


def _nps(row: Any) -> dict[str, Any]:
    if row is None:
        return {"score": None, "answers": 0, "promoters": 0, "detractors": 0}
    return {"score": nps_from_counts(row.promoters, row.detractors, row.answers),
            "answers": row.answers, "promoters": row.promoters, "detractors": row.detractors}


def _hours(seconds: Decimal) -> Decimal:
    return Decimal(seconds) / HOUR


@dataclass
class _Work:
    seconds: Decimal = Decimal(0)
    pay: int = 0
    contacts: int = 0
    resolved: int = 0
    referred: int = 0

    def add(self, row: Any) -> None:
        self.seconds += Decimal(row.seconds)
        self.pay += int(row.pay_cents)
        self.contacts += int(row.contacts)
        self.resolved += int(row.resolved)
        self.referred += int(row.referred)


async def _flows(session: AsyncSession, scope: queries.Scope
                 ) -> tuple[dict[date | None, FlowsRead], list[Any], dict[uuid.UUID, Any]]:
    """Flows per bucket, plus the work rows and savings settings they came from."""
    positions, work_rows, used_rows, enps_rows, patient_rows = await _concurrently(
        scope, queries.positions, queries.work, queries.professionals_used, queries.enps,
        queries.patient_nps)
    positions = {r.bucket: r for r in positions}
    used = {r.bucket: r.used for r in used_rows}
    enps = {r.bucket: r for r in enps_rows}
    patients = {r.bucket: r for r in patient_rows}
    settings = await _savings_settings(session, {r.organisation_id for r in work_rows})

    work: dict[date | None, _Work] = defaultdict(_Work)
    area_seconds: dict[tuple[date | None, uuid.UUID], Decimal] = defaultdict(Decimal)
    for row in work_rows:  # one row per bucket, area, unit and month: already aggregated
        work[row.bucket].add(row)
        area_seconds[(row.bucket, row.organisation_id)] += Decimal(row.seconds)
    splits: dict[date | None, list[SavingsSplit]] = defaultdict(list)
    for (bucket, organisation_id), seconds in area_seconds.items():
        # Each area's saving uses its own parameters, on its own total hours.
        splits[bucket].append(savings_for_hours(_hours(seconds), settings[organisation_id]))

    flows: dict[date | None, FlowsRead] = {}
    for key in set(positions) | set(work) | set(used) | set(enps) | set(patients):
        p, w, e = positions.get(key), work.get(key, _Work()), enps.get(key)
        hours = _hours(w.seconds)
        posted, filled = (int(p.posted), int(p.filled)) if p else (0, 0)
        held, late = (int(p.assignments), int(p.late)) if p else (0, 0)
        flows[key] = FlowsRead(
            professionals_used=used.get(key, 0),
            positions=PositionsRead(
                shifts_posted=p.shifts_posted if p else 0,
                shifts_filled=p.shifts_filled if p else 0, posted=posted, filled=filled,
                fill_rate=fill_rate(filled, posted),
                time_to_fill_median_hours=_per_hour(p.ttf_median_s if p else None),
                time_to_fill_p90_hours=_per_hour(p.ttf_p90_s if p else None)),
            cancellations=CancellationsRead(assignments=held, late=late,
                                            late_rate=late_cancellation_rate(late, held)),
            hours_worked=float(hours), pay_cents=w.pay,
            savings=_savings(splits.get(key, [])),
            enps=EnpsRead(**_nps(e), job_satisfaction=(
                float(e.satisfaction) if e is not None and e.satisfaction is not None else None)),
            patient_nps=NpsRead(**_nps(patients.get(key))),
            outcomes=_outcomes(w.contacts, w.resolved, w.referred, hours))
    return flows, work_rows, settings


async def _concurrently(scope: queries.Scope, *reads: Read) -> list[Any]:
    """Independent aggregations at once, each on its own pooled connection.

    They only read, so they need no shared transaction; a summary then takes as long as
    its slowest aggregation rather than their sum. A larger work_mem keeps the per-shift
    grouping in memory instead of sorting on disk.
    """
    async def run(read: Read) -> Any:
        async with get_database().sessionmaker() as session:
            await session.execute(text("SET LOCAL work_mem = '64MB'"))
            return await read(session, scope)

    return list(await asyncio.gather(*(run(read) for read in reads)))


def _per_hour(seconds: Any) -> float | None:
    return None if seconds is None else float(seconds) / 3600


def _empty_flows() -> FlowsRead:
    return FlowsRead(
        professionals_used=0,
        positions=PositionsRead(shifts_posted=0, shifts_filled=0, posted=0, filled=0,
                                fill_rate=None, time_to_fill_median_hours=None,
                                time_to_fill_p90_hours=None),
        cancellations=CancellationsRead(assignments=0, late=0, late_rate=None),
        hours_worked=0.0, pay_cents=0, savings=_savings([]),
        enps=EnpsRead(**_nps(None), job_satisfaction=None), patient_nps=NpsRead(**_nps(None)),
        outcomes=_outcomes(0, 0, 0, Decimal(0)))


def _scope_ids(scope: queries.Scope) -> list[uuid.UUID] | None:
    return None if scope.organisations is None else sorted(scope.organisations)


async def summary(session: AsyncSession, principal: Principal,
                  query: MetricsQuery) -> SummaryRead:
    scope = await _scope(session, principal, query, None)
    flows, work_rows, settings = await _flows(session, scope)
    pool = await queries.pool(session, scope)
    names = await queries.unit_names(session, {r.unit_id for r in work_rows})
    by_unit_month = []
    for row in sorted(work_rows, key=lambda r: (r.month, names[r.unit_id])):
        hours = _hours(Decimal(row.seconds))
        by_unit_month.append(UnitMonthRead(
            organisation_id=row.organisation_id, unit_id=row.unit_id, unit_name=names[row.unit_id],
            month=row.month, hours_worked=float(hours), pay_cents=int(row.pay_cents),
            savings=_savings([savings_for_hours(hours, settings[row.organisation_id])]),
            outcomes=_outcomes(int(row.contacts), int(row.resolved), int(row.referred), hours)))
    whole = flows.get(None, _empty_flows())
    first, last = _period(query)
    return SummaryRead(
        organisation_ids=_scope_ids(scope), unit_id=scope.unit_id, first=first, last=last,
        professionals=ProfessionalsRead(registered=pool.registered, verified=pool.verified,
                                        onboarded=pool.onboarded, active_30d=pool.active,
                                        used=whole.professionals_used),
        flows=whole, by_unit_month=by_unit_month)


def bucket_starts(first: date, last: date, bucket: queries.Bucket) -> list[date]:
    """Every bucket the period touches, so a chart shows empty weeks as zeros."""
    if bucket == "week":
        current = first - timedelta(days=first.weekday())
    else:
        months = 3 if bucket == "quarter" else 1
        current = first.replace(month=(first.month - 1) // months * months + 1, day=1)
    starts = []
    while current <= last:
        starts.append(current)
        if bucket == "week":
            current += timedelta(days=7)
        else:
            step = 3 if bucket == "quarter" else 1
            index = current.month - 1 + step
            current = current.replace(year=current.year + index // 12, month=index % 12 + 1)
    return starts


async def timeseries(session: AsyncSession, principal: Principal, query: MetricsQuery,
                     bucket: queries.Bucket) -> TimeseriesRead:
    scope = await _scope(session, principal, query, bucket)
    flows, _, _ = await _flows(session, scope)
    first, last = _period(query)
    return TimeseriesRead(
        organisation_ids=_scope_ids(scope), unit_id=scope.unit_id, first=first, last=last,
        bucket=bucket,
        items=[BucketRead(start=start, flows=flows.get(start, _empty_flows()))
               for start in bucket_starts(first, last, bucket)])
