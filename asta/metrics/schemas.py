"""API types of the metrics: one summary for a period, and the same per week or month."""

from __future__ import annotations

import uuid
from datetime import date

from asta.core.schemas import Schema


class ProfessionalsRead(Schema):
    registered: int  # in the national pool
    verified: int  # registration verified
    onboarded: int  # to a unit in scope
    active_30d: int  # worked in scope in the 30 days before the period's end
    used: int  # worked in scope in the period


class PositionsRead(Schema):
    shifts_posted: int
    shifts_filled: int
    posted: int
    filled: int
    fill_rate: float | None
    time_to_fill_median_hours: float | None
    time_to_fill_p90_hours: float | None


class CancellationsRead(Schema):
    assignments: int
    late: int
    late_rate: float | None


class SavingsRead(Schema):
    total_cents: int
    area_cents: int
    professionals_cents: int
    platform_cents: int


class NpsRead(Schema):
    score: float | None
    answers: int
    promoters: int
    detractors: int


class EnpsRead(NpsRead):
    job_satisfaction: float | None


class OutcomesRead(Schema):
    contacts_handled: int
    resolved_remotely: int
    referred_to_health_station: int
    contacts_per_hour: float | None
    remote_resolution_share: float | None
    referral_share: float | None


class FlowsRead(Schema):
    """Everything that happens in a period; a summary has one, a time series one per bucket."""

    professionals_used: int
    positions: PositionsRead
    cancellations: CancellationsRead
    hours_worked: float
    pay_cents: int
    savings: SavingsRead
    enps: EnpsRead
    patient_nps: NpsRead
    outcomes: OutcomesRead


class UnitMonthRead(Schema):
    organisation_id: uuid.UUID
    unit_id: uuid.UUID
    unit_name: str
    month: date
    hours_worked: float
    pay_cents: int
    savings: SavingsRead
    outcomes: OutcomesRead


class SummaryRead(Schema):
    organisation_ids: list[uuid.UUID] | None  # None: every area
    unit_id: uuid.UUID | None
    first: date
    last: date
    professionals: ProfessionalsRead
    flows: FlowsRead
    by_unit_month: list[UnitMonthRead]


class BucketRead(Schema):
    start: date
    flows: FlowsRead


class TimeseriesRead(Schema):
    organisation_ids: list[uuid.UUID] | None
    unit_id: uuid.UUID | None
    first: date
    last: date
    bucket: str
    items: list[BucketRead]
