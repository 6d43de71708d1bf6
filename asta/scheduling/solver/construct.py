"""A legal roster person by person by labelling, without building a CP-SAT model.

Only cover couples people (see `sequential`), so each person in turn gets the
labelling's best roster (`labelling.Person.best`) against the cover the people
before them left: an open position is worth its under-cover weight, a filled
one costs its over-cover weight, a full one is closed. Labels per day are
capped (`cap_for`) so that time and memory stay bounded on 150 people over 52
weeks: then each person's roster is a beam-search result, legal but not proven
best. Deterministic for a given cap; the deadline only stops it early.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from asta.scheduling.problem import Problem, is_weekend
from asta.scheduling.solver.dp_pricing import DaysPricer
from asta.scheduling.solver.labelling import Late, Person, Roster
from asta.scheduling.solver.minute_prices import charged
from asta.scheduling.solver.weekends import weekends_scarce

Values = dict[tuple[int, int], int]

LABEL_WORK = 4_000_000
"""Label extensions the whole construction should take at most (about 10 s in
CPython here): `cap_for` derives the cap per day from it and the problem size."""
MIN_CAP = 2
MAX_CAP = 256
RETRY_FACTOR = 4
MAX_RETRY_CAP = 512
WIDEN_WHILE = 0.2
PUSH = 1e6
"""On a retry, labels that can still reach the most minutes are kept first, cost second."""


HALF_WEEKEND_SHARE = 2.0
"""A half weekend costs the construction this many times the heaviest weekend position's
under-cover penalty (where the person's weekend limit binds): it spends a weekend for one
day of cover. Instance20 needs 1,239 weekend shifts of the 1,260 that 50 people x 13 full
weekends give; uncharged, the roster kept 64-72 half weekends and every position it left
open was on a weekend. Whole solve, 60 s, seeds 0/1/2, quiet machine: share 0 (before)
8,237 / 6,535 / 7,958; 1.0 6,454 / 6,076 / 6,271; 2.0 6,060 / 5,956 / 6,534; 4.0 6,679 /
5,831 / 5,849 (the start itself gets worse as the share grows: 11,407, 12,158, 12,695)."""


def half_weekend_charge(problem: Problem) -> float:
    """What the construction charges per half weekend: 0 unless weekends are scarce."""
    if not weekends_scarce(problem):
        return 0.0
    rules = problem.rules
    heaviest = max((s.under_weight for s in problem.shifts if is_weekend(rules, s.day)), default=0)
    return HALF_WEEKEND_SHARE * problem.weights.fill * heaviest


def cap_for(problem: Problem, work: int = LABEL_WORK) -> int:
    """Labels per day so that people x days x cap x min(cap, options) stays near `work`."""
    slots = max(1, len(problem.professionals) * max(1, problem.horizon_days))
    return max(MIN_CAP, min(MAX_CAP, math.isqrt(work // slots)))


def worked(problem: Problem, values: Values) -> tuple[list[set[int]], list[int]]:
    """Each person's shifts under `values`, and each shift's staff."""
    theirs: list[set[int]] = [set() for _ in problem.professionals]
    staff = [0] * len(problem.shifts)
    for (pi, si), value in values.items():
        if value:
            theirs[pi].add(si)
            staff[si] += 1
    return theirs, staff


def rewards_without(
    problem: Problem, mine: list[int], theirs: set[int], staff: list[int]
) -> dict[int, float | None]:
    """`rewards_left` against everyone else's cover: `staff` less the person's own shifts."""
    for si in theirs:
        staff[si] -= 1
    rewards = rewards_left(problem, mine, staff)
    for si in theirs:
        staff[si] += 1
    return rewards


def rewards_left(problem: Problem, mine: list[int], staff: list[int]) -> dict[int, float | None]:
    w = problem.weights
    out: dict[int, float | None] = {}
    for si in mine:
        s = problem.shifts[si]
        if staff[si] >= s.capacity:
            out[si] = None
        elif staff[si] < s.positions:
            out[si] = float(w.fill * s.under_weight)
        else:
            out[si] = float(-w.over_cover * s.over_weight)
    return out


def _best(
    person: Person, rewards: dict[int, float | None], cap: int, half_weekend: float = 0.0
) -> Roster | None:
    """The capped labelling; when its cheapest labels cannot reach the minimum minutes,
    again keeping the labels that can still reach the most, with more labels each time."""
    roster = person.best(rewards, cap, half_weekend=half_weekend)
    retry = cap
    while roster is None and retry <= MAX_RETRY_CAP:
        roster = person.best(rewards, retry, push=PUSH, half_weekend=half_weekend)
        retry *= RETRY_FACTOR
    return roster


def _respond(
    problem: Problem,
    pi: int,
    mine: list[int],
    programmes: dict[int, DaysPricer | None],
    persons: dict[int, Person],
    rewards: dict[int, float | None],
    cap: int,
    half_weekend: float,
    deadline: float,
) -> tuple[Person, frozenset[int] | None]:
    """The person and their best roster against `rewards`: exactly by their days programme
    where it models them (it is forgotten where it does not), else by the capped labelling.
    None where no roster was found or the programme ran out of time."""
    programme = programmes.get(pi)
    if programme is not None:
        duals = {si: -math.inf if reward is None else reward for si, reward in rewards.items()}
        try:
            found = programme.best(duals, 1, half_weekend, deadline)
        except Late:
            return programme.person, None
        if found is not None:
            return programme.person, found[0][0] if found else None
        programmes[pi] = None
    person = prepared(persons, problem, pi, mine)
    labelled = _best(person, rewards, cap, half_weekend)
    return person, None if labelled is None else labelled.shifts


def prepared(persons: dict[int, Person], problem: Problem, pi: int, mine: list[int]) -> Person:
    """Person `pi`'s rule data, prepared once for the construction and every descent round:
    it does not change with the rewards (a quarter of a call on 52 weeks of 32 kinds)."""
    if pi not in persons:
        persons[pi] = Person(problem, pi, mine)
    return persons[pi]


def by_labels(
    problem: Problem,
    shifts_of: list[list[int]],
    cap: int,
    deadline: float | None = None,
    half_weekend: float = 0.0,
    persons: dict[int, Person] | None = None,
    minute_prices: list[float] | None = None,
) -> tuple[Values, list[int]]:
    """(pi, si) -> 1 for the roster, and the people no label found a legal roster for
    (they get none here; the caller settles them).

    Without a `deadline` the work is fixed by `cap` (the same roster on any machine).
    With one, the cap halves whenever the last person took longer than the time left
    allows each person still to come: running late is still better than no roster.
    With `minute_prices` (`minute_prices.minute_prices`), each person's open positions are
    worth that much less a minute of the shift.
    """
    persons = {} if persons is None else persons
    staff = [0] * len(problem.shifts)
    values: Values = {}
    missing: list[int] = []
    # Least flexible people first: they have the fewest ways to help cover.
    order = [pi for pi in sorted(range(len(problem.professionals)), key=lambda pi: len(shifts_of[pi]))
             if shifts_of[pi]]
    for k, pi in enumerate(order):
        began = time.monotonic()
        person = prepared(persons, problem, pi, shifts_of[pi])
        rewards = rewards_left(problem, shifts_of[pi], staff)
        if minute_prices is not None:
            rewards = charged(problem, rewards, minute_prices[pi])
        roster = _best(person, rewards, cap, half_weekend)
        if roster is None:
            missing.append(pi)
        else:
            for si in roster.shifts:
                values[pi, si] = 1
                staff[si] += 1
        if deadline is not None and k + 1 < len(order):
            share = (deadline - time.monotonic()) / (len(order) - k - 1)
            if time.monotonic() - began > share:
                cap = max(MIN_CAP, cap // 2)
    return values, missing


def descend(
    problem: Problem,
    shifts_of: list[list[int]],
    values: Values,
    cap: int,
    deadline: float,
    rounds: int = 1 << 30,
    grow: int = 1,
    half_weekend: float = 0.0,
    by_days: bool = False,
    persons: dict[int, Person] | None = None,
    processes: Executor | None = None,
    at_once: int = 1,
) -> tuple[Values, int]:
    """Re-roster one person at a time against everyone else's cover, keeping a new
    roster only when it is cheaper, until a round at the largest cap improves nothing,
    `rounds` are done or `deadline` passes; returns the roster and the rounds done.

    The cap is multiplied by `grow` after each round (up to `MAX_CAP`): a wider beam
    finds each person's better rosters (Instance20, one round each from the same
    roster: cap 20 -> 18 829, cap 80 -> 13 755, cap 160 -> 11 700), and the cheap
    narrow rounds first take the easy gains. Widening stops once a round gains less
    than `WIDEN_WHILE` of the first (Instance18: 12 % in its second round; its time is
    worth more to column generation and the LNS there).

    Each person's reward for a shift is exactly what they add to cover there, so
    every kept change lowers the objective (series continuity aside), or, with a
    `half_weekend` charge, the objective plus the charges. The first
    people of the construction took shifts the later ones needed more; this gives
    those shifts back.

    With `by_days`, each person the days programme models gets their best roster exactly
    (`dp_pricing`, no cap), the rest the labelling's. With `processes`
    (`labelling_processes`), the labelling runs there, `at_once` people at a time.
    """
    values = dict(values)
    mine, staff = worked(problem, values)
    people = [pi for pi in range(len(problem.professionals)) if shifts_of[pi]]
    programmes: dict[int, DaysPricer | None] = (
        {pi: DaysPricer(problem, pi, shifts_of[pi]) for pi in people} if by_days else {}
    )
    persons = {} if persons is None else persons

    def rewards_of(pi: int) -> dict[int, float | None]:
        """What each of `pi`'s shifts is worth against everyone else's cover."""
        return rewards_without(problem, shifts_of[pi], mine[pi], staff)

    def here(pi: int) -> Answer:
        """Asked here, against the cover as it is when answered (the rewards passed in)."""
        return lambda rewards: _respond(
            problem, pi, shifts_of[pi], programmes, persons, rewards, cap, half_weekend, deadline
        )

    def ask(pi: int) -> Answer:
        if processes is None or programmes.get(pi) is not None:
            return here(pi)
        try:
            future = processes.submit(labelled_in_process, pi, rewards_of(pi), cap, half_weekend)
        except BrokenProcessPool:  # a process could not start or died: ask here
            return here(pi)

        def answer(rewards: dict[int, float | None]) -> tuple[Person, frozenset[int] | None]:
            try:
                roster = future.result()
            except BrokenProcessPool:
                return here(pi)(rewards)
            return prepared(persons, problem, pi, shifts_of[pi]), roster

        return answer

    # With processes, the next people are asked before this one's answer is applied, against
    # the cover as it stood: an answer is kept only if it is still cheaper against the cover
    # now, and a round that keeps none asked everyone against the same cover, so the descent
    # still ends where no one can do better alone.
    depth = 1 if processes is None else max(1, at_once)
    done = 0
    first_gain = 0.0
    while done < rounds and time.monotonic() < deadline:
        done += 1
        better = 0
        gain = 0.0
        for pi, answer in _in_flight(people, ask, depth):
            if time.monotonic() >= deadline:
                break
            rewards = rewards_of(pi)
            person, roster = answer(rewards)
            current = frozenset(mine[pi])
            now_cost = person.cost_of(current, rewards, half_weekend)
            cost = math.inf if roster is None else person.cost_of(roster, rewards, half_weekend)
            if roster is not None and cost < now_cost - 1e-9:
                gain += now_cost - cost
                for si in current:
                    values[pi, si] = 0
                    staff[si] -= 1
                mine[pi] = set(roster)
                for si in mine[pi]:
                    values[pi, si] = 1
                    staff[si] += 1
                better += 1
        capped = not all(programmes.get(pi) for pi in people)
        if not better and (grow <= 1 or cap >= MAX_CAP or not capped):
            break
        first_gain = first_gain or gain
        if capped and grow > 1 and gain < WIDEN_WHILE * first_gain:
            break  # wider beams no longer pay for their time
        cap = min(MAX_CAP, cap * max(1, grow))
    return values, done


Answer = Callable[[dict[int, "float | None"]], tuple[Person, "frozenset[int] | None"]]
"""A person's roster, given what their shifts are worth against the cover now."""


def _in_flight(people: list[int], ask: Callable[[int], Answer], depth: int) -> Iterator[tuple[int, Answer]]:
    """`people` in order, each asked (`ask`) with `depth` - 1 more already asked: the caller
    applies an answer before the next person is asked."""
    pending: deque[tuple[int, Answer]] = deque()
    for pi in people:
        pending.append((pi, ask(pi)))
        if len(pending) >= depth:
            yield pending.popleft()
    while pending:
        yield pending.popleft()


_IN_PROCESS: list[tuple[Problem, list[list[int]], dict[int, Person]]] = []


def labelling_processes(
    problem: Problem, shifts_of: list[list[int]], workers: int
) -> ProcessPoolExecutor | None:
    """`workers` processes for the descent's labelling (it holds the GIL, so threads would run
    one person at a time), being started in the background: starting one blocks until it has
    imported Asta and read the problem, so callers start them before the construction.
    Spawned, not forked: the solver's own threads may hold locks. None with fewer than two
    workers; a process that cannot start breaks the pool, and the descent then works here."""
    if workers < 2:
        return None
    processes = ProcessPoolExecutor(workers, multiprocessing.get_context("spawn"),
                                    initializer=_set_up, initargs=(problem, shifts_of))
    threading.Thread(target=_spawn, args=(processes, workers), daemon=True).start()
    return processes


def _spawn(processes: ProcessPoolExecutor, workers: int) -> None:
    """Submitting is what spawns a process."""
    with contextlib.suppress(OSError, RuntimeError, BrokenProcessPool):
        for _ in range(workers):
            processes.submit(int)


def _set_up(problem: Problem, shifts_of: list[list[int]]) -> None:
    _IN_PROCESS[:] = [(problem, shifts_of, {})]


def labelled_in_process(
    pi: int, rewards: dict[int, float | None], cap: int, half_weekend: float
) -> frozenset[int] | None:
    """Person `pi`'s capped labelling roster against `rewards`, in a process `_set_up` prepared."""
    problem, shifts_of, persons = _IN_PROCESS[0]
    roster = _best(prepared(persons, problem, pi, shifts_of[pi]), rewards, cap, half_weekend)
    return None if roster is None else roster.shifts
