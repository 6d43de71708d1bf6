"""Rules over runs of working days and weekends.

Runs are encoded as short clauses over sliding windows of 'works on day'
literals rather than automata: each clause forbids one too-short or too-long
pattern, which propagates as well and keeps the LP relaxation tight.
"""

from __future__ import annotations

from asta.scheduling._model import BoolVar, Model, Penalty
from asta.scheduling.problem import is_weekend, weekend_index


def _work_row(m: Model, pi: int) -> list[BoolVar | None]:
    return [m.work(pi, day) for day in range(m.problem.horizon_days)]


def max_consecutive_days(m: Model) -> list[Penalty]:
    """In every window of limit + 1 days at least one day is off."""
    for pi, prof in enumerate(m.problem.professionals):
        limit = prof.max_consecutive_days
        if limit is None:
            continue
        row = _work_row(m, pi)
        for first in range(len(row) - limit):
            window = [lit for lit in row[first : first + limit + 1] if lit is not None]
            if len(window) == limit + 1:
                m.cp.add_bool_or([lit.Not() for lit in window])
    return []


def min_consecutive_days(m: Model) -> list[Penalty]:
    """A run of work that starts inside the period lasts at least the minimum.

    Clause per (start day, offset): off yesterday and on today implies on at
    day + offset. A run touching either edge of the period is exempt.
    """
    for pi, prof in enumerate(m.problem.professionals):
        need = prof.min_consecutive_days
        if need <= 1:
            continue
        row = _work_row(m, pi)
        for day in range(1, len(row)):
            today = row[day]
            if today is None:
                continue
            yesterday = row[day - 1]
            for offset in range(1, need):
                if day + offset >= len(row):
                    break
                later = row[day + offset]
                clause = [today.Not()]
                if yesterday is not None:
                    clause.append(yesterday)
                if later is not None:
                    clause.append(later)
                m.cp.add_bool_or(clause)
    return []


def min_consecutive_days_off(m: Model) -> list[Penalty]:
    """A run of days off that starts inside the period lasts at least the minimum."""
    for pi, prof in enumerate(m.problem.professionals):
        need = prof.min_consecutive_days_off
        if need <= 1:
            continue
        row = _work_row(m, pi)
        for day in range(1, len(row)):
            yesterday = row[day - 1]
            if yesterday is None:
                continue  # an off-run cannot start today after a day off
            today = row[day]
            for offset in range(1, need):
                if day + offset >= len(row):
                    break
                later = row[day + offset]
                if later is None:
                    continue  # off then anyway
                clause = [yesterday.Not(), later.Not()]
                if today is not None:
                    clause.append(today)
                m.cp.add_bool_or(clause)
    return []


def max_working_weekends(m: Model) -> list[Penalty]:
    """A weekend counts as worked if Saturday or Sunday is."""
    rules = m.problem.rules
    for pi, prof in enumerate(m.problem.professionals):
        limit = prof.max_weekends
        if limit is None:
            continue
        weekends: dict[int, list[BoolVar]] = {}
        for day in range(m.problem.horizon_days):
            lit = m.work(pi, day)
            if lit is not None and is_weekend(rules, day):
                weekends.setdefault(weekend_index(rules, day), []).append(lit)
        if len(weekends) <= limit:
            continue
        worked = []
        for index, lits in weekends.items():
            if len(lits) == 1:
                worked.append(lits[0])
                continue
            flag = m.cp.new_bool_var(f"weekend[{pi},{index}]")
            for lit in lits:
                m.cp.add_implication(lit, flag)
            worked.append(flag)
        m.cp.add(sum(worked) <= limit)
    return []

