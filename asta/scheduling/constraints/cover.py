"""Demand: how many people each shift gets, and what is already agreed."""

from __future__ import annotations

from asta.scheduling._model import Model, Penalty


def shift_cover(m: Model) -> list[Penalty]:
    """Staff per shift within its capacity; under- and over-cover are penalised."""
    penalties: list[Penalty] = []
    w = m.problem.weights
    for si, shift in enumerate(m.problem.shifts):
        staff = [m.x[pi, si] for pi in m.staff_of[si]]
        cap = min(shift.capacity, len(staff))
        if staff:
            m.cp.add(sum(staff) <= shift.capacity)
        # A shift nobody can take is a constant penalty, not a variable.
        lack = max(0, shift.positions - len(staff))
        if lack:
            penalties.append(Penalty("fill", shift.under_weight * w.fill, lack))
        reachable = shift.positions - lack
        if not staff:
            continue
        under = m.new_int(0, reachable, f"under[{shift.id}]")
        over = m.new_int(0, max(0, cap - shift.positions), f"over[{shift.id}]")
        m.cp.add(sum(staff) + under - over == reachable)
        if reachable:
            penalties.append(Penalty("fill", shift.under_weight * w.fill, under))
        if cap > shift.positions:
            penalties.append(Penalty("over_cover", shift.over_weight * w.over_cover, over))
    return penalties


def fixed_assignments(m: Model) -> list[Penalty]:
    """Already agreed assignments stay."""
    index = {p.id: pi for pi, p in enumerate(m.problem.professionals)}
    shift_index = {s.id: si for si, s in enumerate(m.problem.shifts)}
    for pid, sid in m.problem.fixed:
        var = m.x.get((index[pid], shift_index[sid]))
        if var is not None:
            m.cp.add(var == 1)
    return []
