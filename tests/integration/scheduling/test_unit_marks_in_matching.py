"""The matching optimiser's problem leaves a unit's blocked professionals out and counts its
favourites as preferring the unit."""

from __future__ import annotations

from datetime import timedelta

from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from asta.marketplace.models import UnitProfessionalMark
from asta.scheduling import problem as p
from asta.scheduling.models import MatchingRun
from asta.scheduling.services.problem_builder import build_problem
from tests import factories


async def test_blocked_are_not_candidates_and_favourites_prefer_the_unit() -> None:
    org = await factories.organisation()
    unit = await factories.unit(org)
    start = (utcnow() + timedelta(days=10)).replace(minute=0, second=0, microsecond=0)
    await factories.shift(unit, starts_in=start - utcnow())
    plain, favourite, blocked = [await factories.professional() for _ in range(3)]
    async with unit_of_work() as session:
        session.add(UnitProfessionalMark(unit_id=unit.id, professional_id=favourite.id,
                                         kind="favourite"))
        session.add(UnitProfessionalMark(unit_id=unit.id, professional_id=blocked.id,
                                         kind="blocked", reason="Repeated no-shows"))
        run = MatchingRun(organisation_id=org.id, unit_ids=[unit.id], period_start=start,
                          period_end=start + timedelta(days=1))
        session.add(run)
    async with unit_of_work() as session:
        built = await build_problem(session, run, p.Weights())
    people = {pro.id: pro for pro in built.problem.professionals}
    assert set(people) == {str(plain.id), str(favourite.id)}
    assert people[str(favourite.id)].preferred_units == frozenset({str(unit.id)})
    assert people[str(plain.id)].preferred_units == frozenset()
