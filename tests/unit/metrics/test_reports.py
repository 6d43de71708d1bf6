"""NPS from counts, time-series buckets, CSV flattening, and area settings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from asta.metrics import MetricsInputError, net_promoter_score, nps_from_counts
from asta.metrics.area_settings import AreaSettings, savings_settings
from asta.metrics.csv_export import flatten
from asta.metrics.services import bucket_starts


@pytest.mark.parametrize("scores", [[], [10, 9, 8, 7, 6], [0, 6, 3], [10, 0, 0], [9, 9, 7]])
def test_nps_from_counts_agrees_with_the_score_list(scores: list[int]) -> None:
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    assert nps_from_counts(promoters, detractors, len(scores)) == net_promoter_score(scores)


def test_nps_counts_must_add_up() -> None:
    with pytest.raises(MetricsInputError):
        nps_from_counts(3, 2, 4)


@pytest.mark.parametrize(("first", "last", "bucket", "starts"), [
    (date(2026, 11, 1), date(2026, 11, 30), "week",
     ["2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30"]),
    (date(2026, 11, 15), date(2027, 2, 1), "month",
     ["2026-11-01", "2026-12-01", "2027-01-01", "2027-02-01"]),
    (date(2026, 5, 15), date(2027, 1, 1), "quarter",
     ["2026-04-01", "2026-07-01", "2026-10-01", "2027-01-01"]),
])
def test_bucket_starts_cover_the_period(first: date, last: date, bucket: str,
                                        starts: list[str]) -> None:
    assert [d.isoformat() for d in bucket_starts(first, last, bucket)] == starts  # type: ignore[arg-type]


def test_flatten_dots_nested_keys_and_skips_lists() -> None:
    assert flatten({"a": {"b": 1, "c": None}, "d": [1], "e": "x"}) == {"a.b": 1, "a.c": "",
                                                                       "e": "x"}


def test_area_settings_become_savings_settings_as_fractions() -> None:
    settings = savings_settings(AreaSettings(agency_margin_pct=25))
    assert settings.agency_margin == Decimal("0.25")
    assert settings.area_share == Decimal("0.5")


def test_shares_that_do_not_add_up_name_the_api_field() -> None:
    with pytest.raises(MetricsInputError) as refused:
        savings_settings(AreaSettings(area_share_pct=60))
    assert refused.value.field == "area_share_pct"
    with pytest.raises(ValidationError):
        AreaSettings(agency_margin_pct=26)
