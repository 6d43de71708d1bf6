"""Matching runs: start one, report on it, accept its proposals through the marketplace rules."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.accounts.models import Organisation, Unit, User
from asta.core import audit
from asta.core.auth import Principal
from asta.core.clock import utcnow
from asta.core.errors import ConflictError, InvalidInputError, NotFoundError
from asta.core.jobs import send_after_commit
from asta.core.tenancy import can_staff_unit, organisation_clause, unit_for_staff
from asta.marketplace.models import Shift
from asta.profiles.models import ProfessionalProfile
from asta.scheduling.gap import proven_gap
from asta.scheduling.models import (
    MatchingProposal,
    MatchingRun,
    ProposalStatus,
    RunStatus,
    UnfilledPosition,
)
from asta.scheduling.schemas_runs import (
    AcceptProposals,
    MatchingRunCreate,
    MatchingRunListItem,
    MatchingRunRead,
    MatchingWeights,
    ProposalRead,
    UnfilledRead,
)


async def start_run(session: AsyncSession, principal: Principal,
                    data: MatchingRunCreate) -> MatchingRun:
    units = [await unit_for_staff(session, principal, unit_id) for unit_id in data.unit_ids]
    organisations = {u.organisation_id for u in units}
    if len(organisations) != 1:
        raise InvalidInputError("A matching run covers units of one area", field="unit_ids")
    weights = data.weights or await _area_weights(session, units[0].organisation_id)
    run = MatchingRun(organisation_id=units[0].organisation_id,
                      unit_ids=sorted({u.id for u in units}), period_start=data.period_start,
                      period_end=data.period_end, time_limit_s=data.time_limit_s,
                      weights=weights.model_dump(), requested_by=principal.user_id)
    session.add(run)
    await session.flush()
    audit.record(session, actor_id=principal.user_id, entity_type="matching_run",
                 entity_id=run.id, action="start", after=audit.snapshot(run),
                 organisation_id=run.organisation_id)
    return run


async def _area_weights(session: AsyncSession, organisation_id: uuid.UUID) -> MatchingWeights:
    organisation = await session.get(Organisation, organisation_id)
    stored: dict[str, Any] = (organisation.settings if organisation else {}).get(
        "matching_weights", {})
    return MatchingWeights.model_validate(stored)


async def _visible_run(session: AsyncSession, principal: Principal, run_id: uuid.UUID,
                       *, for_update: bool = False) -> MatchingRun:
    run = await session.get(MatchingRun, run_id, with_for_update=for_update)
    if run is None:
        raise NotFoundError("No such matching run")
    units = (await session.scalars(select(Unit).where(col(Unit.id).in_(run.unit_ids)))).all()
    if not units or not all(can_staff_unit(principal, u) for u in units):
        raise NotFoundError("No such matching run")
    return run


async def get_run(session: AsyncSession, principal: Principal,
                  run_id: uuid.UUID) -> MatchingRunRead:
    run = await _visible_run(session, principal, run_id)
    return await run_read(session, run)


def registration_suffix(number: str | None) -> str | None:
    """The last three characters: enough to tell two people apart, not to copy the number."""
    return f"…{number.strip()[-3:]}" if number and number.strip() else None


async def run_read(session: AsyncSession, run: MatchingRun) -> MatchingRunRead:
    proposals = await session.execute(
        select(MatchingProposal, Shift, User.full_name, Unit.name,
               ProfessionalProfile.profession, ProfessionalProfile.registration_number)
        .join(Shift, Shift.id == MatchingProposal.shift_id)
        .join(Unit, Unit.id == Shift.unit_id)
        .join(User, User.id == MatchingProposal.professional_id)
        .outerjoin(ProfessionalProfile,
                   ProfessionalProfile.user_id == MatchingProposal.professional_id)
        .where(MatchingProposal.run_id == run.id).order_by(Shift.starts_at, User.full_name))
    unfilled = await session.execute(
        select(UnfilledPosition, Shift.starts_at, Unit.name)
        .join(Shift, Shift.id == UnfilledPosition.shift_id).join(Unit, Unit.id == Shift.unit_id)
        .where(UnfilledPosition.run_id == run.id).order_by(Shift.starts_at))
    read = MatchingRunRead.model_validate(run, from_attributes=True)
    if run.summary:
        read.proven_gap = proven_gap(run.summary.get("objective"), run.summary.get("best_bound"))
    read.proposals = [ProposalRead(
        id=m.id, shift_id=m.shift_id, professional_id=m.professional_id, professional_name=name,
        shift_starts_at=s.starts_at, shift_ends_at=s.ends_at, unit_id=s.unit_id,
        reasons=m.reasons, status=m.status, refusal=m.refusal,
        refusal_rules=m.refusal_rules, unit_name=unit_name, profession=profession,
        registration_suffix=registration_suffix(number))
        for m, s, name, unit_name, profession, number in proposals]
    read.unfilled = [UnfilledRead(shift_id=u.shift_id, shift_starts_at=starts, missing=u.missing,
                                  reason=u.reason, detail=u.detail, unit_name=unit_name)
                     for u, starts, unit_name in unfilled]
    return read


async def accept(session: AsyncSession, principal: Principal, run_id: uuid.UUID,
                 data: AcceptProposals) -> MatchingRunRead:
    from asta.marketplace.services import assign_professional

    run = await _visible_run(session, principal, run_id, for_update=True)
    if run.status != RunStatus.DONE.value:
        raise ConflictError(f"The run is {run.status}; proposals can be accepted when it is done")
    query = select(MatchingProposal).where(MatchingProposal.run_id == run.id,
                                           MatchingProposal.status == ProposalStatus.PROPOSED.value)
    if data.proposal_ids is not None:
        query = query.where(col(MatchingProposal.id).in_(data.proposal_ids))
    proposals = list(await session.scalars(query.order_by(MatchingProposal.id)))
    if data.proposal_ids is not None and len(proposals) != len(set(data.proposal_ids)):
        raise InvalidInputError("Some proposals are not open proposals of this run",
                                field="proposal_ids")
    for proposal in proposals:
        # Each acceptance is checked by the same rules as a claim, in a savepoint so that one
        # refusal (e.g. the person took another shift meanwhile) does not undo the others.
        refused = await assign_professional(session, principal, proposal.shift_id,
                                            proposal.professional_id)
        proposal.status = (ProposalStatus.REFUSED if refused else ProposalStatus.ACCEPTED).value
        proposal.refusal, proposal.refusal_rules = refused if refused else (None, [])
        proposal.decided_at, proposal.decided_by = utcnow(), principal.user_id
    await session.flush()
    audit.record(session, actor_id=principal.user_id, entity_type="matching_run",
                 entity_id=run.id, action="accept",
                 after={"accepted": [str(p.id) for p in proposals if p.status == "accepted"],
                        "refused": [str(p.id) for p in proposals if p.status == "refused"]},
                 organisation_id=run.organisation_id)
    return await run_read(session, run)


async def start_matching_run(session: AsyncSession, principal: Principal,
                             data: MatchingRunCreate) -> MatchingRunRead:
    from asta.scheduling.jobs import run_matching

    run = await start_run(session, principal, data)
    # A lost send is re-sent by the periodic sweep of queued runs.
    send_after_commit(session, run_matching, str(run.id))
    return await run_read(session, run)


async def list_runs(session: AsyncSession, principal: Principal,
                    limit: int = 20) -> list[MatchingRunListItem]:
    """The newest runs whose every unit the caller schedules, with their figures."""
    proposals = (select(MatchingProposal.run_id, func.count().label("n"),
                        func.count().filter(MatchingProposal.status
                                            == ProposalStatus.ACCEPTED.value).label("accepted"))
                 .group_by(MatchingProposal.run_id).subquery())
    gaps = (select(UnfilledPosition.run_id, func.sum(UnfilledPosition.missing).label("missing"))
            .group_by(UnfilledPosition.run_id).subquery())
    rows = (await session.execute(
        select(MatchingRun, proposals.c.n, proposals.c.accepted, gaps.c.missing)
        .outerjoin(proposals, proposals.c.run_id == MatchingRun.id)
        .outerjoin(gaps, gaps.c.run_id == MatchingRun.id)
        .where(organisation_clause(principal, MatchingRun.organisation_id))
        .order_by(col(MatchingRun.created_at).desc()).limit(limit * 3))).all()
    unit_ids = {u for row in rows for u in row[0].unit_ids}
    units = {u.id: u for u in await session.scalars(
        select(Unit).where(col(Unit.id).in_(unit_ids)))} if unit_ids else {}
    listed = []
    for run, n, accepted, missing in rows:
        mine = [units[u] for u in run.unit_ids if u in units]
        if not mine or not all(can_staff_unit(principal, u) for u in mine):
            continue
        listed.append(MatchingRunListItem(
            id=run.id, period_start=run.period_start, period_end=run.period_end,
            status=run.status, created_at=run.created_at, finished_at=run.finished_at,
            unit_names=sorted(u.name for u in mine), proposals=n or 0, accepted=accepted or 0,
            open_positions=int(missing or 0)))
    return listed[:limit]
