"""Demo data: two wellbeing areas, their units and staff, and a pool of ~120 professionals.

Seeding is idempotent: rows are found by natural keys (slug, e-mail, unit name) and only
missing ones are added, so `asta demo` can run any number of times. Domains add their own
demo data through SEEDERS.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts import totp
from asta.accounts.models import Organisation, Role, RoleAssignment, Unit, User
from asta.accounts.totp_models import SecondFactor
from asta.core import clock
from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from asta.core.security import hash_password
from asta.profiles.models import (
    AvailabilityWindow,
    Certificate,
    OnboardingCompletion,
    OnboardingItem,
    ProfessionalProfile,
    UnitOnboarding,
)

DEMO_PASSWORD = "demo-password"  # noqa: S105 - documented demo-only credential
# The demo admins' and operator's authenticator key (README): add it to any TOTP app.
DEMO_TOTP_SECRET = "ASTADEMOASTADEMOASTADEMOASTADEMO"  # noqa: S105 - documented, demo only
Progress = Callable[[str], None]
Seeder = Callable[[AsyncSession, "DemoWorld", Progress], Awaitable[None]]
SEEDERS: list[Seeder] = []

RATE_CARD = {"base_hourly_cents": {"doctor": 9500, "nurse": 3900, "physiotherapist": 3600,
                                   "psychotherapist": 4200},
             "evening_pct": 15, "night_pct": 30, "saturday_pct": 25, "sunday_pct": 100}

AREAS: list[dict[str, Any]] = [
    {"slug": "kymenlaakso", "name": "Kymenlaakso wellbeing services county", "units": [
        {"name": "Kaiku24 remote reception", "languages": ["fi"],
         "description": "Front-line remote reception of the Kaiku24 contact centre: "
                        "assess, treat and refer patients by phone and video.",
         "onboarding": ["Patient information systems access", "Kaiku24 triage protocol",
                        "Remote prescription practice"]},
        {"name": "Kaiku24 remote consultation", "languages": ["fi"],
         "description": "Remote consultation for nurses of the Kaiku24 contact centre.",
         "onboarding": ["Patient information systems access", "Consultation workflow"]},
    ]},
    {"slug": "pohjanmaa", "name": "Ostrobothnia wellbeing services county", "units": [
        {"name": "Vaasa bilingual remote reception", "languages": ["fi", "sv"],
         "description": "Remote reception in Finnish and Swedish for Ostrobothnia.",
         "onboarding": ["Systems access", "Bilingual service guidelines"]},
        {"name": "Jakobstad digital health centre", "languages": ["sv", "fi"],
         "description": "Digital health centre serving mainly Swedish-speaking patients.",
         "onboarding": ["Systems access", "Local referral pathways"]},
    ]},
]

STAFF = [
    ("admin.kymenlaakso@asta.demo", "Kaisa Admin", Role.AREA_ADMIN, "kymenlaakso"),
    ("scheduler.kymenlaakso@asta.demo", "Sami Scheduler", Role.SCHEDULER, "kymenlaakso"),
    ("admin.pohjanmaa@asta.demo", "Anna Administratör", Role.AREA_ADMIN, "pohjanmaa"),
    ("scheduler.pohjanmaa@asta.demo", "Stina Schemaläggare", Role.SCHEDULER, "pohjanmaa"),
    ("operator@asta.demo", "Olli Operator", Role.PLATFORM_OPERATOR, None),
]

FIRST = ["Aino", "Eero", "Helmi", "Juho", "Kaisa", "Lauri", "Maija", "Niko", "Oona", "Pekka",
         "Riikka", "Sakari", "Tuuli", "Ville", "Elsa", "Johan", "Linnea", "Mikael", "Sofia",
         "Anders"]
LAST = ["Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine",
        "Heikkinen", "Koskinen", "Järvinen", "Lindholm", "Nyström", "Björk", "Sundqvist"]
SPECIALTIES = ["general_practice", "emergency_medicine", "paediatrics", "psychiatry",
               "geriatrics", "occupational_health"]
COMPETENCES = ["remote_consultation", "triage", "e_prescription", "mental_health_first_aid",
               "video_consultation", "als"]
PROFESSIONAL_COUNT = 120


@dataclass
class DemoWorld:
    organisations: dict[str, Organisation]
    units: dict[str, Unit]
    professionals: list[User]
    rng: random.Random


async def _user(session: AsyncSession, email: str, name: str, password_hash: str) -> User:
    user = await session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, full_name=name, password_hash=password_hash,
                    locale="sv" if "pohjanmaa" in email else "fi")
        session.add(user)
        await session.flush()
    return user


async def _enrol(session: AsyncSession, user: User) -> None:
    factor = await session.get(SecondFactor, user.id)
    if factor is None:
        session.add(SecondFactor(user_id=user.id, secret=totp.seal(DEMO_TOTP_SECRET),
                                 confirmed_at=utcnow()))
    elif factor.secret is None or totp.unseal(factor.secret) is None:  # a new ASTA_SECRET_KEY
        factor.secret, factor.confirmed_at = totp.seal(DEMO_TOTP_SECRET), utcnow()


async def _grant(session: AsyncSession, user: User, role: Role,
                 organisation_id: Any = None) -> None:
    exists = await session.scalar(select(RoleAssignment.id).where(
        RoleAssignment.user_id == user.id, RoleAssignment.role == role.value))
    if exists is None:
        session.add(RoleAssignment(user_id=user.id, role=role.value,
                                   organisation_id=organisation_id))


async def _areas(session: AsyncSession) -> tuple[dict[str, Organisation], dict[str, Unit]]:
    organisations, units = {}, {}
    for spec in AREAS:
        org = await session.scalar(select(Organisation).where(Organisation.slug == spec["slug"]))
        if org is None:
            org = Organisation(slug=spec["slug"], name=spec["name"])
            session.add(org)
            await session.flush()
        organisations[spec["slug"]] = org
        for unit_spec in spec["units"]:
            unit = await session.scalar(select(Unit).where(
                Unit.organisation_id == org.id, Unit.name == unit_spec["name"]))
            if unit is None:
                unit = Unit(organisation_id=org.id, name=unit_spec["name"],
                            description=unit_spec["description"],
                            languages=unit_spec["languages"], rate_card=RATE_CARD,
                            claim_mode="instant", cancellation_notice_hours=48)
                session.add(unit)
                await session.flush()
                for position, title in enumerate(unit_spec["onboarding"]):
                    session.add(OnboardingItem(unit_id=unit.id, title=title, position=position))
            units[unit_spec["name"]] = unit
    return organisations, units


def _profile(rng: random.Random, user: User, index: int) -> ProfessionalProfile:
    profession = "doctor" if index <= 100 else rng.choice(["nurse", "nurse", "psychotherapist"])
    swedish = index % 4 == 0
    languages = [{"code": "fi", "level": "native" if not swedish else "fluent"},
                 {"code": "en", "level": rng.choice(["professional", "fluent"])}]
    if swedish:
        languages.append({"code": "sv", "level": rng.choice(["native", "fluent"])})
    elif rng.random() < 0.3:
        languages.append({"code": "sv", "level": rng.choice(["basic", "professional"])})
    verified = index % 10 != 7
    return ProfessionalProfile(
        user_id=user.id, profession=profession,
        registration_number=f"{10000000 + index * 7919:010d}",
        registration_valid_until=date(2031, 12, 31) if index % 15 else clock.today() + timedelta(
            days=20),
        registration_status="verified" if verified else "unverified",
        specialties=sorted(rng.sample(SPECIALTIES, k=rng.randint(1, 2)))
        if profession == "doctor" else [],
        languages=languages,
        competences=sorted(rng.sample(COMPETENCES, k=rng.randint(2, 4))),
        max_hours_per_week=rng.choice([None, 16, 24, 32, 40]),
        min_hourly_pay_cents=rng.choice([None, 8000, 9000]),
        remote_only=rng.random() < 0.6,
        preferred_weekdays=sorted(rng.sample(range(1, 8), k=rng.randint(2, 5))),
        unwanted_times=rng.sample(["night", "evening"], k=rng.randint(0, 1)),
        bio="Demo profile.")


async def _professionals(session: AsyncSession, rng: random.Random, password_hash: str,
                         units: dict[str, Unit], progress: Progress) -> list[User]:
    people = []
    unit_list = list(units.values())
    for index in range(1, PROFESSIONAL_COUNT + 1):
        name = f"{FIRST[index % len(FIRST)]} {LAST[(index * 7) % len(LAST)]}"
        prefix = "doctor" if index <= 100 else "professional"
        user = await _user(session, f"{prefix}{index}@asta.demo", name, password_hash)
        people.append(user)
        if await session.get(ProfessionalProfile, user.id) is not None:
            continue
        await _grant(session, user, Role.PROFESSIONAL)
        session.add(_profile(rng, user, index))
        if index % 6 == 0:
            session.add(Certificate(user_id=user.id, name="ALS course", competence="als",
                                    expires_on=clock.today() + timedelta(days=rng.randint(5, 400))))
        start = utcnow().replace(hour=6, minute=0, second=0, microsecond=0)
        for day in rng.sample(range(1, 28), k=8):
            session.add(AvailabilityWindow(user_id=user.id, starts_at=start + timedelta(days=day),
                                           ends_at=start + timedelta(days=day, hours=14)))
        # Most of the pool is onboarded to one or two units; doctor1 to the Kaiku24 units.
        chosen = unit_list[:2] if index == 1 else rng.sample(unit_list, k=rng.choice([0, 1, 1, 2]))
        for unit in chosen:
            items = await session.scalars(select(OnboardingItem).where(
                OnboardingItem.unit_id == unit.id))
            for item in items:
                session.add(OnboardingCompletion(user_id=user.id, item_id=item.id,
                                                 unit_id=unit.id))
            session.add(UnitOnboarding(user_id=user.id, unit_id=unit.id))
        if index % 40 == 0:
            progress(f"  {index}/{PROFESSIONAL_COUNT} professionals")
    return people


async def seed(progress: Progress = lambda _m: None) -> DemoWorld:
    progress("Seeding demo data (idempotent)")
    rng = random.Random(2025)
    password_hash = hash_password(DEMO_PASSWORD)
    async with unit_of_work() as session:
        organisations, units = await _areas(session)
        for email, name, role, slug in STAFF:
            user = await _user(session, email, name, password_hash)
            await _grant(session, user, role, organisations[slug].id if slug else None)
            if totp.second_factor_required([role]):
                await _enrol(session, user)
        people = await _professionals(session, rng, password_hash, units, progress)
        world = DemoWorld(organisations, units, people, rng)
        import asta.demo_registry  # noqa: F401 - domains append their seeders to SEEDERS

        for seeder in SEEDERS:
            await seeder(session, world, progress)
    progress(f"Demo data ready: {len(organisations)} areas, {len(units)} units, "
             f"{len(people)} professionals")
    return world
