"""A claim's decision from one read: no lock, no ORM objects.

The shift, its unit's limits, the person's standing, their own claim and standby on the
shift and their confirmed shifts nearby, in one statement. In a rush nine of ten claims are
refused ("all positions are filled") and this read is all they cost. The decision is the
board's: `situation` and `decide_action`, the same functions `decide_many` uses.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import asyncpg
import sqlalchemy as sa
from sqlalchemy import and_, bindparam, func, select, true
from sqlalchemy.orm import aliased
from sqlmodel import col

from asta.accounts.models import Unit, User
from asta.core.errors import NotFoundError
from asta.core.hot_reads import Precompiled
from asta.marketplace.models import (
    OPEN_ASSIGNMENT_STATUSES,
    OPEN_WAITLIST_STATUSES,
    Assignment,
    Shift,
    WaitlistEntry,
    WaitlistStatus,
)
from asta.marketplace.rules.shift_action import Decision, ShiftAction, decide_action
from asta.marketplace.services._checks import require_visible
from asta.marketplace.services._common import (
    CONFIRMED,
    Standing,
    standing_columns,
    standing_from,
)
from asta.marketplace.services.shift_action import (
    MARGIN,
    UnitLimits,
    require,
    situation,
)
from asta.marketplace.terms import PROFILE_TERMS, SHIFT_TERMS, ProfileRow, ShiftRow
from asta.profiles.models import ProfessionalProfile

_USER = bindparam("user_id", type_=sa.Uuid)
_SHIFT = bindparam("shift_id", type_=sa.Uuid)
_Ahead = aliased(WaitlistEntry)
_near = select(
    func.array_agg(Assignment.shift_id).label("ids"),
    func.array_agg(Assignment.starts_at).label("starts"),
    func.array_agg(Assignment.ends_at).label("ends"),
).where(Assignment.professional_id == _USER, Assignment.status == CONFIRMED,
        Assignment.starts_at < Shift.ends_at + MARGIN,
        Assignment.ends_at > Shift.starts_at - MARGIN).lateral("near")

# Rendered once: each claim only binds the two ids.
_QUERY = Precompiled(
    select(
        *[getattr(Shift, name).label(f"s_{name}") for name in SHIFT_TERMS],
        Unit.claim_mode, Unit.min_rest_hours, Unit.weekly_max_hours,
        ProfessionalProfile.user_id.label("profile_of"),  # type: ignore[attr-defined]
        # What the winner's e-mail needs of its reader (notices._reader), read here once.
        select(User.locale).where(User.id == _USER).scalar_subquery().label("locale"),
        col(ProfessionalProfile.notifications).label("e_mail_choices"),
        *[getattr(ProfessionalProfile, name).label(f"p_{name}") for name in PROFILE_TERMS],
        *[c.label(f"standing_{k}") for k, c in enumerate(standing_columns(_USER))],
        select(Assignment.status).where(
            Assignment.shift_id == Shift.id, Assignment.professional_id == _USER,
            Assignment.status.in_(OPEN_ASSIGNMENT_STATUSES))  # type: ignore[attr-defined]
        .limit(1).scalar_subquery().label("own"),
        col(WaitlistEntry.status).label("standby"), WaitlistEntry.offer_expires_at,
        select(func.count()).where(
            _Ahead.shift_id == Shift.id, _Ahead.status == WaitlistStatus.WAITING.value,
            _Ahead.created_at < WaitlistEntry.created_at).scalar_subquery().label("ahead"),
        _near.c.ids, _near.c.starts, _near.c.ends,
    )
    .select_from(Shift).join(Unit, Unit.id == Shift.unit_id)
    .outerjoin(ProfessionalProfile, ProfessionalProfile.user_id == _USER)
    .outerjoin(WaitlistEntry, and_(
        WaitlistEntry.shift_id == Shift.id, WaitlistEntry.professional_id == _USER,
        WaitlistEntry.status.in_(OPEN_WAITLIST_STATUSES)))  # type: ignore[attr-defined]
    .outerjoin(_near, true())
    .where(Shift.id == _SHIFT),
    user_id=uuid.UUID(int=0), shift_id=uuid.UUID(int=0))


@dataclass(frozen=True, slots=True)
class ClaimFacts:
    shift: ShiftRow
    limits: UnitLimits
    who: Standing
    decision: Decision
    reader: tuple[str, dict[str, str]]  # the person's language and e-mail choices

    def require_claimable(self) -> None:
        """The shift's 404 for those who may not see it, else the decision's refusal."""
        require_visible(self.shift, self.who)
        require(self.decision, self.shift, ShiftAction.CLAIM, ShiftAction.REQUEST)


async def claim_facts(connection: asyncpg.Connection, user_id: uuid.UUID,
                      shift_id: uuid.UUID, now: datetime) -> ClaimFacts:
    """On asyncpg (a read connection, or the claim's transaction's): no ORM objects, no
    identity map."""
    rows = await _QUERY.fetch(connection, user_id=user_id, shift_id=shift_id)
    if not rows:
        raise NotFoundError("No such shift")
    values = rows[0]
    if values["profile_of"] is None:
        raise NotFoundError("You have no professional profile")
    shift = ShiftRow(**{name: values[f"s_{name}"] for name in SHIFT_TERMS})
    profile = ProfileRow(**{name: values[f"p_{name}"] for name in PROFILE_TERMS})
    who = standing_from(user_id, profile, [values[f"standing_{k}"] for k in range(5)])
    limits = UnitLimits(values["claim_mode"], values["min_rest_hours"],
                        values["weekly_max_hours"])
    existing = list(zip(values["ids"] or (), values["starts"] or (), values["ends"] or (),
                        strict=True))
    standby = values["standby"]
    decision = decide_action(situation(
        shift, limits, who, existing, own=values["own"], standby=standby,
        standby_position=(values["ahead"] + 1 if standby == WaitlistStatus.WAITING.value
                          else None),
        offer_expires_at=values["offer_expires_at"]), now)
    return ClaimFacts(shift, limits, who, decision,
                      (values["locale"] or "fi", dict(values["e_mail_choices"] or {})))
