"""Plain factory functions for test data, written through their own unit of work."""

from __future__ import annotations

import itertools
import uuid
from datetime import date
from typing import Any

from asta.accounts.models import Organisation, Role, RoleAssignment, Unit, User
from asta.core.db import unit_of_work
from asta.core.security import hash_password, issue_token
from asta.profiles.models import ProfessionalProfile

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


async def organisation(name: str = "Kymenlaakso") -> Organisation:
    n = next(_seq)
    async with unit_of_work() as session:
        org = Organisation(name=f"{name} {n}", slug=f"area-{n}")
        session.add(org)
    return org


async def unit(org: Organisation, name: str = "Kaiku24 remote reception", **fields: Any) -> Unit:
    async with unit_of_work() as session:
        row = Unit(organisation_id=org.id, name=name,
                   rate_card={"base_hourly_cents": {"doctor": 9000, "nurse": 3800},
                              "evening_pct": 15, "night_pct": 30, "saturday_pct": 25,
                              "sunday_pct": 100}, **fields)
        session.add(row)
    return row


async def user(*grants: tuple[Role, uuid.UUID | None, uuid.UUID | None],
               email: str | None = None, password: str = PASSWORD,
               full_name: str = "Test Person") -> User:
    async with unit_of_work() as session:
        row = User(email=email or f"user{next(_seq)}@asta.test",
                   password_hash=hash_password(password), full_name=full_name)
        session.add(row)
        await session.flush()
        for role, org_id, unit_id in grants:
            session.add(RoleAssignment(user_id=row.id, role=role.value, organisation_id=org_id,
                                       unit_id=unit_id))
    return row


async def professional(*, email: str | None = None, profession: str = "doctor",
                       languages: list[dict[str, str]] | None = None,
                       registration_valid_until: date | None = date(2030, 1, 1),
                       registration_status: str = "verified", **profile: Any) -> User:
    row = await user((Role.PROFESSIONAL, None, None), email=email,
                     full_name=profile.pop("full_name", "Dr Test"))
    async with unit_of_work() as session:
        session.add(ProfessionalProfile(
            user_id=row.id, profession=profession,
            languages=languages if languages is not None else [{"code": "fi", "level": "native"}],
            registration_number=f"{next(_seq):010d}",
            registration_valid_until=registration_valid_until,
            registration_status=registration_status, **profile))
    return row


async def scheduler(org: Organisation, unit_row: Unit | None = None) -> User:
    return await user((Role.SCHEDULER, org.id, unit_row.id if unit_row else None))


async def area_admin(org: Organisation) -> User:
    return await user((Role.AREA_ADMIN, org.id, None))


async def operator() -> User:
    return await user((Role.PLATFORM_OPERATOR, None, None))


def auth(person: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(person.id)}"}
