"""Curtois & Qu (2014) shift-scheduling benchmark instances as a `Problem`.

The SECTION_* text format is described in the instance files' own comments.
Each (day, shift type) cover requirement becomes one `Shift` whose positions
are the requirement, with the file's under/over weights; requests become
shift-on/off requests; everything else is a hard rule. Shift start times are
not part of the format, so each shift starts at its day's midnight: only the
day, the kind and the length matter to the rules the format has.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from asta.scheduling.problem import (
    MINUTES_PER_DAY,
    Problem,
    Professional,
    Request,
    Rules,
    Shift,
    Weights,
)


def _sections(text: str) -> dict[str, list[list[str]]]:
    sections: dict[str, list[list[str]]] = defaultdict(list)
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            current = line
            sections[current]
            continue
        sections[current].append([field.strip() for field in line.split(",")])
    return sections


def shift_id(day: int, kind: str) -> str:
    return f"{day}:{kind}"


def parse(text: str) -> Problem:
    sec = _sections(text)
    horizon = int(sec["SECTION_HORIZON"][0][0])
    lengths: dict[str, int] = {}
    successions: set[tuple[str, str]] = set()
    for row in sec["SECTION_SHIFTS"]:
        kind, length = row[0], int(row[1])
        lengths[kind] = length
        followers = row[2] if len(row) > 2 else ""
        for nxt in filter(None, followers.split("|")):
            successions.add((kind, nxt))

    days_off: dict[str, set[int]] = defaultdict(set)
    for row in sec.get("SECTION_DAYS_OFF", []):
        days_off[row[0]].update(int(d) for d in row[1:] if d)
    on: dict[str, list[Request]] = defaultdict(list)
    for row in sec.get("SECTION_SHIFT_ON_REQUESTS", []):
        on[row[0]].append(Request(int(row[1]), row[2], int(row[3])))
    off: dict[str, list[Request]] = defaultdict(list)
    for row in sec.get("SECTION_SHIFT_OFF_REQUESTS", []):
        off[row[0]].append(Request(int(row[1]), row[2], int(row[3])))

    staff_rows = sec["SECTION_STAFF"]
    professionals = []
    for row in staff_rows:
        pid = row[0]
        max_per_kind = {}
        for item in filter(None, row[1].split("|")):
            kind, limit = item.split("=")
            max_per_kind[kind] = int(limit)
        professionals.append(
            Professional(
                id=pid,
                max_shifts_per_kind=max_per_kind,
                max_minutes=int(row[2]),
                min_minutes=int(row[3]),
                max_consecutive_days=int(row[4]),
                min_consecutive_days=int(row[5]),
                min_consecutive_days_off=int(row[6]),
                max_weekends=int(row[7]),
                days_off=frozenset(days_off[pid]),
                shift_on_requests=tuple(on[pid]),
                shift_off_requests=tuple(off[pid]),
            )
        )

    shifts = []
    for row in sec["SECTION_COVER"]:
        day, kind = int(row[0]), row[1]
        start = day * MINUTES_PER_DAY
        shifts.append(
            Shift(
                id=shift_id(day, kind),
                day=day,
                start=start,
                end=start + lengths[kind],
                kind=kind,
                positions=int(row[2]),
                under_weight=int(row[3]),
                over_weight=int(row[4]),
                max_staff=len(staff_rows),
            )
        )
    # Cover rows list every (day, kind) in the published instances; any that
    # is missing is a shift nobody needs, kept so that working it is possible.
    listed = {s.id for s in shifts}
    for day in range(horizon):
        for kind, length in lengths.items():
            if shift_id(day, kind) not in listed:
                start = day * MINUTES_PER_DAY
                shifts.append(
                    Shift(shift_id(day, kind), day, start, start + length, kind, positions=0,
                          under_weight=0, over_weight=0, max_staff=len(staff_rows))
                )
    return Problem(
        shifts=tuple(shifts),
        professionals=tuple(professionals),
        rules=Rules(
            min_rest_minutes=0,
            forbidden_successions=frozenset(successions),
            one_shift_per_day=True,
            first_weekday=0,
        ),
        weights=Weights(fill=1, over_cover=1, requests=1),
        days=horizon,
    )


def load(path: str | Path) -> Problem:
    return parse(Path(path).read_text(encoding="utf-8"))


def roster_rows(problem: Problem, assignments: list[tuple[str, str]]) -> list[tuple[str, int, str]]:
    """(employee, day, shift type) rows for a solution file."""
    shifts = problem.shift_by_id()
    rows = [(pid, shifts[sid].day, shifts[sid].kind) for pid, sid in assignments]
    return sorted(rows, key=lambda r: (r[0], r[1]))
