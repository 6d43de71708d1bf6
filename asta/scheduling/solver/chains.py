"""Ejection chains by the days programme: moves longer than any time window.

On 26 weeks a person's runs are packed tight (Instance20: 115 of 182 days in runs of two to
five, days off in twos), so meeting one more wish can shift their runs for months, which no
window of a few days holds and a 'people' step finds only when it frees the right four.
A chain starts with one person, the likelier the more wishes their roster leaves unmet, taking
their exact best roster (`dp_pricing`) with open positions charged a small share of their
price, so they give up cover for their wishes. Then,
up to `DEPTH` times, of the `CANDIDATES` people best placed to fill what the chain opened (off
that day, or on an over-covered shift), the one who gains most by their exact best roster
against the true cover takes it. Each follower's change is cheaper for the roster by itself;
the first is not, so the chain is kept only where the whole roster ends cheaper. A chain that
met wishes but left an open position or two that no single follower could fill is handed back
`Unfilled`: a window step over its people and the best placed others, around those days, may
fill them by moving several people at once (`WindowLns`).
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass

from asta.scheduling.evaluator import cover_costs, evaluate, person_cost
from asta.scheduling.problem import Problem
from asta.scheduling.solver.construct import rewards_without, worked
from asta.scheduling.solver.dp_pricing import DaysPricer
from asta.scheduling.solver.labelling import Late
from asta.scheduling.solver.lns import Incumbent, Values, assigned

HOLE_SHARE = 0.02
"""Share of an open position's price the chain's first person pays for leaving one."""
DEPTH = 6
"""Followers a chain may take at most."""
CANDIDATES = 4
"""Followers priced at each link: those best placed to fill the chain's open positions."""
FINISH_HOLES = 2
"""Open positions a chain may leave and still be handed to a window step to finish."""
FINISH_OTHERS = 4
"""People that window step frees besides the chain's: those best placed to fill."""
SLOW_CALL_S = 0.2
"""A chain stops, and no more are made, once a days programme call takes more processor time
than this, smoothed (Instance20 0.036 s, up to about 0.1 s by the wall clock beside the other thread;
synthetic 26 weeks: 40 x 26 x 3 0.07 s, 100 x 26 x 8 0.36 s, 60 x 26 x 12 0.53 s, where a
chain would take 10 s)."""


@dataclass(frozen=True)
class _Start:
    """A roster chains start from, as they read it; never changed once made."""

    base: Incumbent
    mine: list[set[int]]
    """Each person's shifts."""
    staff: list[int]
    """Each shift's staff."""
    own: list[int]
    """Each person's own cost (`person_cost`)."""


@dataclass(frozen=True)
class Unfilled:
    """A chain whose only loss is open positions no follower filled: its roster, the open
    positions' days and the people a window step may re-roster around them."""

    roster: Incumbent
    days: frozenset[int]
    people: frozenset[int]


class Chains:
    def __init__(self, problem: Problem, shifts_of: list[list[int]], pricers: list[DaysPricer]) -> None:
        self.problem = problem
        self.shifts_of = shifts_of
        self.pricers = pricers
        self.call_s = 0.0
        """A days programme call's time, smoothed."""
        self.series = bool(problem.weights.continuity) and any(s.series is not None for s in problem.shifts)
        self._start: _Start | None = None
        """The last chain's starting roster: the search keeps one for many chains (most find
        nothing), and its threads share this."""

    @classmethod
    def of(cls, problem: Problem, shifts_of: list[list[int]]) -> Chains | None:
        """Chains over `problem`; None unless the days programme models everybody (each link is
        one exact call)."""
        pricers = [DaysPricer(problem, pi, mine) for pi, mine in enumerate(shifts_of)]
        if any(pricer.days is None for pricer in pricers):
            return None
        return cls(problem, shifts_of, pricers)

    def step(self, base: Incumbent, rng: random.Random, deadline: float | None = None) -> Incumbent | None:
        """One chain from `base`: the roster it leads to if cheaper, else None (also when
        `deadline`, on `time.monotonic()`, passes first)."""
        found = self.attempt(base, rng, deadline)
        return found if isinstance(found, Incumbent) else None

    def attempt(
        self, base: Incumbent, rng: random.Random, deadline: float | None = None
    ) -> Incumbent | Unfilled | None:
        """As `step`, but a chain whose only loss is up to `FINISH_HOLES` open positions comes
        back `Unfilled`, for a window step to finish."""
        try:
            chain = self._chain(base, rng, deadline)
        except Late:
            return None
        if chain is None:
            return None
        start, mine, staff, chained, left = chain
        objective = base.objective + self._change(start, mine, chained)
        shifts = self.problem.shifts
        holes = [si for si in left if staff[si] < min(shifts[si].positions, start.staff[si])]
        holes_cost = sum(self.problem.weights.fill * shifts[si].under_weight for si in holes)
        unfilled = objective >= base.objective
        if unfilled and (
            self.series or not 0 < len(holes) <= FINISH_HOLES or objective - base.objective > holes_cost
        ):
            return None  # dearer, and not only by open positions a window step might fill
        values: Values = dict(base.values)
        for pi in chained:
            values.update(dict.fromkeys(((pi, si) for si in start.mine[pi]), 0))
            values.update(dict.fromkeys(((pi, si) for si in mine[pi]), 1))
        if unfilled:
            days = {shifts[si].day for si in holes}
            others = sorted((pi for pi in range(len(mine)) if pi not in chained),
                            key=lambda pi: (-_placed(mine[pi], days, staff, self.problem), rng.random()))
            people = frozenset(chained | set(others[:FINISH_OTHERS]))
            return Unfilled(Incumbent(values, objective), frozenset(days), people)
        if self.series:  # continuity couples people: priced on the whole roster
            objective = evaluate(self.problem, assigned(self.problem, values)).objective
        return Incumbent(values, objective) if objective < base.objective else None

    def _chain(
        self, base: Incumbent, rng: random.Random, deadline: float | None
    ) -> tuple[_Start, list[set[int]], list[int], set[int], set[int]] | None:
        """The chain's rosters, staff, people and the shifts they left; None if the first
        person keeps their roster."""
        shifts = self.problem.shifts
        start = self._from(base)
        mine, staff, own = [set(theirs) for theirs in start.mine], list(start.staff), start.own

        def move(pi: int, roster: frozenset[int]) -> None:
            for si in mine[pi]:
                staff[si] -= 1
            mine[pi] = set(roster)
            for si in roster:
                staff[si] += 1

        def rewards(pi: int) -> dict[int, float | None]:
            return rewards_without(self.problem, self.shifts_of[pi], mine[pi], staff)

        first = self._first(own, rng)
        cheap = {si: _open_cheap(self.problem, si, r) for si, r in rewards(first).items()}
        roster = self._best(first, cheap, deadline)
        if roster is None or roster == mine[first]:
            return None
        left = set(mine[first])
        move(first, roster)
        chained = {first}
        for _ in range(DEPTH):
            holes = {si for si in left if staff[si] < shifts[si].positions}
            if not holes:
                break
            days = {shifts[si].day for si in holes}
            able = [pi for pi, theirs in enumerate(self.shifts_of)
                    if pi not in chained and not holes.isdisjoint(theirs)]
            placed = {pi: _placed(mine[pi], days, staff, self.problem) for pi in able}
            able.sort(key=lambda pi: (-placed[pi], rng.random()))
            gain, taker, taken = 0.0, -1, frozenset[int]()
            for pi in able[:CANDIDATES]:
                true = rewards(pi)
                found = self._best(pi, true, deadline)
                if found is None:
                    continue
                person = self.pricers[pi].person
                gained = person.cost_of(frozenset(mine[pi]), true) - person.cost_of(found, true)
                if gained > gain:
                    gain, taker, taken = gained, pi, found
            if taker < 0:
                break
            left |= mine[taker]
            move(taker, taken)
            chained.add(taker)
        return start, mine, staff, chained, left

    def _from(self, base: Incumbent) -> _Start:
        start = self._start
        if start is None or start.base is not base:
            mine, staff = worked(self.problem, base.values)
            shifts = self.problem.shifts
            own = [person_cost(self.problem, prof, [shifts[si] for si in theirs])
                   for prof, theirs in zip(self.problem.professionals, mine, strict=True)]
            start = self._start = _Start(base, mine, staff, own)
        return start

    def _change(self, start: _Start, after: list[set[int]], chained: set[int]) -> int:
        """What the chain changes in the objective: the chained people's own costs and the cover
        of the shifts they left or took (continuity aside)."""
        problem, w = self.problem, self.problem.weights
        shifts = problem.shifts
        change = 0
        moved: dict[int, int] = {}
        for pi in chained:
            theirs = [shifts[si] for si in after[pi]]
            change += person_cost(problem, problem.professionals[pi], theirs) - start.own[pi]
            for si in start.mine[pi] ^ after[pi]:
                moved[si] = moved.get(si, 0) + (1 if si in after[pi] else -1)
        for si, by in moved.items():
            staff = start.staff[si]
            change += sum(cover_costs(w, shifts[si], staff + by)) - sum(cover_costs(w, shifts[si], staff))
        return change

    def _first(self, own: list[int], rng: random.Random) -> int:
        """The chain's first person, drawn in proportion to what their roster costs beyond cover
        (on Instance20, their unmet wishes), one more than that so that everybody can be drawn.
        Instance20, 60 s, seeds 2 and 11-26 in alternation with a uniform draw: median 5,196
        against 5,212, mean 33 lower, better on 10 of 17, and no seed above 5,250 (five of the
        uniform draw's were; journal, forty-seventh pass)."""
        return rng.choices(range(len(own)), weights=[1 + cost for cost in own])[0]

    def _best(
        self, pi: int, rewards: dict[int, float | None], deadline: float | None
    ) -> frozenset[int] | None:
        duals = {si: -math.inf if reward is None else reward for si, reward in rewards.items()}
        pricer = self.pricers[pi]
        # A person's first call also plans their days: it says little about the next ones.
        planned = pricer.days is not None and pricer.days.planned
        # The call's own processor time: waiting for the other search thread or another
        # process is not the call being slow (by the wall clock a passing load stopped the
        # chains for the rest of 3 runs in 32 on Instance20).
        began = time.thread_time()
        try:
            found = pricer.best(duals, 1, deadline=deadline)
        finally:
            if planned:
                # Smoothed from nothing: one long call is not a slow programme, five or so in a
                # row are (an Instance20 run made 2 chains where the others made 24-47).
                self.call_s = 0.8 * self.call_s + 0.2 * (time.thread_time() - began)
        if self.slow:
            raise Late
        return found[0][0] if found else None

    @property
    def slow(self) -> bool:
        return self.call_s > SLOW_CALL_S


def _open_cheap(problem: Problem, si: int, reward: float | None) -> float | None:
    """A shift's reward with an open position's share cut to `HOLE_SHARE`."""
    fill = problem.weights.fill * problem.shifts[si].under_weight
    return reward * HOLE_SHARE if reward is not None and reward >= fill else reward


def _placed(theirs: set[int], days: set[int], staff: list[int], problem: Problem) -> int:
    """How well someone is placed to fill on `days`: each of those days off, or on an
    over-covered shift, counts one."""
    worked = {problem.shifts[si].day: si for si in theirs}
    return sum(
        1 for day in days
        if day not in worked or staff[worked[day]] > problem.shifts[worked[day]].positions
    )
