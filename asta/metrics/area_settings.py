"""A wellbeing area's own parameters: savings model, payout mode, invoicing, surveys.

Kept in `Organisation.settings["economics"]`, so other domains can keep their own keys in
the same column. Missing keys read as the plan's defaults.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import Field

from asta.accounts.models import Organisation
from asta.core.schemas import Schema
from asta.metrics.rules import MetricsInputError, SavingsSettings
from asta.scheduling.schemas_runs import MatchingWeights

SETTINGS_KEY = "economics"
WEIGHTS_KEY = "matching_weights"  # read by the matching runs (asta.scheduling)
PayoutMode = Literal["per_shift", "weekly"]


class AreaSettings(Schema):
    agency_reference_cents_per_month: int = Field(
        default=1_500_000, gt=0, le=10_000_000,
        description="What an agency charges per full-time doctor per month, in cents")
    agency_margin_pct: float = Field(default=20, ge=15, le=25,
                                     description="The agency's margin, 15-25 %")
    full_time_hours_per_month: float = Field(default=160, gt=0, le=744)
    area_share_pct: float = Field(default=50, ge=0, le=100)
    professional_share_pct: float = Field(default=20, ge=0, le=100)
    platform_share_pct: float = Field(default=30, ge=0, le=100)
    payout_mode: PayoutMode = Field(
        default="per_shift",
        description="per_shift: a transfer per approved timesheet; weekly: one per "
                    "professional and week")
    platform_fee_pct: float = Field(default=10, ge=0, le=100,
                                    description="Platform fee invoiced, % of worked pay")
    platform_fee_cents_per_hour: int = Field(default=0, ge=0, le=100_000,
                                             description="Platform fee per worked hour")
    invoice_days_until_due: int = Field(default=14, ge=0, le=90)
    enps_interval_days: int = Field(
        default=91, ge=7, le=366,
        description="At most one eNPS survey per professional and unit in this many days")
    matching_weights: MatchingWeights = Field(
        default_factory=MatchingWeights,
        description="How much the matching optimiser values each goal in this area's runs")


def _fraction(percent: float) -> Decimal:
    return Decimal(str(percent)) / 100


def savings_settings(settings: AreaSettings) -> SavingsSettings:
    """The pure savings parameters; refuses shares that do not add up, naming the field."""
    try:
        return SavingsSettings(
            agency_reference_cents_per_month=settings.agency_reference_cents_per_month,
            agency_margin=_fraction(settings.agency_margin_pct),
            full_time_hours_per_month=Decimal(str(settings.full_time_hours_per_month)),
            area_share=_fraction(settings.area_share_pct),
            professional_share=_fraction(settings.professional_share_pct),
            platform_share=_fraction(settings.platform_share_pct))
    except MetricsInputError as exc:
        field = {"agency_margin": "agency_margin_pct", "area_share": "area_share_pct"}.get(
            exc.field or "", exc.field)
        raise MetricsInputError(exc.message, field=field) from exc


def area_settings(organisation: Organisation) -> AreaSettings:
    stored: dict[str, Any] = (organisation.settings or {}).get(SETTINGS_KEY) or {}
    known = {k: v for k, v in stored.items() if k in AreaSettings.model_fields}
    weights = (organisation.settings or {}).get(WEIGHTS_KEY) or {}
    return AreaSettings.model_validate({**known, WEIGHTS_KEY: weights})


def store_area_settings(organisation: Organisation, settings: AreaSettings) -> None:
    savings_settings(settings)  # refuse before storing
    # A new dict, so SQLAlchemy sees the JSONB column change.
    organisation.settings = {
        **(organisation.settings or {}),
        SETTINGS_KEY: settings.model_dump(mode="json", exclude={WEIGHTS_KEY}),
        WEIGHTS_KEY: settings.matching_weights.model_dump(mode="json")}
