"""Metrics as CSV: nested figures flattened to dotted column names."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from asta.metrics.schemas import SummaryRead, TimeseriesRead


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """{"a": {"b": 1}} -> {"a.b": 1}; lists are left out (they get their own rows)."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        elif not isinstance(value, list):
            flat[name] = "" if value is None else value
    return flat


def _write(rows: Iterable[list[Any]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def summary_csv(summary: SummaryRead) -> str:
    """Two columns, metric and value, then one row per unit and month."""
    flat = flatten(summary.model_dump(mode="json"))
    rows: list[list[Any]] = [["metric", "value"], *([k, v] for k, v in flat.items())]
    for line in summary.by_unit_month:
        for key, value in flatten(line.model_dump(mode="json")).items():
            rows.append([f"by_unit_month.{line.unit_id}.{line.month}.{key}", value])
    return _write(rows)


def timeseries_csv(series: TimeseriesRead) -> str:
    """One row per bucket."""
    flat = [flatten(item.model_dump(mode="json")) for item in series.items]
    header = list(flat[0]) if flat else ["start"]
    return _write([header, *([row.get(k, "") for k in header] for row in flat)])
