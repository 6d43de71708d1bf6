"""Soft goals: wishes, units, continuity, fairness and cost."""

from __future__ import annotations

from collections import defaultdict

from asta.scheduling._model import Model, Penalty
from asta.scheduling.problem import Request, hourly_cost_units


def _matching(m: Model, pi: int, request: Request) -> list[int]:
    shifts = m.problem.shifts
    return [
        si
        for si in m.day_shifts(pi, request.day)
        if request.kind is None or shifts[si].kind == request.kind
    ]


def shift_on_requests(m: Model) -> list[Penalty]:
    """Penalty `weight` when a wished shift is not worked."""
    w = m.problem.weights.requests
    penalties: list[Penalty] = []
    for pi, prof in enumerate(m.problem.professionals):
        for request in prof.shift_on_requests:
            matching = _matching(m, pi, request)
            if not matching:
                penalties.append(Penalty("requests", request.weight * w, 1))
                continue
            if len(matching) == 1:
                missed = m.x[pi, matching[0]].Not()
            else:
                missed = m.cp.new_bool_var(f"missed[{prof.id},{request.day}]")
                m.cp.add_bool_or([missed, *(m.x[pi, si] for si in matching)])
            penalties.append(Penalty("requests", request.weight * w, missed))
    return penalties


def shift_off_requests(m: Model) -> list[Penalty]:
    """Penalty `weight` for each unwanted shift worked."""
    w = m.problem.weights.requests
    penalties: list[Penalty] = []
    for pi, prof in enumerate(m.problem.professionals):
        for request in prof.shift_off_requests:
            for si in _matching(m, pi, request):
                penalties.append(Penalty("requests", request.weight * w, m.x[pi, si]))
    return penalties


def preferred_units(m: Model) -> list[Penalty]:
    """Penalty per assignment outside the units a person prefers."""
    w = m.problem.weights.preferred_unit
    if not w:
        return []
    shifts = m.problem.shifts
    return [
        Penalty("preferred_unit", w, m.x[pi, si])
        for pi, prof in enumerate(m.problem.professionals)
        if prof.preferred_units
        for si in m.shifts_of[pi]
        if shifts[si].unit not in prof.preferred_units
    ]


def series_continuity(m: Model) -> list[Penalty]:
    """Penalty per person used in a series beyond the first."""
    w = m.problem.weights.continuity
    if not w:
        return []
    series: dict[str, list[int]] = defaultdict(list)
    for si, shift in enumerate(m.problem.shifts):
        if shift.series is not None:
            series[shift.series].append(si)
    penalties: list[Penalty] = []
    for name, members in series.items():
        people = sorted({pi for si in members for pi in m.staff_of[si]})
        if len(people) <= 1:
            continue
        used = []
        for pi in people:
            flag = m.cp.new_bool_var(f"in_series[{name},{pi}]")
            for si in members:
                if (pi, si) in m.x:
                    m.cp.add_implication(m.x[pi, si], flag)
            used.append(flag)
        # `anyone` may be 1 only if somebody works the series; minimising makes it so.
        anyone = m.cp.new_bool_var(f"series_used[{name}]")
        m.cp.add(anyone <= sum(used))
        penalties.append(Penalty("continuity", w, sum(used) - anyone))
    return penalties


def fair_hours(m: Model) -> list[Penalty]:
    """Whole hours between what each person wanted and what they got, summed.

    The sum of absolute deviations is linear and spreads work evenly among
    those who asked for it; a min-max term would leave most people untouched
    by the objective.
    """
    w = m.problem.weights.fairness
    if not w:
        return []
    shifts = m.problem.shifts
    penalties: list[Penalty] = []
    for pi, prof in enumerate(m.problem.professionals):
        if prof.wants_minutes is None:
            continue
        mine = m.shifts_of[pi]
        top = sum(shifts[si].minutes for si in mine)
        total = sum(shifts[si].minutes * m.x[pi, si] for si in mine)
        span = max(top, prof.wants_minutes)
        dev = m.new_int(0, span, f"dev[{prof.id}]")
        m.cp.add_abs_equality(dev, total - prof.wants_minutes)
        hours = m.new_int(0, span // 60, f"dev_hours[{prof.id}]")
        m.cp.add_division_equality(hours, dev, 60)
        penalties.append(Penalty("fairness", w, hours))
    return penalties


def own_pool_and_cost(m: Model) -> list[Penalty]:
    """Prefer a person's own organisation, and cheaper people."""
    weights = m.problem.weights
    shifts = m.problem.shifts
    penalties: list[Penalty] = []
    for pi, prof in enumerate(m.problem.professionals):
        for si in m.shifts_of[pi]:
            shift = shifts[si]
            if weights.own_pool and prof.home_organisation not in (None, shift.organisation):
                penalties.append(Penalty("own_pool", weights.own_pool, m.x[pi, si]))
            cost = hourly_cost_units(prof, shift)
            if weights.cost and cost:
                penalties.append(Penalty("cost", weights.cost * cost, m.x[pi, si]))
    return penalties
