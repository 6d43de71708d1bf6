"""A seeded, national-scale synthetic Asta matching instance, solved and checked.

    python benchmarks/national.py --professionals 5000 --shifts 10000 --areas 21 \
        --weeks 4 --seed 1 [--time-limit 120] [--workers 2]

Prints one JSON object: positions, positions filled, an upper bound on
fillable positions (max-flow over eligibility, availability, per-day and
hour limits, ignoring rest and sequence rules), the fill ratio against it,
hard-rule violations found by the independent evaluator, time and peak memory;
then, outside the time limit, the column-generation LP bound on the objective
(every person rule, series continuity in the master; one master over everyone, else
area by area: `national_bound.py`; `--bound-time-limit`) and the roster's proven
gap to it.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from asta.scheduling.evaluator import evaluate  # noqa: E402
from asta.scheduling.gap import proven_gap  # noqa: E402
from asta.scheduling.problem import (  # noqa: E402
    MINUTES_PER_DAY,
    Problem,
    Professional,
    Request,
    Rules,
    Shift,
    Weights,
)
from asta.scheduling.solver import fill_upper_bound, solve  # noqa: E402
from benchmarks.national_bound import PEAK, national_bound  # noqa: E402

# The 21 wellbeing areas (hyvinvointialueet), with rough population shares.
AREAS = [
    ("Länsi-Uusimaa", 48), ("Itä-Uusimaa", 10), ("Keski-Uusimaa", 20), ("Vantaa-Kerava", 27),
    ("Varsinais-Suomi", 48), ("Satakunta", 21), ("Kanta-Häme", 17), ("Pirkanmaa", 53),
    ("Päijät-Häme", 20), ("Kymenlaakso", 16), ("Etelä-Karjala", 13), ("Etelä-Savo", 13),
    ("Pohjois-Savo", 25), ("Pohjois-Karjala", 16), ("Keski-Suomi", 27), ("Etelä-Pohjanmaa", 19),
    ("Pohjanmaa", 18), ("Keski-Pohjanmaa", 8), ("Pohjois-Pohjanmaa", 42), ("Kainuu", 7),
    ("Lappi", 18),
]
SWEDISH_SPEAKING = {"Länsi-Uusimaa", "Itä-Uusimaa", "Pohjanmaa", "Varsinais-Suomi"}
PROFESSIONS = [("doctor", 0.35), ("nurse", 0.45), ("practical_nurse", 0.20)]
UNIT_KINDS = [
    ("emergency", ("emergency",)),
    ("health_centre", ()),
    ("ward", ()),
    ("paediatrics", ("paediatrics",)),
    ("psychiatry", ("psychiatry",)),
    ("home_care", ()),
]
# Shift kinds: (kind, start hour, hours)
KINDS = [("morning", 7, 8), ("day", 8, 8), ("evening", 14, 8), ("night", 21, 10),
         ("on_call", 16, 16)]


def generate(
    professionals: int, shifts: int, areas: int, weeks: int, seed: int
) -> tuple[Problem, dict[str, object]]:
    rng = random.Random(seed)
    days = 7 * weeks
    chosen = AREAS[:areas] if areas <= len(AREAS) else [
        (f"area-{i}", 10) for i in range(areas)
    ]
    area_names = [a for a, _ in chosen]
    weights = [w for _, w in chosen]
    units: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for area in area_names:
        count = rng.randint(6, 14)
        units[area] = [
            (f"{area}/{kind}-{i}", comps)
            for i in range(count)
            for kind, comps in [UNIT_KINDS[i % len(UNIT_KINDS)]]
        ]

    # Shifts: area by population, unit, profession, language and competence needs.
    shift_list: list[Shift] = []
    needs: dict[str, tuple[str, str | None, tuple[str, ...], str, str]] = {}
    for k in range(shifts):
        area = rng.choices(area_names, weights)[0]
        unit, comps = rng.choice(units[area])
        kind, hour, hours = rng.choice(KINDS)
        if kind == "on_call" and not unit.split("/")[1].startswith(("emergency", "ward")):
            kind, hour, hours = KINDS[1]
        day = rng.randrange(days)
        start = day * MINUTES_PER_DAY + hour * 60
        profession = rng.choices([p for p, _ in PROFESSIONS], [w for _, w in PROFESSIONS])[0]
        language = "sv" if area in SWEDISH_SPEAKING and rng.random() < 0.15 else None
        sid = f"s{k}"
        emergency = unit.split("/")[1].startswith("emergency")
        weekly = rng.random() < 0.1
        shift_list.append(
            Shift(
                id=sid,
                day=day,
                start=start,
                end=start + hours * 60,
                kind=kind,
                unit=unit,
                organisation=area,
                positions=2 if rng.random() < 0.15 else 1,
                under_weight=1000 * (3 if emergency else 1),
                series=f"{unit}/{kind}/{day % 7}" if weekly else None,
            )
        )
        needs[sid] = (profession, language, comps, unit, area)

    # Professionals: home area, profession, languages, competences, onboarding.
    neighbours = {a: area_names[max(0, i - 1) : i + 2] for i, a in enumerate(area_names)}
    people: list[Professional] = []
    by_need: dict[tuple[str, str], list[str]] = defaultdict(list)
    for sid, (profession, _, _, _, area) in needs.items():
        by_need[(area, profession)].append(sid)
    for k in range(professionals):
        home = rng.choices(area_names, weights)[0]
        profession = rng.choices([p for p, _ in PROFESSIONS], [w for _, w in PROFESSIONS])[0]
        languages = {"fi"} | ({"sv"} if home in SWEDISH_SPEAKING and rng.random() < 0.4 else set())
        competences = {c for c in ("emergency", "paediatrics", "psychiatry") if rng.random() < 0.3}
        onboarded = {u for u, _ in units[home] if rng.random() < 0.6}
        work_areas = [home]
        if rng.random() < 0.15:  # gig workers who also take shifts next door
            other = rng.choice(neighbours[home])
            if other != home:
                work_areas.append(other)
                onboarded |= {u for u, _ in units[other] if rng.random() < 0.4}
        eligible = frozenset(
            sid
            for area in work_areas
            for sid in by_need[(area, profession)]
            if (needs[sid][1] is None or needs[sid][1] in languages)
            and set(needs[sid][2]) <= competences
            and needs[sid][3] in onboarded
        )
        free_days = sorted(rng.sample(range(days), rng.randint(days // 4, days // 2)))
        nights_ok = rng.random() < 0.5
        windows = tuple(
            (d * MINUTES_PER_DAY + (0 if nights_ok else 6 * 60),
             (d + 1) * MINUTES_PER_DAY + (9 * 60 if nights_ok else 0))
            for d in free_days
        )
        wants = rng.choice([40, 60, 80, 120, 160]) * 60
        people.append(
            Professional(
                id=f"p{k}",
                eligible=eligible,
                availability=windows,
                max_minutes=wants + 24 * 60,
                max_week_minutes=48 * 60,
                max_consecutive_days=6,
                min_consecutive_days_off=1,
                shift_on_requests=tuple(
                    Request(d, None, 5) for d in rng.sample(free_days, min(2, len(free_days)))
                ),
                preferred_units=frozenset(rng.sample(sorted(onboarded), min(2, len(onboarded)))),
                home_organisation=home,
                hourly_cost=rng.choice([3500, 4500, 6000, 9000]),
                wants_minutes=wants,
            )
        )
    problem = Problem(
        shifts=tuple(shift_list),
        professionals=tuple(people),
        rules=Rules(min_rest_minutes=11 * 60, first_weekday=0),
        weights=Weights(fill=1, requests=1, preferred_unit=2, continuity=5, fairness=1,
                        own_pool=20, cost=0),
        days=days,
    )
    info = {"areas": len(area_names), "units": sum(len(u) for u in units.values())}
    return problem, info


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--professionals", type=int, default=5000)
    parser.add_argument("--shifts", type=int, default=10000)
    parser.add_argument("--areas", type=int, default=21)
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--bound-time-limit", type=float, default=600.0,
                        help="seconds for the column-generation LP bound, after the solve")
    args = parser.parse_args(argv)

    started = time.monotonic()
    problem, info = generate(args.professionals, args.shifts, args.areas, args.weeks, args.seed)
    generated = time.monotonic() - started
    bound = fill_upper_bound(problem)
    bounded = time.monotonic() - started
    # The solver gets what is left of the time limit after generating the instance.
    budget = max(1.0, 0.85 * (args.time_limit - bounded))
    result = solve(problem, time_limit_s=budget, seed=args.seed, workers=args.workers,
                   explain_result=False)
    solved = time.monotonic() - started
    evaluation = evaluate(problem, result.assignments)
    positions = sum(s.positions for s in problem.shifts)
    filled = positions - sum(evaluation.unfilled.values())
    lp, lp_stats = national_bound(problem, result.assignments, args.bound_time_limit,
                                  args.workers, args.seed)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    record = {
        **info,
        "professionals": len(problem.professionals),
        "shifts": len(problem.shifts),
        "eligible_pairs": sum(len(p.eligible or ()) for p in problem.professionals),
        "positions": positions,
        "positions_filled": filled,
        "fill_upper_bound": bound,
        "fill_ratio_vs_bound": round(filled / bound, 4) if bound else None,
        "hard_violations": len(evaluation.violations),
        "objective": evaluation.objective,
        "lp_bound": lp,
        "objective_gap_vs_lp_bound": _rounded(proven_gap(evaluation.objective, lp)),
        "lp_bound_over_objective": _rounded(
            lp / evaluation.objective if lp is not None and evaluation.objective else None),
        "lp_bound_by": "one master" if lp_stats.get("joint") else "areas",
        "lp_joint_converged": bool(lp_stats.get("series_bound_converged")),
        "lp_areas_converged": lp_stats.get("areas_converged"),
        "lp_bound_s": round(lp_stats.get("bound_s", 0.0), 1),
        "status": result.status,
        "generate_s": round(generated, 2),
        "bound_s": round(bounded - generated, 2),
        "solve_s": round(solved - bounded, 2),
        "time_s": round(solved, 2),
        "peak_memory_mb": round(peak_kb / 1024, 1),
        # The LP bound prices in processes from 1,000 people (`pricing_pool`): the largest of them.
        "peak_memory_pricing_process_mb": round(lp_stats.get(PEAK, 0.0), 1),
    }
    print(json.dumps(record))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
