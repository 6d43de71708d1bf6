"""Reading a unit's contact history from CSV: every bad cell named by line and column.

Pure: text in, rows or a list of problems out; nothing is stored unless the whole file reads.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")
INTERVALS = (5, 15, 30, 60)
REQUIRED = ("interval_start", "contacts")
OPTIONAL = ("handled", "abandoned", "average_handling_time_s")
MAX_ROWS = 120_000  # a year of 5-minute intervals in open hours, with room
MAX_PROBLEMS = 20
# The demo unit's history: the format by example, and the file the demo forecasts from.
DEMO_HISTORY = Path(__file__).resolve().parents[1] / "demo_data" / "kaiku24_contact_history.csv"


@dataclass(frozen=True, slots=True)
class HistoryRow:
    starts_at: datetime  # UTC
    contacts: int
    handled: int | None = None
    abandoned: int | None = None
    average_handling_time_s: float | None = None


# What can be wrong with a cell, as English templates; the pages translate the same texts.
MESSAGES = {
    "missing_column": "column missing",
    "unknown_column": "unknown column",
    "too_many_rows": "more than {limit} rows",
    "bad_start": "not a date and time such as 2026-11-02T08:00+02:00",
    "bad_handling_time": "not a number of seconds between 0 and 7200",
    "bad_count": "not a whole number of contacts (0 or more)",
    "duplicate": "the same interval as line {other}",
    "more_than_contacts": "more than the contacts",
    "no_rows": "no rows",
    "bad_interval": "intervals must be 5, 15, 30 or 60 minutes long (this row starts {minutes} "
                    "minutes after the one before)",
    "not_aligned": "does not start on a {minutes}-minute boundary",
}


@dataclass(frozen=True, slots=True)
class Problem:
    line: int
    column: str
    code: str
    params: dict[str, int] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return MESSAGES[self.code].format(**self.params)


@dataclass(frozen=True, slots=True)
class ParsedHistory:
    interval_minutes: int
    rows: list[HistoryRow]


class HistoryFileError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"line {p.line}, {p.column}: {p.message}" for p in problems))
        self.problems = problems


def _start(text: str) -> datetime:
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if moment.tzinfo is None:  # a telephony export in local wall-clock time
        moment = moment.replace(tzinfo=HELSINKI)
    if moment.second or moment.microsecond:
        raise ValueError("seconds")
    return moment.astimezone(UTC)


def _count(text: str) -> int:
    value = int(text.strip())
    if value < 0:
        raise ValueError("negative")
    return value


def parse_history(text: str) -> ParsedHistory:
    """Rows sorted by start; raises HistoryFileError listing the first problems found."""
    problems: list[Problem] = []

    def problem(line: int, column: str, code: str, **params: int) -> None:
        if len(problems) < MAX_PROBLEMS:
            problems.append(Problem(line, column, code, params))

    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    for name in REQUIRED:
        if name not in header:
            problem(1, name, "missing_column")
    for name in header:
        if name not in REQUIRED + OPTIONAL:
            problem(1, name, "unknown_column")
    if problems:
        raise HistoryFileError(problems)
    rows: list[HistoryRow] = []
    seen: dict[datetime, int] = {}
    for record in reader:
        line = reader.line_num
        if len(rows) >= MAX_ROWS:
            problem(line, "interval_start", "too_many_rows", limit=MAX_ROWS)
            break
        values: dict[str, object] = {}
        for name in header:
            raw = (record.get(name) or "").strip()
            if name in OPTIONAL and raw == "":
                continue
            try:
                if name == "interval_start":
                    values[name] = _start(raw)
                elif name == "average_handling_time_s":
                    seconds = float(raw)
                    if not (math.isfinite(seconds) and 0 < seconds <= 7200):
                        raise ValueError("range")
                    values[name] = seconds
                else:
                    values[name] = _count(raw)
            except ValueError:
                problem(line, name, {"interval_start": "bad_start",
                                     "average_handling_time_s": "bad_handling_time"}.get(
                                         name, "bad_count"))
        if any(p.line == line for p in problems):
            continue
        start = values["interval_start"]
        assert isinstance(start, datetime)
        if start in seen:
            problem(line, "interval_start", "duplicate", other=seen[start])
            continue
        seen[start] = line
        contacts = values["contacts"]
        assert isinstance(contacts, int)
        for name in ("handled", "abandoned"):
            part = values.get(name)
            if isinstance(part, int) and part > contacts:
                problem(line, name, "more_than_contacts")
        rows.append(HistoryRow(start, contacts, values.get("handled"),  # type: ignore[arg-type]
                               values.get("abandoned"),  # type: ignore[arg-type]
                               values.get("average_handling_time_s")))  # type: ignore[arg-type]
    if not rows and not problems:
        problem(2, "interval_start", "no_rows")
    interval = _interval(rows, seen, problem) if not problems else 0
    if problems:
        raise HistoryFileError(problems)
    return ParsedHistory(interval, sorted(rows, key=lambda r: r.starts_at))


def _interval(rows: list[HistoryRow], lines: dict[datetime, int],
              problem: Callable[..., None]) -> int:
    """The interval length: the shortest gap between starts, one of 5, 15, 30 or 60 minutes."""
    starts = sorted(r.starts_at for r in rows)
    gaps = [int((b - a).total_seconds() // 60) for a, b in itertools.pairwise(starts)]
    interval = min(gaps, default=60)
    if interval not in INTERVALS:
        at = next((b for a, b in itertools.pairwise(starts)
                   if (b - a).total_seconds() // 60 == interval), starts[0])
        problem(lines[at], "interval_start", "bad_interval", minutes=interval)
        return 0
    for start in starts:
        local = start.astimezone(HELSINKI)
        if (local.hour * 60 + local.minute) % interval:
            problem(lines[start], "interval_start", "not_aligned", minutes=interval)
    return interval
