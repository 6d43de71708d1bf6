"""Large-neighbourhood search by time windows: a small CP-SAT model per step.

Each step cuts a window of days out of the roster (`window.cut`): everybody's
cells on a few free days, or a few people's cells over a longer stretch, with
the rest of the window pinned and the horizon-wide limits narrowed by the
roster outside. Building that model costs what its window costs, not what the
horizon costs, which is what makes steps fast on 26 and 52 weeks. A step's
objective differs from the whole roster's by a constant, so the whole
objective moves by the step's improvement. Windows are drawn where the cover
penalty is heaviest half of the time; their length grows while steps are
proven optimal quickly and shrinks when they time out.
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from asta.scheduling.evaluator import evaluate
from asta.scheduling.problem import Problem
from asta.scheduling.solver.built import build
from asta.scheduling.solver.chains import Chains, Unfilled
from asta.scheduling.solver.cp import new_solver
from asta.scheduling.solver.lns import Incumbent, Values, assigned, run_threads
from asta.scheduling.solver.weekends import half_weekends, weekends_scarce
from asta.scheduling.solver.window import Window, cut, roster_in

KINDS = ("days", "people", "chains")
KIND_WEIGHTS = (1, 1, 3)
"""A chain's draw against the others' (how 'days' and 'people' share theirs: `RECENT`).
Instance20 from the descent's roster (21 761), 25 steps in one thread (a step budget, so runs
compare under load): days:people 1:0 19 434, 3:1 18 484, 1:1 17 693, 1:3 17 918, 0:1 18 300
in 42-50 s. Chains (`chains`) only where the days programme models everybody, and only from
`CHAINS_AFTER` of the search on; until then their draws are days or people steps. Instance20,
60 s, alternating with the search without chains, seeds 2 and 11-28: median 5,208 against
5,241, better on 15 of 19; drawn as often as each other kind from the start, seeds 1-10: 5,266
against 5,290, within the spread (journal_scheduling.md, forty-sixth pass)."""
MIN_DAYS = 3
MAX_DAYS = 182
PEOPLE_FREED = 4
"""People freed by a 'people' step, over a stretch of days starting at `PEOPLE_DAYS`. Where
weekends are scarce, people with half weekends in the stretch come first (Instance20, seeds
0-5, 60 s, quiet machine: median 5,976 -> 5,769, better on every seed)."""
PEOPLE_DAYS = 84
"""Same comparison at 1:1: 28 days 18 673, 56 days 17 693, 84 days 16 499, 126 days
18 231, 182 days 19 073."""
GROW = {"days": 1, "people": 7}
SHORT_SHARE = 0.5
"""Share of windows centred on a day drawn by its under-cover penalty."""
OVERHEAD_MARGIN = 1.5
CHAINS_AFTER = 0.5
"""Share of the search's time before chains are drawn: a chain trades cover for wishes, which
pays once the windows have filled what they can."""
CHAINS_UP_TO = 182
"""Longest horizon with chains: each link is a days programme call, 36 ms on Instance20 (26
weeks), 15-30 s on 52 weeks of 32 kinds."""
FINISH_PAD = 28
"""Days either side of an unfilled chain's open positions that the step finishing it frees
(Instance20, 20 s of chains from a finished roster, two rosters, two seeds: 14 days and two
people besides the chain's gained 0-2 of 33 finished, 28 days and four 4-6 of 14-18)."""
CHAIN_S = 2.0
"""A chain's time limit, and no chain starts this close to the deadline (Instance20: at most
25 calls, about 0.9 s)."""
RECENT = 8
"""Steps of each kind whose gains a second decide how 'days' and 'people' steps share the draws
that are not chains. On generated 120 x 4 x 18 (Instance13's size) 'people' steps gain several
times as much a second, on Instance20 'days' steps do; 60 s alternating with a fixed share (four
'days' draws in five before chains, one in five after): 120 x 4 x 18, seven seeds, median 495 ->
115, worst 934 -> 206; Instance20, seeds 140-147, median 5,293 -> 5,263.5, better on 5 of 8
(journal_scheduling.md, fifty-third pass)."""
LEAST_SHARE = 0.15
"""The least share of those draws either kind keeps."""
MERGE = True
"""Instance20 from the descent's roster, 30 s, loaded: 21 761 -> 18 734 merging (4 of 16
tried merged), -> 19 450 without."""


@dataclass
class WindowStats:
    steps: int = 0
    improvements: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)
    """kind -> [steps, improvements, optimal steps]."""
    gain: dict[str, int] = field(default_factory=dict)
    merges: int = 0
    """Steps whose change was tried on a roster another thread had improved meanwhile."""
    merged: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    finished: int = 0
    """Chains handed to a window step to finish."""
    finished_better: int = 0
    """Of those, the ones it finished cheaper than where the chain began."""


@dataclass
class Step:
    window: Window
    old: int
    """The window's objective under the roster the step started from."""


class WindowLns:
    def __init__(
        self,
        problem: Problem,
        shifts_of: list[list[int]],
        incumbent: Incumbent,
        bound: int,
        deadline: float,
        on_improve: Callable[[int], None],
        seed: int,
        step_s: float = 2.0,
        days: int = 7,
        max_steps: int | None = None,
    ) -> None:
        self.problem = problem
        self.shifts_of = shifts_of
        self.best = incumbent
        self.bound = bound
        self.deadline = deadline
        self.on_improve = on_improve
        self.seed = seed
        self.step_s = step_s
        self.start_days = days
        self.max_steps = max_steps
        """A work budget instead of the clock (tests)."""
        self.lock = threading.Lock()
        self.stats = WindowStats()
        self.overhead = 0.0
        """What a step takes beyond its solve (building the window's model, merging), smoothed."""
        self.horizon = max(1, problem.horizon_days)
        self.n_people = len(problem.professionals)
        self.pair_weekends = weekends_scarce(problem)
        self.chains = Chains.of(problem, shifts_of) if problem.horizon_days <= CHAINS_UP_TO else None
        self.weights = KIND_WEIGHTS if self.chains is not None else KIND_WEIGHTS[:2]
        self.chains_from = deadline
        """When chains may be drawn (`run` sets it)."""
        self.recent: dict[str, deque[tuple[int, float]]] = {kind: deque(maxlen=RECENT) for kind in KINDS[:2]}
        """Each of 'days' and 'people': (gain, seconds) of its last steps (one a step under a
        step budget)."""

    def run(self, threads: int) -> Incumbent:
        now = time.monotonic()
        self.chains_from = now + CHAINS_AFTER * (self.deadline - now)
        run_threads(self._loop, threads)
        return self.best

    def go_on(self, start: Incumbent, deadline: float, threads: int, steps: int | None = None) -> Incumbent:
        """The search again, from `start` (the closing moves' roster) until `deadline`, or for
        `steps` more steps (tests)."""
        self.best, self.deadline = start, deadline
        if steps is not None:
            self.max_steps = self.stats.steps + steps
        return self.run(threads)

    def _done(self) -> bool:
        if self.max_steps is not None and self.stats.steps >= self.max_steps:
            return True
        return time.monotonic() >= self.deadline - 0.05 or self.best.objective <= self.bound

    def _loop(self, k: int) -> None:
        rng = random.Random(self.seed * 7919 + k)
        size = {"days": min(self.horizon, self.start_days), "people": min(self.horizon, PEOPLE_DAYS)}
        while not self._done():
            kind = self._kind(rng)
            with self.lock:
                base = self.best
            began = time.monotonic()
            if kind == "chains":
                assert self.chains is not None
                chain = self.chains.attempt(base, rng, min(self.deadline, began + CHAIN_S))
                found = self._finish(base, chain, rng) if isinstance(chain, Unfilled) else chain
                code: object = cp_model.FEASIBLE
                wall = time.monotonic() - began
            else:
                first, last, chosen = self._pick(kind, size[kind], base.values, rng)
                limit = self._limit()
                if limit <= 0.05:
                    break
                code, wall, found = self.step(base, first, last, chosen, limit, rng.randrange(1 << 30))
            better = found is not None and found.objective < base.objective
            if better and MERGE and found is not None:
                found = self._onto_best(base, found)
            with self.lock:
                took = time.monotonic() - began
                if kind != "chains":  # a chain has no solve to add set-up to
                    extra = took - wall
                    self.overhead = extra if not self.overhead else 0.7 * self.overhead + 0.3 * extra
                self.stats.seconds[kind] = self.stats.seconds.get(kind, 0.0) + took
                self.stats.steps += 1
                tally = self.stats.by_kind.setdefault(kind, [0, 0, 0])
                tally[0] += 1
                tally[2] += code == cp_model.OPTIMAL
                gained = 0
                if found is not None and found.objective < self.best.objective:
                    gained = self.best.objective - found.objective
                    self.stats.gain[kind] = self.stats.gain.get(kind, 0) + gained
                    self.best = found
                    self.stats.improvements += 1
                    tally[1] += 1
                    self.on_improve(found.objective)
                elif found is not None and found.objective == self.best.objective:
                    self.best = found  # drift across equally good rosters
                if kind in self.recent:
                    # A step budget counts steps, so the draws do not depend on the machine.
                    self.recent[kind].append((gained, took if self.max_steps is None else 1.0))
            # Grow while steps are proven optimal quickly; a step cut short by the time
            # limit is still worth its size when it improved the roster.
            if kind == "chains":
                continue
            if code == cp_model.OPTIMAL and wall < 0.5 * limit:
                size[kind] = min(self.horizon, MAX_DAYS, size[kind] + GROW[kind])
            elif code != cp_model.OPTIMAL and not better:
                size[kind] = max(MIN_DAYS, size[kind] - 2 * GROW[kind])

    def _limit(self) -> float:
        """A step's solve limit: a step's building and merging come on top of it."""
        return min(self.step_s, self.deadline - time.monotonic() - OVERHEAD_MARGIN * self.overhead)

    def _finish(self, base: Incumbent, chain: Unfilled, rng: random.Random) -> Incumbent | None:
        """A 'people' step from the chain's roster (made from `base`) over its people,
        `FINISH_PAD` days either side of the positions it left open."""
        limit = self._limit()
        if limit <= 0.05:
            return None
        first = max(0, min(chain.days) - FINISH_PAD)
        last = min(self.horizon, max(chain.days) + FINISH_PAD + 1)
        _, _, found = self.step(chain.roster, first, last, chain.people, limit, rng.randrange(1 << 30))
        with self.lock:
            self.stats.finished += 1
            self.stats.finished_better += found is not None and found.objective < base.objective
        return found

    def _kind(self, rng: random.Random) -> str:
        """The next step's kind: 'chains' only between `chains_from` and the last `CHAIN_S`,
        and while the days programme is quick; otherwise 'days' or 'people' (`_people_share`)."""
        if self.n_people <= PEOPLE_FREED:
            return "days"
        kind = rng.choices(KINDS[:len(self.weights)], self.weights)[0]
        if (
            kind == "chains" and self.chains is not None and not self.chains.slow
            and self.chains_from <= time.monotonic() < self.deadline - CHAIN_S
        ):
            return kind
        return "people" if rng.random() < self._people_share() else "days"

    def _people_share(self) -> float:
        """The share of 'people' among the draws that are not chains: by what each kind's last
        steps gained a second (a step under a step budget), half and half until both have some."""
        with self.lock:
            rates = []
            for kind in KINDS[:2]:
                steps = self.recent[kind]
                if not steps:
                    return 0.5
                rates.append(sum(g for g, _ in steps) / max(1e-3, sum(t for _, t in steps)))
        days, people = rates
        share = 0.5 if days + people <= 0 else people / (days + people)
        return min(1 - LEAST_SHARE, max(LEAST_SHARE, share))

    def _onto_best(self, base: Incumbent, found: Incumbent) -> Incumbent:
        """`found`'s change applied to the best roster when another thread moved it since
        `base`: two windows' changes add up unless they meet in a horizon-wide limit or
        overlap, which the evaluator (on the whole roster) tells; otherwise `found`."""
        with self.lock:
            best = self.best
        if best is base:
            return found
        merged = dict(best.values)
        for key, value in found.values.items():
            if base.values.get(key, 0) != value:
                merged[key] = value
        problem = self.problem
        check = evaluate(problem, assigned(problem, merged))
        with self.lock:
            self.stats.merges += 1
        if check.violations or check.objective >= found.objective:
            return found
        with self.lock:
            self.stats.merged += 1
        return Incumbent(merged, check.objective)

    def _pick(
        self, kind: str, days: int, values: Values, rng: random.Random
    ) -> tuple[int, int, frozenset[int] | None]:
        """Free days [first, last) and the freed people (None: everybody)."""
        span = min(self.horizon, days)
        weights = self._day_penalties(values)
        short = sum(weights) > 0 and rng.random() < SHORT_SHARE
        centre = -1
        if short:
            centre = rng.choices(range(self.horizon), weights=weights)[0]
            first = max(0, min(self.horizon - span, centre - rng.randrange(span)))
        else:
            first = rng.randrange(0, self.horizon - span + 1)
        if kind != "people":
            return first, first + span, None
        # Somebody who could take a short shift on the centre day, and others to trade with:
        # where weekends are scarce, first those who work half weekends in the window
        # (a pair of them can make one full weekend and free the other).
        halves = [0] * self.n_people
        if self.pair_weekends:
            for pi, _ in half_weekends(self.problem, values, first, first + span):
                halves[pi] += 1
        chosen: set[int] = set()
        if short:
            able = [pi for pi, mine in enumerate(self.shifts_of)
                    if any(self.problem.shifts[si].day == centre for si in mine)]
            if able:
                chosen.add(rng.choices(able, weights=[1 + halves[pi] for pi in able])[0])
        wasting = [pi for pi in range(self.n_people) if halves[pi] and pi not in chosen]
        while wasting and len(chosen) < min(PEOPLE_FREED, self.n_people):
            pi = rng.choices(wasting, weights=[halves[other] for other in wasting])[0]
            chosen.add(pi)
            wasting.remove(pi)
        while len(chosen) < min(PEOPLE_FREED, self.n_people):
            chosen.add(rng.randrange(self.n_people))
        return first, first + span, frozenset(chosen)

    def _day_penalties(self, values: Values) -> list[float]:
        """Under-cover penalty per day under `values`: where steps pay off most."""
        shifts = self.problem.shifts
        staff = [0] * len(shifts)
        for (_, si), v in values.items():
            staff[si] += v
        out = [0.0] * self.horizon
        for si, s in enumerate(shifts):
            if staff[si] < s.positions and s.day < self.horizon:
                out[s.day] += (s.positions - staff[si]) * s.under_weight
        return out

    def step(
        self,
        base: Incumbent,
        first: int,
        last: int,
        chosen: frozenset[int] | None,
        limit: float,
        seed: int,
    ) -> tuple[object, float, Incumbent | None]:
        """Re-roster the free cells of one window from `base`; the whole roster found, if any."""
        window = cut(
            self.problem, self.shifts_of, base.values, first, last,
            (lambda _: True) if chosen is None else chosen.__contains__,
        )
        current = roster_in(window, base.values)
        before = evaluate(window.problem, current)
        if before.violations:
            return cp_model.UNKNOWN, 0.0, None  # outside the window's model (should not happen)
        built = build(window.problem)
        m = built.model
        mine = set(current)
        sub = window.problem
        for (pi, k), var in m.x.items():
            m.cp.add_hint(var, (sub.professionals[pi].id, sub.shifts[k].id) in mine)
        solver = new_solver()
        solver.parameters.max_time_in_seconds = limit
        solver.parameters.num_workers = 1
        solver.parameters.linearization_level = 2
        solver.parameters.random_seed = seed
        code = solver.solve(m.cp)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return code, solver.wall_time, None
        after = round(solver.objective_value)
        values = dict(base.values)
        inside = set(window.person_of)
        for (pi, si), value in base.values.items():
            if value and si in window.local and pi in inside:
                values[pi, si] = 0
        chosen_pairs = [
            (sub.professionals[pi].id, sub.shifts[k].id)
            for (pi, k), var in m.x.items()
            if solver.boolean_value(var)
        ]
        for key in window.assigned(chosen_pairs):
            values[key] = 1
        return code, solver.wall_time, Incumbent(values, base.objective + after - before.objective)
