"""One person's best legal roster by resource-constrained shortest-path labelling.

Every hard rule of the problem concerns one person at a time (cover is soft),
so a person's roster is a path through the days: each day they are off or work
one of their candidate shifts, and a label carries what the rules still need to
know (the current run of work or rest, yesterday's kind, rest still owed, the
weekend in progress, weekends, minutes and the binding per-kind and weekly
counts). Two labels with the same state keep only the cheaper (dominance);
labels that can no longer reach the minimum minutes are dropped (a bound over
run rules). With `cap` large enough this is exact; a smaller cap keeps only the
cheapest labels of each day, a beam search that is still legal but no longer
optimal, and keeps time and memory bounded on 52-week horizons.

Pure Python, no ortools: it is the person-by-person construction when CP-SAT
finds nothing, and it can price columns (`Roster.cost` is the reduced cost
when `rewards` are the cover duals).
"""

from __future__ import annotations

import heapq
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence

from asta.scheduling.problem import (
    Problem,
    Professional,
    Shift,
    hourly_cost_units,
    is_weekend,
    weekend_index,
)
from asta.scheduling.solver.labelling.bounds import (
    budget_to_go,
    cost_to_go,
    reach,
    weekend_reach,
    weekends_to_go,
)
from asta.scheduling.solver.labelling.dominance import undominated
from asta.scheduling.solver.labelling.ranking import ranking
from asta.scheduling.solver.labelling.types import (
    _OFF,
    EXACT_CAP,
    Entry,
    Late,
    Option,
    Roster,
    State,
    supported,
)

__all__ = ["EXACT_CAP", "Late", "Option", "Person", "Roster", "supported"]


class Person:
    """The rule data of one person, prepared once; `best` runs for given rewards."""

    def __init__(self, problem: Problem, pi: int, mine: Sequence[int]) -> None:
        self.problem = problem
        self.pi = pi
        self.prof: Professional = problem.professionals[pi]
        self.mine = list(mine)
        prof, rules, shifts = self.prof, problem.rules, problem.shifts
        self.horizon = problem.horizon_days
        w = problem.weights
        fixed = {sid for pid, sid in problem.fixed if pid == prof.id}
        by_day: dict[int, list[Shift]] = defaultdict(list)
        self.index: dict[str, int] = {}
        self.by_day = by_day
        self.fixed = fixed
        self.fixed_days: set[int] = set()
        # Shift-on requests cost their weight on every option that does not meet them.
        self.off_cost = [0.0] * self.horizon
        on_by_day: dict[int, list[tuple[str | None, int]]] = defaultdict(list)
        for r in prof.shift_on_requests:
            if 0 <= r.day < self.horizon:
                self.off_cost[r.day] += r.weight * w.requests
                on_by_day[r.day].append((r.kind, r.weight * w.requests))
        self.constant = sum(
            r.weight * w.requests for r in prof.shift_on_requests if not 0 <= r.day < self.horizon
        )
        off_by_day: dict[int, list[tuple[str | None, int]]] = defaultdict(list)
        for r in prof.shift_off_requests:
            off_by_day[r.day].append((r.kind, r.weight * w.requests))
        self.base: dict[int, float] = {}
        counts: dict[str, int] = defaultdict(int)
        self.longest = [0] * (self.horizon + 1)
        """Longest candidate shift per day (0 on the day after the horizon)."""
        starts = [1 << 62] * (self.horizon + 1)
        cost_by_minutes: dict[int, int] = {}
        possible = 0
        base, longest, preferred, home = self.base, self.longest, prof.preferred_units, prof.home_organisation
        self.choices: list[list[Option]] = [[] for _ in range(self.horizon)]
        """Each day's shifts at their base cost (an agreed shift that day is the only one)."""
        index, choices, fixed_days = self.index, self.choices, self.fixed_days
        # One pass, requests looked up by day: 52 weeks of 32 kinds give a person 7,600 shifts.
        for si in self.mine:
            s = shifts[si]
            day, kind, minutes = s.day, s.kind, s.minutes
            by_day[day].append(s)
            index[s.id] = si
            c = 0
            if day in on_by_day:
                c += sum(weight for wanted, weight in on_by_day[day] if wanted not in (None, kind))
            if day in off_by_day:
                c += sum(weight for unwanted, weight in off_by_day[day] if unwanted in (None, kind))
            if preferred and s.unit not in preferred:
                c += w.preferred_unit
            if home is not None and s.organisation != home:
                c += w.own_pool
            if minutes not in cost_by_minutes:
                cost_by_minutes[minutes] = w.cost * hourly_cost_units(prof, s)
            base[si] = c + cost_by_minutes[minutes]
            counts[kind] += 1
            possible += minutes
            if minutes > longest[day]:
                longest[day] = minutes
            if s.start < starts[day]:
                starts[day] = s.start
            is_fixed = s.id in fixed
            if is_fixed:
                fixed_days.add(day)
            choices[day].append((base[si], si, kind, s.start, s.end, minutes, is_fixed))
        for day in fixed_days:
            choices[day] = [option for option in choices[day] if option[6]]
        # Only the resources that can bind are part of a label's state.
        self.kinds = sorted(
            k for k, limit in prof.max_shifts_per_kind.items() if counts.get(k, 0) > limit
        )
        self.kind_slot = {k: i for i, k in enumerate(self.kinds)}
        self.kind_limit = [prof.max_shifts_per_kind[k] for k in self.kinds]
        self.max_minutes = prof.max_minutes if prof.max_minutes is not None else possible
        self.track_minutes = (
            prof.min_minutes > 0
            or self.max_minutes < possible
            or (prof.wants_minutes is not None and w.fairness > 0)
        )
        self.week_limit = prof.max_week_minutes
        weekend_days = {
            weekend_index(rules, day) for day in by_day if is_weekend(rules, day)
        }
        self.max_weekends = (
            prof.max_weekends
            if prof.max_weekends is not None and len(weekend_days) > prof.max_weekends
            else None
        )
        self.max_run = prof.max_consecutive_days
        self.min_run = prof.min_consecutive_days
        self.min_off = prof.min_consecutive_days_off
        self.successions = rules.forbidden_successions
        self.rest = rules.min_rest_minutes
        self.banned_after: dict[str | None, frozenset[str]] = defaultdict(frozenset)
        """The kinds that may not follow each kind."""
        for before, after in self.successions:
            self.banned_after[before] |= {after}
        # Earliest start of any candidate shift after each day: rest owed up to then is moot.
        self.next_start = [0] * (self.horizon + 1)
        earliest = 1 << 62
        for day in range(self.horizon, -1, -1):
            self.next_start[day] = earliest
            earliest = min(earliest, starts[day])
        self.reach = reach(self)
        self.shortest = min(cost_by_minutes, default=0)  # keyed by the shifts' lengths
        self.safety = 7 * max(self.longest)
        self.weekend_reach = weekend_reach(self)

    def run_cap(self) -> int:
        return self.max_run if self.max_run is not None else max(1, self.min_run)

    def after_rest(self, run: int, exempt: bool, off: int) -> int | None:
        """The run of days off after a day off that follows a run of `run` days (exempt or
        not) or of `off` days off; None where the run's minimum forbids stopping it."""
        if run == 0:
            return min(off + 1, self.min_off)
        return 1 if run >= self.min_run or exempt else None

    def after_work(self, run: int, exempt: bool, off: int, day: int) -> tuple[int, bool] | None:
        """The run of work, and whether it is exempt from its minimum, after working `day`
        after a run of `run` days (exempt or not) or of `off` days off; None where the run
        and rest rules forbid working that day."""
        if run:
            if self.max_run is not None and run >= self.max_run:
                return None
            nrun = min(run + 1, self.run_cap())
        elif off < self.min_off:
            return None
        else:
            nrun = 1
        return nrun, (exempt or day == 0) and nrun < self.min_run

    def _run_can_go_on(self, day: int, more: int, weekends: int, counted: bool) -> bool:
        """Whether a run can go on for `more` days after `day` (or to the horizon's end):
        each needs a candidate shift, and a weekend day one still allowed."""
        rules = self.problem.rules
        current = weekend_index(rules, day) if counted else None
        for d in range(day + 1, min(self.horizon, day + 1 + more)):
            if not self.by_day.get(d):
                return False
            if self.max_weekends is not None and is_weekend(rules, d):
                index = weekend_index(rules, d)
                if index != current:
                    if weekends >= self.max_weekends:
                        return False
                    weekends, current = weekends + 1, index
        return True

    def cost_of(
        self, shifts: frozenset[int], rewards: Mapping[int, float | None], half_weekend: float = 0.0
    ) -> float:
        """What `best` would charge for the roster `shifts` under `rewards`."""
        half_weekend = self.charged(half_weekend)
        worked = {self.problem.shifts[si].day: si for si in shifts}
        total = float(self.constant)
        minutes = 0
        for day in range(self.horizon):
            si = worked.get(day)
            if si is None:
                total += self.off_cost[day]
            else:
                total += self.base[si] - (rewards[si] or 0.0)
                minutes += self.problem.shifts[si].minutes
            if self.second_weekend_day(day) and (si is None) != (day - 1 not in worked):
                total += half_weekend
        prof, weights = self.prof, self.problem.weights
        if prof.wants_minutes is not None and weights.fairness:
            total += weights.fairness * (abs(minutes - prof.wants_minutes) // 60)
        return total

    def charged(self, half_weekend: float) -> float:
        """Half weekends waste only a weekend limit that binds."""
        return half_weekend if self.max_weekends is not None else 0.0

    def second_weekend_day(self, day: int) -> bool:
        rules = self.problem.rules
        return day >= 1 and is_weekend(rules, day) and is_weekend(rules, day - 1)

    def options(
        self, rewards: Mapping[int, float | None] | Sequence[float | None]
    ) -> list[list[Option]]:
        out: list[list[Option]] = []
        for day_options in self.choices:
            priced: list[Option] = []
            for base, si, kind, start, end, minutes, fixed in day_options:
                reward = rewards[si]
                if reward is None:
                    if not fixed:
                        continue
                    reward = 0.0  # agreed already, whatever the cover
                priced.append((base - reward, si, kind, start, end, minutes, fixed))
            # Cheapest first: a capped search stops at the first `cap` successors of a label.
            priced.sort()
            out.append(priced)
        return out

    def best(
        self,
        rewards: Mapping[int, float | None] | Sequence[float | None],
        cap: int = EXACT_CAP,
        push: float = 0.0,
        deadline: float | None = None,
        half_weekend: float = 0.0,
    ) -> Roster | None:
        """The cheapest legal roster (cost minus `rewards`), None if the labels find none.

        A reward of None makes that shift unavailable (its capacity is used up).
        `half_weekend` is charged for each weekend worked on one day of two (a heuristic
        of the construction: such a weekend spends a weekend for one day of cover).
        When the cap bites, labels are kept by `_rank`. Raises `Late` once
        `deadline` (time.monotonic()) has passed.
        """
        prof = self.prof
        half_weekend = self.charged(half_weekend)
        options = self.options(rewards)
        min_run, min_off = self.min_run, self.min_off
        rules = self.problem.rules
        togo = cost_to_go(self, options) if cap < EXACT_CAP else []
        budgets = budget_to_go(self, options) if cap < EXACT_CAP and self.track_minutes else None
        weekends_ahead = (
            weekends_to_go(self, options) if cap < EXACT_CAP and self.max_weekends is not None else None
        )
        n_kinds = len(self.kinds)
        track_minutes = self.track_minutes
        need_min = track_minutes and prof.min_minutes > 0
        shortest = self.shortest if track_minutes else 0
        last_day = self.horizon - 1
        dominance = self.max_weekends is not None or n_kinds > 0
        min_minutes = prof.min_minutes
        max_minutes = self.max_minutes
        week_limit = self.week_limit
        max_weekends = self.max_weekends
        successions, banned_after = self.successions, self.banned_after
        kind_slot, kind_limit = self.kind_slot, self.kind_limit
        weekend_limited = max_weekends is not None
        weekends_allowed = max_weekends if max_weekends is not None else 0
        unlimited = [1 << 62]
        rest = self.rest
        start: State = (0, False, min_off, None, 0, False, 0, 0, 0, (0,) * n_kinds)
        layer: dict[State, Entry] = {start: (0.0, None, _OFF, 0)}
        history: list[dict[State, Entry]] = []
        exact = True
        work = 0
        for day in range(self.horizon):
            if deadline is not None and time.monotonic() > deadline:
                raise Late
            weekend = is_weekend(rules, day)
            second = half_weekend and self.second_weekend_day(day)
            new_week = day % 7 == 0
            moot = self.next_start[day]
            reach = self.reach[day + 1]
            off_cost = self.off_cost[day]
            forced = day in self.fixed_days
            todays = options[day]
            # Most minutes workable after today with k more weekends (`weekend_reach`; the
            # rest of a weekend already counted is free), looked up for every label extended.
            weekend_ahead = self.weekend_reach[day + 1] if weekend_limited else unlimited
            free_ahead = self.longest[day + 1] if weekend_limited and is_weekend(rules, day + 1) else 0
            nxt: dict[State, Entry] = {}
            for key, (cost, *_) in layer.items():
                run, exempt, off, kind, owed, wk, minutes, week_min, weekends, counts = key
                if new_week:
                    week_min = 0
                if not weekend:
                    wk = False
                # Off today.
                noff = None if forced else self.after_rest(run, exempt, off)
                if noff is not None:
                    pot = 0
                    if need_min:
                        ahead = weekend_ahead[weekends_allowed - weekends] + (free_ahead if wk else 0)
                        pot = minutes + min(reach[0, noff], ahead)
                    if pot >= min_minutes:
                        still = owed if owed > moot else 0
                        state: State = (0, False, noff, None, still, wk, minutes, week_min, weekends, counts)
                        total = cost + off_cost + (half_weekend if second and wk else 0.0)
                        work += 1
                        old = nxt.get(state)
                        if old is None or total < old[0]:
                            nxt[state] = (total, key, _OFF, pot)
                # One shift today.
                after = self.after_work(run, exempt, off, day)
                if after is None:
                    continue
                nrun, nexempt = after
                nwk, nweekends = wk, weekends
                alone = half_weekend if second and not wk else 0.0
                if weekend and not wk:
                    nweekends = weekends + 1
                    if max_weekends is not None and nweekends > max_weekends:
                        continue
                    nwk = True
                if max_weekends is None:
                    nweekends = 0
                banned = banned_after[kind]
                ahead = weekend_ahead[weekends_allowed - nweekends] + (free_ahead if nwk else 0)
                reach_after = min(reach[nrun, 0], ahead)
                short_run = nrun < min_run and not nexempt
                accepted = 0
                for ocost, si, okind, ostart, oend, ominutes, _ in todays:
                    if accepted >= cap:
                        break
                    if ostart < owed or okind in banned:
                        continue
                    nminutes = minutes + ominutes if track_minutes else 0
                    if nminutes > max_minutes:
                        continue
                    if short_run:
                        # A run must reach its minimum length or the horizon's end.
                        more = min(min_run - nrun, last_day - day)
                        if nminutes + more * shortest > max_minutes:
                            continue
                        if not self._run_can_go_on(day, more, nweekends, nwk):
                            continue
                    pot = nminutes + reach_after if need_min else 0
                    if pot < min_minutes:
                        continue
                    nweek = week_min + ominutes if week_limit is not None else 0
                    if week_limit is not None and nweek > week_limit:
                        continue
                    ncounts = counts
                    slot = kind_slot.get(okind)
                    if slot is not None:
                        if counts[slot] >= kind_limit[slot]:
                            continue
                        ncounts = (*counts[:slot], counts[slot] + 1, *counts[slot + 1 :])
                    nowed = oend + rest
                    state = (
                        nrun,
                        nexempt,
                        0,
                        okind if successions else None,
                        nowed if nowed > moot else 0,
                        nwk,
                        nminutes,
                        nweek,
                        nweekends,
                        ncounts,
                    )
                    total = cost + ocost + alone
                    work += 1
                    accepted += 1
                    old = nxt.get(state)
                    if old is None or total < old[0]:
                        nxt[state] = (total, key, si, pot)
            if dominance and len(nxt) > 1:
                nxt = undominated(nxt)
            if len(nxt) > cap:
                exact = False
                budget = None if budgets is None else budgets[day + 1]
                weekends_left = None if weekends_ahead is None else weekends_ahead[day + 1]
                rank = ranking(self, togo[day + 1], budget, push, weekends_left)
                nxt = dict(heapq.nsmallest(cap, nxt.items(), key=rank))
            history.append(nxt)
            layer = nxt
        best_key: State | None = None
        best_cost = 0.0
        for key, (cost, *_) in layer.items():
            minutes = key[6]
            if track_minutes and minutes < min_minutes:
                continue
            total = cost + self.constant
            if prof.wants_minutes is not None and self.problem.weights.fairness:
                total += self.problem.weights.fairness * (abs(minutes - prof.wants_minutes) // 60)
            if best_key is None or total < best_cost:
                best_key, best_cost = key, total
        if best_key is None:
            return None
        chosen: set[int] = set()
        key_at: State | None = best_key
        for day in range(self.horizon - 1, -1, -1):
            assert key_at is not None
            _, parent, si, _ = history[day][key_at]
            if si != _OFF:
                chosen.add(si)
            key_at = parent
        return Roster(frozenset(chosen), best_cost, exact, work)
