"""Trades: two people exchange their cells over a block of days, so cover does not change.

Once the window LNS has filled what cover can be filled (Instance20 reaches its proven
39 open positions at about 41 s of 60), the rest of the gap is wishes: a person asked to
work a shift somebody else works, or asked for a day off they work. Trading the two
people's days around that day, a block at a time, keeps every shift's staff as it is, so
only the two people's rules and wishes change, and a trade is checked in the days it
touches (the runs across its edges, and the counts it moves), in pure Python: about 8 µs a
trade tried, where a CP-SAT window step takes most of a second.

The search walks the wishes that cost something, and for each tries the people whose cell
that day would meet it, over every block of up to `MAX_BLOCK` days around the day, taking
the best trade that lowers the objective. A block also runs to either end of the horizon.
Where no block helps, the two people may trade the wish's day and one more day anywhere
that evens out what the first would break over the horizon (minutes, a kind's count,
weekends): on 52 weeks, where everybody works their maximum minutes, most wishes that fit
their day's runs fail only on that (1,167 of 3,964 tried on a 150 x 52 x 32 roster).
"""

from __future__ import annotations

import random
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence

from asta.scheduling.problem import MINUTES_PER_DAY, Problem, hourly_cost_units, is_weekend, weekend_index
from asta.scheduling.solver.lns import Values
from asta.scheduling.solver.window import windowable

TRADE_SHARE = 0.06
"""Share of the LNS's time kept for the closing trades. Once cover is at its best, wishes
are what is left, and the trades find some in about a second that the LNS would take far
longer to find (Instance20, 60 s, seeds 0-11: median 5,299 -> 5,222, better on 10 of 12; the
trades took 20-74 off rosters where the window LNS gains about 13 a second by then). The
fills come first in the closing moves and, where cover is at its best, take about 0.75 s to
find nothing, so 3 % (1.3 s) left the trades 3-74; 6 % (2.7 s) lets them finish: seeds
0-5 took 51-189 (mean 81) against 3-74 (mean 28), and the rosters ended at a mean of 5,256
against 5,281, the worst seed 5,275 against 5,423 (the median 5,257 against 5,247: noise)."""
MAX_BLOCK = 7
"""Longest block tried around a wish, besides the blocks to the horizon's ends (from an
Instance20 roster of 5,364: 39 in 1.2 s with 7, the same 39 in 3.6 s with 14, 18 s with 28)."""
OFF = -1


class Trades:
    """The roster as a grid of person x day -> shift index (or `OFF`), with each person's
    counts kept up to date, and the trades that keep cover."""

    def __init__(self, problem: Problem, shifts_of: Sequence[Sequence[int]], values: Values) -> None:
        self.problem = problem
        self.days = problem.horizon_days
        shifts = problem.shifts
        rules = problem.rules
        kinds = sorted({s.kind for s in shifts})
        kind_index = {k: i for i, k in enumerate(kinds)}
        self.kind_of = [kind_index[s.kind] for s in shifts]
        self.minutes_of = [s.minutes for s in shifts]
        self.day_of = [s.day for s in shifts]
        self.forbidden = {(kind_index[a], kind_index[b]) for a, b in rules.forbidden_successions
                          if a in kind_index and b in kind_index}
        self.weekend_of = [weekend_index(rules, d) if is_weekend(rules, d) else -1 for d in range(self.days)]
        self.allowed = [frozenset(mine) for mine in shifts_of]
        people = problem.professionals
        self.cell = [[OFF] * self.days for _ in people]
        for (pi, si), value in values.items():
            if value:
                self.cell[pi][shifts[si].day] = si
        self.pinned: list[set[int]] = [set() for _ in people]
        by_id = {p.id: pi for pi, p in enumerate(people)}
        index = {s.id: si for si, s in enumerate(shifts)}
        for pid, sid in problem.fixed:
            self.pinned[by_id[pid]].add(shifts[index[sid]].day)
        self.limited = [
            [(kind_index[k], limit) for k, limit in p.max_shifts_per_kind.items() if k in kind_index]
            for p in people
        ]
        self.wishes: list[dict[int, list[tuple[bool, int, int]]]] = []
        """Per person, day -> (wants to work, kind index or -1 for any, weight)."""
        for p in people:
            mine: dict[int, list[tuple[bool, int, int]]] = {}
            for on, requests in ((True, p.shift_on_requests), (False, p.shift_off_requests)):
                for r in requests:
                    kind = -1 if r.kind is None else kind_index.get(r.kind, -2)
                    mine.setdefault(r.day, []).append((on, kind, r.weight * problem.weights.requests))
            self.wishes.append(mine)
        self.assignment_cost = [self._assignment_costs(pi, mine) for pi, mine in enumerate(shifts_of)]
        self.priced_days = [
            None if extra is not None else sorted(mine)
            for extra, mine in zip(self.assignment_cost, self.wishes, strict=True)
        ]
        """Per person, the days whose cell can cost them something (their wish days), or None
        where every shift costs (units, own pool, cost): a trade is priced on these days only."""
        self.minutes = [0] * len(people)
        self.kind_count = [[0] * len(kinds) for _ in people]
        self.weekend_days = [dict[int, int]() for _ in people]
        for pi, row in enumerate(self.cell):
            for si in row:
                if si != OFF:
                    self._count(pi, si, 1)

    def _assignment_costs(self, pi: int, mine: Sequence[int]) -> dict[int, int] | None:
        """What each of the person's shifts costs beyond wishes (units, own pool, cost)."""
        problem = self.problem
        w = problem.weights
        prof = problem.professionals[pi]
        units = bool(w.preferred_unit and prof.preferred_units)
        pool = bool(w.own_pool and prof.home_organisation is not None)
        if not (units or pool or w.cost * prof.hourly_cost):
            return None
        costs: dict[int, int] = {}
        for si in mine:
            s = problem.shifts[si]
            cost = w.cost * hourly_cost_units(prof, s)
            if units and s.unit not in prof.preferred_units:
                cost += w.preferred_unit
            if pool and s.organisation != prof.home_organisation:
                cost += w.own_pool
            if cost:
                costs[si] = cost
        return costs or None

    def _count(self, pi: int, si: int, sign: int) -> None:
        self.minutes[pi] += sign * self.minutes_of[si]
        self.kind_count[pi][self.kind_of[si]] += sign
        weekend = self.weekend_of[self.day_of[si]]
        if weekend >= 0:
            days = self.weekend_days[pi]
            days[weekend] = days.get(weekend, 0) + sign

    def cost(self, pi: int, day: int, si: int) -> int:
        """What person `pi` pays for working `si` (or `OFF`) on `day`: wishes and extras."""
        total = 0
        extra = self.assignment_cost[pi]
        if extra is not None and si != OFF:
            total += extra.get(si, 0)
        wishes = self.wishes[pi].get(day)
        if wishes:
            kind = OFF if si == OFF else self.kind_of[si]
            for on, wanted, weight in wishes:
                met = kind != OFF and wanted in (-1, kind)
                if met != on:
                    total += weight
        return total

    def values(self) -> Values:
        return {(pi, si): 1 for pi, row in enumerate(self.cell) for si in row if si != OFF}

    def objective_change(self, p: int, q: int, first: int, last: int) -> int:
        return sum(self._day_change(p, q, d) for d in self._priced_between(p, q, first, last))

    def _day_change(self, p: int, q: int, d: int) -> int:
        """What trading day d's cells changes in p's and q's costs."""
        a, b = self.cell[p][d], self.cell[q][d]
        if a == b:
            return 0
        return self.cost(p, d, b) + self.cost(q, d, a) - self.cost(p, d, a) - self.cost(q, d, b)

    def _changes_near(self, p: int, q: int, lo: int, hi: int) -> list[int]:
        """Running sums of `_day_change` over days lo..hi (element i: days lo..lo+i-1), so
        that each short block around a wish is priced by one subtraction."""
        every = self.priced_days[p] is None or self.priced_days[q] is None
        mine, theirs = self.wishes[p], self.wishes[q]
        sums = [0]
        for d in range(lo, hi + 1):
            priced = every or d in mine or d in theirs
            sums.append(sums[-1] + (self._day_change(p, q, d) if priced else 0))
        return sums

    def _priced_between(self, p: int, q: int, first: int, last: int) -> Iterable[int]:
        """The days first..last where the trade can change p's or q's cost: on 52 weeks a
        block to the horizon's end is mostly days neither person wished anything for."""
        mine, theirs = self.priced_days[p], self.priced_days[q]
        if mine is None or theirs is None:
            return range(first, last + 1)
        days = set(mine[bisect_left(mine, first):bisect_right(mine, last)])
        days.update(theirs[bisect_left(theirs, first):bisect_right(theirs, last)])
        return days

    def legal(self, pi: int, first: int, last: int, incoming: list[int]) -> bool:
        """Whether person `pi` keeps every rule with `incoming` on days first..last."""
        prof = self.problem.professionals[pi]
        row = self.cell[pi]
        minutes = self.minutes[pi]
        kind_change: dict[int, int] = {}
        for offset, si in enumerate(incoming):
            old = row[first + offset]
            if si == old:
                continue
            if not self._may_set(pi, first + offset, si):
                return False  # a shift they may not work, or an agreed one left
            if si != OFF:
                minutes += self.minutes_of[si]
                kind_change[self.kind_of[si]] = kind_change.get(self.kind_of[si], 0) + 1
            if old != OFF:
                minutes -= self.minutes_of[old]
                kind_change[self.kind_of[old]] = kind_change.get(self.kind_of[old], 0) - 1
        if minutes < prof.min_minutes or (prof.max_minutes is not None and minutes > prof.max_minutes):
            return False
        counts = self.kind_count[pi]
        for kind, limit in self.limited[pi]:
            if counts[kind] + kind_change.get(kind, 0) > limit:
                return False

        def at(d: int) -> int:
            return incoming[d - first] if first <= d <= last else row[d]

        if prof.max_week_minutes is not None:
            for week in range(first // 7, last // 7 + 1):
                days = range(7 * week, min(self.days, 7 * week + 7))
                if sum(self.minutes_of[si] for si in map(at, days) if si != OFF) > prof.max_week_minutes:
                    return False
        if prof.max_weekends is not None and not self._weekends_ok(pi, first, last, at, prof.max_weekends):
            return False
        if not (self._follows(at, first - 1) and self._follows(at, last)):
            return False
        return self._runs_ok(pi, first, last, at)

    def _weekends_ok(self, pi: int, first: int, last: int, at: Callable[[int], int], limit: int) -> bool:
        days = self.weekend_days[pi]
        worked = sum(1 for n in days.values() if n > 0)
        touched = {self.weekend_of[d] for d in range(first, last + 1)} - {-1}
        for weekend in touched:
            now = sum(1 for d in range(max(0, first - 1), min(self.days, last + 2))
                      if self.weekend_of[d] == weekend and at(d) != OFF)
            worked += (now > 0) - (days.get(weekend, 0) > 0)
        return worked <= limit

    def _follows(self, at: Callable[[int], int], d: int) -> bool:
        """Whether day d's shift may be followed by day d+1's (successions and rest)."""
        if d < 0 or d + 1 >= self.days:
            return True
        a, b = at(d), at(d + 1)
        if a == OFF or b == OFF:
            return True
        if (self.kind_of[a], self.kind_of[b]) in self.forbidden:
            return False
        shifts = self.problem.shifts
        return shifts[b].start >= shifts[a].end + self.problem.rules.min_rest_minutes

    def _runs_ok(self, pi: int, first: int, last: int, at: Callable[[int], int]) -> bool:
        """Run rules on every run of work or rest that meets days first-1..last+1."""
        prof = self.problem.professionals[pi]
        end = self.days - 1
        lo = max(0, first - 1)
        status = at(lo) != OFF
        while lo > 0 and (at(lo - 1) != OFF) == status:
            lo -= 1
        hi = min(end, last + 1)
        status = at(hi) != OFF
        while hi < end and (at(hi + 1) != OFF) == status:
            hi += 1
        start = lo
        working = at(lo) != OFF
        for d in range(lo + 1, hi + 2):
            now = d <= hi and (at(d) != OFF)
            if d <= hi and now == working:
                continue
            length = d - start
            inside = start > 0 and d - 1 < end
            if working:
                if prof.max_consecutive_days is not None and length > prof.max_consecutive_days:
                    return False
                if inside and length < prof.min_consecutive_days:
                    return False
            elif inside and length < prof.min_consecutive_days_off:
                return False
            start, working = d, now
        return True

    def trade(self, p: int, q: int, first: int, last: int) -> None:
        cp, cq = self.cell[p], self.cell[q]
        for d in range(first, last + 1):
            a, b = cp[d], cq[d]
            if a == b:
                continue
            if a != OFF:
                self._count(p, a, -1)
                self._count(q, a, 1)
            if b != OFF:
                self._count(q, b, -1)
                self._count(p, b, 1)
            cp[d], cq[d] = b, a

    def best_trade(self, p: int, day: int) -> tuple[int, int, int, int] | None:
        """The trade around `day` that lowers the objective most for person p's wish there:
        (change, other person, first, last), or None."""
        here = self.cost(p, day, self.cell[p][day])
        best: tuple[int, int, int, int] | None = None
        blocks = self._blocks(day)
        lo, hi = max(0, day - MAX_BLOCK + 1), min(self.days - 1, day + MAX_BLOCK - 1)
        for q in range(len(self.cell)):
            if q == p or self.cost(p, day, self.cell[q][day]) >= here:
                continue
            near = self._changes_near(p, q, lo, hi)
            for first, last in blocks:
                if lo <= first and last <= hi:
                    change = near[last - lo + 1] - near[first - lo]
                else:
                    change = self.objective_change(p, q, first, last)
                if change >= 0 or (best is not None and change >= best[0]):
                    continue
                if self.legal(p, first, last, self.cell[q][first:last + 1]) and self.legal(
                    q, first, last, self.cell[p][first:last + 1]
                ):
                    best = (change, q, first, last)
        return best

    def best_split_trade(self, p: int, day: int) -> tuple[int, int, int] | None:
        """Where trading `day` alone breaks a limit over the horizon (minutes, a kind's
        count, weekends), the same two people trading one more day that evens it out:
        (change, other person, other day) of the best such trade found, or None.

        Each person's first other day that fits is taken: trying every day for every
        person costs a few hundred legal checks a wish."""
        here = self.cost(p, day, self.cell[p][day])
        best: tuple[int, int, int] | None = None
        for q in range(len(self.cell)):
            if q == p or self.cost(p, day, self.cell[q][day]) >= here or not self._swappable(p, q, day):
                continue
            first = self._day_change(p, q, day)
            self.trade(p, q, day, day)
            if self._near_ok(p, day) and self._near_ok(q, day):
                found = self._evening_day(p, q, day, first, best[0] if best else 0)
                if found is not None:
                    best = (found[0], q, found[1])
            self.trade(p, q, day, day)
        return best

    def _may_set(self, pi: int, day: int, si: int) -> bool:
        """Whether person `pi` may work `si` (or be off) on `day`: a shift they may work, a
        day not agreed, or their cell as it is."""
        if si == self.cell[pi][day]:
            return True
        return day not in self.pinned[pi] and (si == OFF or si in self.allowed[pi])

    def _swappable(self, p: int, q: int, day: int) -> bool:
        return self._may_set(p, day, self.cell[q][day]) and self._may_set(q, day, self.cell[p][day])

    def _near_ok(self, pi: int, day: int) -> bool:
        """Runs and successions around `day` as the roster stands (limits over the horizon
        aside)."""
        row = self.cell[pi]

        def at(d: int) -> int:
            return row[d]

        return self._follows(at, day - 1) and self._follows(at, day) and self._runs_ok(pi, day, day, at)

    def _evening_day(self, p: int, q: int, day: int, first: int, beat: int) -> tuple[int, int] | None:
        """With `day` traded: the first other day whose trade too leaves both legal and
        the two trades' change (`first` for `day`) under `beat`; (change, other day)."""
        cp, cq = self.cell[p], self.cell[q]
        minutes = self.minutes_of
        people = self.problem.professionals
        bounds = [(people[x].min_minutes, people[x].max_minutes) for x in (p, q)]

        def fits(x: int, gain: int) -> bool:
            low, high = bounds[x != p]
            total = self.minutes[x] + gain
            return total >= low and (high is None or total <= high)

        for other in range(self.days):
            a, b = cp[other], cq[other]
            if other == day or a == b or not self._swappable(p, q, other):
                continue
            moved = (minutes[b] if b != OFF else 0) - (minutes[a] if a != OFF else 0)
            if not (fits(p, moved) and fits(q, -moved)):
                continue
            change = first + self._day_change(p, q, other)
            if change >= beat:
                continue
            self.trade(p, q, other, other)
            legal = all(self.legal(x, d, d, [self.cell[x][d]]) for x in (p, q) for d in (day, other))
            self.trade(p, q, other, other)
            if legal:
                return change, other
        return None

    def _blocks(self, day: int) -> list[tuple[int, int]]:
        blocks = [
            (first, first + length - 1)
            for length in range(1, MAX_BLOCK + 1)
            for first in range(max(0, day - length + 1), min(day, self.days - length) + 1)
        ]
        blocks.extend(((day, self.days - 1), (0, day)))
        return blocks

    def costly(self) -> list[tuple[int, int]]:
        """(person, day) of every cell that costs its person something."""
        return [
            (pi, d)
            for pi, row in enumerate(self.cell)
            for d in set(self.wishes[pi]) | ({self.day_of[si] for si in row if si != OFF}
                                              if self.assignment_cost[pi] else set())
            if self.cost(pi, d, row[d]) > 0
        ]

    def improve(self, deadline: float, rng: random.Random) -> int:
        """Trade until no wish's trade helps or the deadline; the objective's total drop."""
        gained = 0
        while time.monotonic() < deadline:
            wishes = self.costly()
            rng.shuffle(wishes)
            better = False
            for p, day in wishes:
                if time.monotonic() >= deadline:
                    break
                if self.cost(p, day, self.cell[p][day]) <= 0:
                    continue
                found = self.best_trade(p, day)
                if found is not None:
                    change, q, first, last = found
                    self.trade(p, q, first, last)
                else:
                    split = self.best_split_trade(p, day)
                    if split is None:
                        continue
                    change, q, other = split
                    self.trade(p, q, day, day)
                    self.trade(p, q, other, other)
                gained -= change
                better = True
            if not better:
                break
        return gained


def tradeable(problem: Problem) -> bool:
    """Whether trades can be checked day by day: every goal splits over days, one shift a
    day, and a shift's rest reaches no further than the next day's shifts."""
    rest = problem.rules.min_rest_minutes
    return windowable(problem) and all(
        s.end + rest <= (s.day + 2) * MINUTES_PER_DAY for s in problem.shifts
    )


def trades_from(problem: Problem, deadline: float, share: float = TRADE_SHARE) -> float:
    """When the search before them stops so that the closing trades get `share` of the
    time left."""
    if not tradeable(problem):
        return deadline
    return deadline - share * max(0.0, deadline - time.monotonic())
