"""Run the optimiser outside the request, reporting progress as it goes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import uuid
from typing import Any

from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from asta.core.jobs import actor, every
from asta.scheduling import problem as p
from asta.scheduling.models import MatchingProposal, MatchingRun, RunStatus, UnfilledPosition
from asta.scheduling.services.problem_builder import build_problem
from asta.scheduling.solver import Progress, Result, solve

log = logging.getLogger(__name__)
PROGRESS_EVERY_S = 1.0


class _Latest:
    """The solver's newest progress, handed from its thread to the event loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.value: Progress | None = None

    def __call__(self, progress: Progress) -> None:
        with self._lock:
            self.value = progress

    def take(self) -> dict[str, Any] | None:
        with self._lock:
            value, self.value = self.value, None
        if value is None:
            return None
        return {"objective": value.objective, "best_bound": value.best_bound,
                "elapsed_s": round(value.elapsed_s, 2), "phase": value.phase}


async def _report(run_id: uuid.UUID, latest: _Latest, done: asyncio.Event) -> None:
    while not done.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), PROGRESS_EVERY_S)
        progress = latest.take()
        if progress is not None:
            async with unit_of_work() as session:
                run = await session.get(MatchingRun, run_id)
                if run is not None:
                    run.progress = progress


def _store(session: Any, run: MatchingRun, result: Result, names: dict[str, str]) -> None:
    why = {(a.professional, a.shift): a.reasons
           for a in (result.explanation.assignments if result.explanation else ())}
    for professional, shift in result.assignments:
        session.add(MatchingProposal(run_id=run.id, shift_id=uuid.UUID(shift),
                                     professional_id=uuid.UUID(professional),
                                     reasons=list(why.get((professional, shift), ()))))
    for gap in result.explanation.unfilled if result.explanation else ():
        session.add(UnfilledPosition(run_id=run.id, shift_id=uuid.UUID(gap.shift),
                                     missing=gap.missing, reason=gap.reason,
                                     detail={k: list(v) for k, v in gap.blocked_by.items()}))
    run.summary = {"status": result.status, "objective": result.objective,
                   "best_bound": result.best_bound, "breakdown": dict(result.breakdown),
                   "time_s": round(result.time_s, 2), "proposals": len(result.assignments),
                   "candidates": len(names)}


# Its own queue, so that a burst of other jobs does not hold a scheduler's run back. Sent
# once the run is committed; failures are recorded on the run, not retried.
@actor(queue_name="matching", max_retries=0, time_limit=15 * 60 * 1000)
async def run_matching(run_id: str) -> None:
    key = uuid.UUID(run_id)
    async with unit_of_work() as session:
        run = await session.get(MatchingRun, key, with_for_update=True, populate_existing=True)
        if run is None:
            log.warning("matching run %s does not exist", run_id)
            return
        if run.status != RunStatus.QUEUED.value:
            return
        run.status, run.started_at = RunStatus.RUNNING.value, utcnow()
        weights = p.Weights(**{k: int(v) for k, v in run.weights.items()})
        built = await build_problem(session, run, weights)
        limit = run.time_limit_s
    latest, done = _Latest(), asyncio.Event()
    reporter = asyncio.create_task(_report(key, latest, done))
    try:
        # CP-SAT holds the GIL only briefly; a thread keeps the event loop responsive.
        result = await asyncio.to_thread(solve, built.problem, time_limit_s=limit, seed=0,
                                         workers=2, on_progress=latest)
    except Exception as exc:
        log.exception("matching run %s failed", run_id)
        async with unit_of_work() as session:
            run = await session.get(MatchingRun, key)
            if run is not None:
                run.status, run.error, run.finished_at = RunStatus.FAILED.value, str(exc)[:2000], utcnow()
        return
    finally:
        done.set()
        await reporter
    async with unit_of_work() as session:
        run = await session.get(MatchingRun, key, with_for_update=True)
        if run is None:
            return
        _store(session, run, result, built.names)
        run.status, run.finished_at = RunStatus.DONE.value, utcnow()
        run.progress = {**run.progress, "objective": result.objective,
                        "best_bound": result.best_bound, "elapsed_s": round(result.time_s, 2),
                        "phase": "done"}


@every(30)
@actor(max_retries=0)
async def dispatch_queued_runs() -> None:
    """Re-send runs whose enqueue was lost, and fail runs whose worker died."""
    from datetime import timedelta

    from sqlalchemy import select
    from sqlmodel import col

    async with unit_of_work() as session:
        stale = await session.scalars(select(MatchingRun.id).where(
            MatchingRun.status == RunStatus.QUEUED.value,
            MatchingRun.created_at < utcnow() - timedelta(minutes=1)))
        ids = list(stale)
        # A worker that died mid-solve leaves its run "running": give it up, visibly.
        orphans = await session.scalars(select(MatchingRun).where(
            MatchingRun.status == RunStatus.RUNNING.value,
            col(MatchingRun.started_at) < utcnow() - timedelta(minutes=20)))
        for run in orphans:
            run.status, run.error = RunStatus.FAILED.value, "The worker stopped; start a new run"
            run.finished_at = utcnow()
    for run_id in ids:
        run_matching.send(str(run_id))
