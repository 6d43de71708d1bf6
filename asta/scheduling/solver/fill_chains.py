"""Filling the positions a decomposed roster leaves open, across its parts.

Parts are solved one after another (`decompose`): a person an earlier area took is
not there for a later area's opening, and no part sees an opening that someone in
another could fill by handing one of their shifts to a third person. Each open
position, dearest first, gets the best of these moves that lowers the objective:
someone adds it; or someone swaps one of their shifts for it, and that shift is taken
by someone else or left open where that costs less. Every move is checked against the
evaluator's rules for each person it changes and priced exactly (cover, continuity,
each person's own goals); agreed assignments are never moved.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable

from asta.scheduling.evaluator import continuity_cost, cover_costs, person_cost, person_violations
from asta.scheduling.problem import Problem, Shift

Step = tuple[str, Shift, Shift | None]
"""(person, shift they take, shift they leave or None)."""


class _Roster:
    def __init__(self, problem: Problem, assignments: Iterable[tuple[str, str]]) -> None:
        self.problem = problem
        self.people = problem.professional_by_id()
        shifts = problem.shift_by_id()
        self.mine: dict[str, list[Shift]] = defaultdict(list)
        for pid, sid in assignments:
            self.mine[pid].append(shifts[sid])
        self.staff = Counter(s.id for worked in self.mine.values() for s in worked)
        self.in_series: dict[str, Counter[str]] = defaultdict(Counter)
        """Series -> person -> how many of its shifts they work."""
        for pid, worked in self.mine.items():
            for s in worked:
                if s.series is not None:
                    self.in_series[s.series][pid] += 1
        anyone = [p.id for p in problem.professionals if p.eligible is None]
        self.who_can: dict[str, list[str]] = defaultdict(lambda: list(anyone))
        for p in problem.professionals:
            for sid in p.eligible or ():
                self.who_can[sid].append(p.id)
        self.own: dict[str, int] = {}
        """Each person's own goals' cost as rostered now."""

    def own_cost(self, pid: str, worked: list[Shift]) -> int | None:
        """The person's own goals with `worked`, None if it breaks one of their rules."""
        who = self.people[pid]
        if person_violations(self.problem, who, worked):
            return None
        return person_cost(self.problem, who, worked)

    def own_change(self, step: Step) -> int | None:
        pid, taken, left = step
        if pid not in self.own:
            self.own[pid] = person_cost(self.problem, self.people[pid], self.mine[pid])
        worked = [s for s in self.mine[pid] if left is None or s.id != left.id] + [taken]
        after = self.own_cost(pid, worked)
        return None if after is None else after - self.own[pid]

    def shared_change(self, steps: list[Step]) -> int:
        """Cover and continuity: what the steps change beyond the people's own goals."""
        w = self.problem.weights
        staffed: Counter[str] = Counter()
        shifts: dict[str, Shift] = {}
        members: dict[str, Counter[str]] = {}
        for pid, taken, left in steps:
            for s, change in ((taken, 1), (left, -1)):
                if s is None:
                    continue
                staffed[s.id] += change
                shifts[s.id] = s
                if s.series is not None:
                    members.setdefault(s.series, Counter(self.in_series[s.series]))[pid] += change

        def cover(s: Shift, n: int) -> int:
            return sum(cover_costs(w, s, n))

        def continuity(counts: Counter[str]) -> int:
            return continuity_cost(w, sum(1 for n in counts.values() if n > 0))

        change = sum(cover(s, self.staff[sid] + staffed[sid]) - cover(s, self.staff[sid])
                     for sid, s in shifts.items())
        return change + sum(continuity(after) - continuity(self.in_series[series])
                            for series, after in members.items())

    def works(self, pid: str, s: Shift) -> bool:
        return any(x.id == s.id for x in self.mine[pid])

    def takers(self, s: Shift) -> list[tuple[str, int]]:
        """Who could add `s` as rostered now, and what it changes of their own goals."""
        out = []
        for q in self.who_can[s.id]:
            if not self.works(q, s):
                own = self.own_change((q, s, None))
                if own is not None:
                    out.append((q, own))
        return out

    def best_move(self, opening: Shift, deadline: float) -> list[Step] | None:
        """The move that fills `opening` and lowers the objective most, None if none does."""
        best: list[Step] | None = None
        best_change = 0
        takers: dict[str, list[tuple[str, int]]] = {}
        for pid in self.who_can[opening.id]:
            if self.works(pid, opening):
                continue
            leavable = [s for s in self.mine[pid] if (pid, s.id) not in self.problem.fixed]
            for left in [None, *leavable]:
                if time.monotonic() > deadline:
                    return best
                first: Step = (pid, opening, left)
                own = self.own_change(first)
                if own is None:
                    continue
                moves = [([first], own)]
                if left is not None:
                    if left.id not in takers:
                        takers[left.id] = self.takers(left)
                    moves += [([first, (q, left, None)], own + theirs)
                              for q, theirs in takers[left.id] if q != pid]
                for move, change in moves:
                    change += self.shared_change(move)
                    if change < best_change:
                        best, best_change = move, change
                if left is None:
                    break  # they can add it: their swaps are not tried (far fewer rosters checked)
        return best

    def apply(self, move: list[Step]) -> None:
        for pid, taken, left in move:
            if left is not None:
                self.mine[pid] = [s for s in self.mine[pid] if s.id != left.id]
                self.staff[left.id] -= 1
                if left.series is not None:
                    self.in_series[left.series][pid] -= 1
            self.mine[pid].append(taken)
            self.staff[taken.id] += 1
            if taken.series is not None:
                self.in_series[taken.series][pid] += 1
            self.own.pop(pid, None)


def fill_open(
    problem: Problem, assignments: Iterable[tuple[str, str]], deadline: float
) -> list[tuple[str, str]]:
    """`assignments` with open positions filled where that lowers the objective, by `deadline`."""
    roster = _Roster(problem, assignments)
    openings = sorted((s for s in problem.shifts if roster.staff[s.id] < s.positions),
                      key=lambda s: (-s.under_weight, s.id))
    for opening in openings:
        while roster.staff[opening.id] < opening.positions and time.monotonic() < deadline:
            move = roster.best_move(opening, deadline)
            if move is None:
                break
            roster.apply(move)
    return [(pid, s.id) for pid, worked in roster.mine.items() for s in worked]
