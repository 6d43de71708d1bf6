"""The days programme's structure (`dp_pricing.Days`): what the duals do not change.

A state (run, rest run, yesterday's kind) holds an array over minutes worked, weekends used
and shifts of counted kinds. Each state's array is one row of a day's matrix, flattened with
room at the end of every axis for what a step moves past its limit (cleared after each
day), so a step is a shift of a whole row by one offset. A day's steps are laid out rank by
rank (each state's first step, then the second step of the states that have one, and so on,
the states with the most steps first), so that `Days.best` takes a day in a few array
operations for all its states at once, where a step per state took a dozen (Instance20:
about 180 ms a call before, 36 ms after; `benchmarks/pricing.py`). The cells a roster can
pass through each day (`Block`) are worked out here too, and a day computes only those.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from asta.scheduling.problem import is_weekend
from asta.scheduling.solver.labelling import Person

State = tuple[int, bool, int, str | None]
"""(run of work days, run exempt from its minimum, run of days off, yesterday's kind)."""


@dataclass(frozen=True)
class Axes:
    """The cells of a state's array: weekends used x minute steps x each counted kind."""

    counted: tuple[str, ...]
    unit: int
    """Minutes of one step along the minutes axis."""
    complement: tuple[str, int] | None
    """A counted kind whose axis counts the other shifts, and the most it counts."""
    shape: tuple[int, ...]
    padded: tuple[int, ...]
    """The shape with room past each limit for the longest step along the axis."""
    strides: tuple[int, ...]
    cells: int
    """Of a padded row."""
    margin: int
    """Room before a row, so that a step's source cells are a slice of the previous day's rows."""
    beyond: np.ndarray
    """Cells past a limit on some axis."""
    last: np.ndarray
    """Cells on the saturating axis's last index (within every other limit)."""

    @property
    def saturating(self) -> int | None:
        """The axis whose last cell means "at least this many" (a complement)."""
        return 2 + self.counted.index(self.complement[0]) if self.complement else None


def axes_of(person: Person, counted: tuple[str, ...]) -> Axes:
    shifts = person.problem.shifts
    minutes = [shifts[si].minutes for si in person.mine]
    unit = math.gcd(*minutes) if person.track_minutes and minutes else 1
    limits = person.prof.max_shifts_per_kind
    steps = person.max_minutes // unit
    complement = None
    # Where every shift is one step of minutes, a high limit is kept by counting the other
    # shifts up to what the limit leaves: a far shorter axis.
    if person.track_minutes and all(m == unit for m in minutes):
        fewest = min(counted, key=lambda kind: steps - limits[kind], default=None)
        if fewest is not None and 0 < steps - limits[fewest] < limits[fewest]:
            complement = (fewest, steps - limits[fewest])
    shape = (
        person.max_weekends + 1 if person.max_weekends is not None else 1,
        steps + 1 if person.track_minutes else 1,
        *((complement[1] if complement and kind == complement[0] else limits[kind]) + 1 for kind in counted),
    )
    longest = max(minutes, default=0) // unit
    pads = (int(shape[0] > 1), longest if person.track_minutes else 0, *(1 for _ in counted))
    padded = tuple(n + pad for n, pad in zip(shape, pads, strict=True))
    strides = tuple(math.prod(padded[a + 1:]) for a in range(len(padded)))
    within = np.zeros(padded, dtype=bool)
    within[tuple(slice(0, n) for n in shape)] = True
    last = np.zeros(0, dtype=np.intp)
    if complement is not None:
        axis = 2 + counted.index(complement[0])
        at_cap = np.zeros(padded, dtype=bool)
        at_cap[tuple(slice(n - 1, n) if a == axis else slice(0, n) for a, n in enumerate(shape))] = True
        last = np.flatnonzero(at_cap.ravel())
    return Axes(
        counted, unit, complement, shape, padded, strides, math.prod(padded),
        sum(pad * stride for pad, stride in zip(pads, strides, strict=True)),
        np.flatnonzero(~within.ravel()), last,
    )


Block = tuple[slice, slice, slice]
"""The cells of a day that `Days.best` computes: its states, the first weekend counts, and in
each, a run of minute steps (with every counted kind's cells)."""


@dataclass(frozen=True, slots=True)
class Plan:
    """A person's days, their states and the steps between them, laid out for `Days.best`."""

    sizes: list[int]
    """States at the end of each day; index 0 is before the first day."""
    natural: list[int]
    """The last day's states in the order they were first reached: ties between rosters of
    one cost are broken in that order, as the programme did state by state (the descent
    follows these choices; its rosters came out better so)."""
    steps: list[np.ndarray]
    """Per day (from the first), its steps, rank by rank."""
    reads: list[np.ndarray]
    """Where the same steps' source cells begin in `Days.best`'s room (the previous day's
    states, a margin before each)."""
    ranks: list[tuple[int, ...]]
    """Per day, how many states have a second step, a third, and so on."""
    into: list[np.ndarray]
    """Per day, where each state's steps begin (and the last end), to read a roster back."""
    source: np.ndarray
    offset: np.ndarray
    group: np.ndarray
    """The group of what a step does, whose cost the call works out: the cheapest shift
    of one kind and length that day, or the day off (the groups after the shift groups)."""
    saturates: np.ndarray
    """Whether a step moves along the saturating axis."""
    charged: np.ndarray
    """Whether a step pays the half-weekend charge: a weekend worked on one day of two,
    charged on its second day."""
    members: np.ndarray
    """The shifts of every shift group, group by group."""
    member_starts: np.ndarray
    base: np.ndarray
    """Each member's cost before its dual."""
    off_costs: np.ndarray
    ranked: np.ndarray
    """Every day's steps, rank by rank, one day after the other."""
    blocks: list[Block] | None
    """Per day (index 0 before the first), the cells a roster can pass through: the rest are
    never reached or can no longer reach the minimum of minutes, and the programme skips them
    (Instance20: 4 % of the cells, 15-18 ms a call against 31-35 ms). None where no roster
    reaches the minimum."""
    clears: list[Block | None]
    """Per day, the block before it where the day's does not cover it: cleared before the day's
    is written, so that no cell outside a day's block is read."""


_Step = tuple[int, int, int, bool, bool]
"""(source state, offset, group, charged, moves along the saturating axis)."""


def plan_of(person: Person, axes: Axes) -> Plan:
    p = person
    members, member_starts, moves = _shift_groups(p, axes)
    days_off = len(member_starts)  # the group of day d off is days_off + d
    weekend = [is_weekend(p.problem.rules, day) for day in range(p.horizon)]
    states: list[State] = [(0, False, p.min_off, None)]
    natural = [0]
    steps: list[_Step] = []
    order: list[list[int]] = []
    ranks: list[tuple[int, ...]] = []
    into: list[np.ndarray] = []
    sizes = [1]
    for day in range(p.horizon):
        steps_in: dict[State, list[_Step]] = {}
        # A weekend's second day: its first, if worked, has counted the weekend already, and a
        # weekend worked on one day of the two is charged here.
        second = weekend[day] and day > 0 and weekend[day - 1]
        counts_weekend = axes.strides[0] if axes.shape[0] > 1 and weekend[day] else 0
        for k in natural:
            run, exempt, off, yesterday = states[k]
            off_run = p.after_rest(run, exempt, off)
            if off_run is not None:
                steps_in.setdefault((0, False, off_run, None), []).append(
                    (k, 0, days_off + day, second and run > 0, False))
            after = p.after_work(run, exempt, off, day)
            if after is None:
                continue
            moved = 0 if second and run else counts_weekend
            for g, kind, flat, to_cap in moves[day]:
                if yesterday is None or (yesterday, kind) not in p.successions:
                    steps_in.setdefault((*after, 0, kind if p.successions else None), []).append(
                        (k, flat + moved, g, second and run == 0, to_cap))
        ordered = sorted(steps_in.items(), key=lambda item: -len(item[1]))
        position = {state: k for k, (state, _) in enumerate(ordered)}
        natural = [position[state] for state in steps_in]
        states = [state for state, _ in ordered]
        begins = [len(steps)]
        for _, state_steps in ordered:
            steps.extend(state_steps)
            begins.append(len(steps))
        having = _having(begins)
        order.append([begins[k] + rank for rank, n in enumerate(having) for k in range(n)])
        ranks.append(tuple(having[1:]))
        into.append(np.array(begins, dtype=np.intp))
        sizes.append(len(states))
    source, offset, group, charged, saturates = (
        np.array(column) for column in (zip(*steps, strict=True) if steps else [[]] * 5)
    )
    read = source.astype(np.intp) * (axes.margin + axes.cells) + axes.margin - offset
    by_rank = [np.array(rows, dtype=np.intp) for rows in order]
    source, offset = source.astype(np.intp), offset.astype(np.intp)
    blocks = _blocks(p, axes, sizes, into, source, offset)
    return Plan(
        sizes, natural, by_rank, [read[rows] for rows in by_rank], ranks, into,
        source, offset, group.astype(np.intp), saturates.astype(bool),
        charged.astype(bool), np.array(members, dtype=np.intp),
        np.array(member_starts, dtype=np.intp), np.array([p.base[si] for si in members]),
        np.array(p.off_cost, dtype=float), np.concatenate(by_rank) if by_rank else np.zeros(0, dtype=np.intp),
        blocks, _clears(blocks) if blocks is not None else [],
    )


def _blocks(
    p: Person, axes: Axes, sizes: list[int], into: list[np.ndarray], source: np.ndarray, offset: np.ndarray
) -> list[Block] | None:
    """Each day's `Block`: up to the most minute steps and weekends any path into the day's
    states has worked, from the fewest minute steps that can still reach the minimum with the
    most the rest of the horizon allows from any of them."""
    steps = offset % axes.strides[0] // axes.strides[1]
    weekends = offset // axes.strides[0] if axes.shape[0] > 1 else np.zeros_like(offset)
    into_state = [np.repeat(np.arange(len(ends) - 1), np.diff(ends)) for ends in into]
    rows_of = [np.arange(ends[0], ends[-1]) for ends in into]
    most, most_weekends = [np.zeros(1, dtype=np.intp)], [np.zeros(1, dtype=np.intp)]
    for day, rows in enumerate(rows_of):
        for reached, moved in ((most, steps), (most_weekends, weekends)):
            out = np.full(sizes[day + 1], -1, dtype=np.intp)
            np.maximum.at(out, into_state[day], reached[day][source[rows]] + moved[rows])
            reached.append(out)
    to_go = [np.zeros(sizes[-1], dtype=np.intp)]
    for day in range(len(rows_of) - 1, -1, -1):
        rows = rows_of[day]
        out = np.zeros(sizes[day], dtype=np.intp)
        np.maximum.at(out, source[rows], steps[rows] + to_go[0][into_state[day]])
        to_go.insert(0, out)
    need = -(-p.prof.min_minutes // axes.unit) if p.track_minutes else 0
    blocks = []
    for size, m, w, go in zip(sizes, most, most_weekends, to_go, strict=True):
        low, high = max(0, need - int(go.max())), min(axes.shape[1] - 1, int(m.max()))
        if low > high:
            return None
        cells = slice(low * axes.strides[1], (high + 1) * axes.strides[1])
        blocks.append((slice(0, size), slice(0, min(axes.shape[0], int(w.max()) + 1)), cells))
    return blocks


def _clears(blocks: list[Block]) -> list[Block | None]:
    """Per day, the block of `Days.best`'s room to clear before the day's is written: the day
    before's, unless the day's covers it."""
    def covers(block: Block, other: Block) -> bool:
        (_, rows, cells), (_, inner_rows, inner) = block, other
        return bool(inner_rows.stop <= rows.stop and cells.start <= inner.start <= inner.stop <= cells.stop)

    pairs = itertools.pairwise(blocks)
    return [None, *(None if covers(block, before) else before for before, block in pairs)]


def _having(begins: list[int]) -> list[int]:
    """How many states have a step of each rank, from where each state's steps begin (the
    states with the most first): a prefix of them for every rank."""
    lengths = [b - a for a, b in itertools.pairwise(begins)]
    having = []
    n = len(lengths)
    for rank in range(lengths[0] if lengths else 0):
        while lengths[n - 1] <= rank:
            n -= 1
        having.append(n)
    return having


Moves = list[list[tuple[int, str, int, bool]]]


def _shift_groups(p: Person, axes: Axes) -> tuple[list[int], list[int], Moves]:
    """Each day's shifts by kind and length: their members (group by group), where each
    group's begin, and per day each group's index, kind, offset in a row (but for a weekend)
    and whether it moves along the saturating axis."""
    members: list[int] = []
    starts: list[int] = []
    moves: Moves = []
    others = axes.complement[0] if axes.complement else None
    saturating = axes.saturating
    for day in range(p.horizon):
        by_kind: dict[tuple[str, int], list[int]] = {}
        for s in p.by_day.get(day, ()):
            steps = s.minutes // axes.unit if p.track_minutes else 0
            by_kind.setdefault((s.kind, steps), []).append(p.index[s.id])
        today = []
        # In the order of their shifts, as ties between rosters were broken.
        for (kind, steps), mine in sorted(by_kind.items(), key=lambda item: min(item[1])):
            moved = (0, steps, *(int(kind != c if c == others else kind == c) for c in axes.counted))
            flat = sum(m * s for m, s in zip(moved, axes.strides, strict=True))
            today.append((len(starts), kind, flat, saturating is not None and moved[saturating] > 0))
            starts.append(len(members))
            members.extend(mine)
        moves.append(today)
    return members, starts, moves
