"""Sign-in, sign-up, areas, units and their staff."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts import second_factor, throttle
from asta.accounts.identity import sign_in_audit, verification
from asta.accounts.models import Organisation, Role, RoleAssignment, Unit, User
from asta.accounts.schemas import (
    GrantRead,
    MemberCreate,
    MemberRead,
    MeRead,
    OrganisationCreate,
    ProfessionalSignUp,
    SignUpAccepted,
    TokenRequest,
    TokenResponse,
    UnitCreate,
    UnitRead,
    UnitUpdate,
)
from asta.core import audit
from asta.core.auth import Principal, role_names
from asta.core.clock import utcnow
from asta.core.config import get_settings
from asta.core.errors import (
    ConflictError,
    InvalidInputError,
    NotAuthenticatedError,
)
from asta.core.security import hash_password_off_loop, issue_token, verify_password_off_loop
from asta.core.tenancy import (
    organisation_clause,
    organisation_for_admin,
    organisation_for_staff,
    staff_unit_clause,
    unit_for_admin,
    unit_for_staff,
)
from asta.profiles.models import ProfessionalProfile


async def sign_in(session: AsyncSession, data: TokenRequest, ip: str) -> TokenResponse:
    user = await authenticate(session, data, ip)
    checked = await second_factor.check_for_token(session, user.id, data.totp_code)
    minutes = get_settings().access_token_minutes
    return TokenResponse(access_token=issue_token(user.id, version=user.session_version,
                                                  second_factor=checked),
                         expires_in=minutes * 60)


async def authenticate(session: AsyncSession, data: TokenRequest, ip: str) -> User:
    """The password step, throttled; the second factor is the caller's next step."""
    email, now = data.email.lower(), utcnow()
    user = await session.scalar(select(User).where(User.email == email))
    admission = await throttle.admit(
        email, ip, now, recognised=await throttle.recognised(session, email, ip, now))
    ok = await verify_password_off_loop(user.password_hash if user else None, data.password)
    ok = ok and user is not None and user.is_active and user.erased_at is None
    await throttle.settle(admission, now, succeeded=ok)
    await sign_in_audit.record(session, user, succeeded=ok)
    if not ok or not isinstance(user, User):
        raise NotAuthenticatedError("Wrong e-mail address or password")
    verification.require_verified(user)
    user.last_seen_at = now
    return user


async def sign_out_everywhere(session: AsyncSession, principal: Principal) -> None:
    """Ends every session and token of the caller at once (they all name the old version)."""
    await session.execute(update(User).where(User.id == principal.user_id)
                          .values(session_version=User.session_version + 1))
    audit.record(session, actor_id=principal.user_id, entity_type="user",
                 entity_id=principal.user_id, action="sign_out")


async def sign_up_professional(session: AsyncSession, data: ProfessionalSignUp) -> SignUpAccepted:
    """Never tells whether the address has an account: its owner gets an e-mail instead."""
    email = data.email.lower()
    # Hashed either way, so both answers take as long.
    password_hash = await hash_password_off_loop(data.password)
    user_id = await session.scalar(
        insert(User).values(id=uuid.uuid4(), email=email, password_hash=password_hash,
                            full_name=data.full_name, locale=data.locale, is_active=True,
                            email_verified=False, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["email"]).returning(User.id))
    if user_id is None:
        await verification.tell_owner(session, email)
        return SignUpAccepted()
    user = await session.get(User, user_id)
    assert user is not None  # inserted just now
    session.add(RoleAssignment(user_id=user_id, role=Role.PROFESSIONAL.value))
    session.add(ProfessionalProfile(user_id=user_id))
    audit.record(session, actor_id=user_id, entity_type="user", entity_id=user_id,
                 action="sign_up", after=audit.snapshot(user))
    await verification.start(session, user)
    await session.flush()
    return SignUpAccepted()


def me(principal: Principal) -> MeRead:
    return MeRead(id=principal.user_id, email=principal.email, full_name=principal.full_name,
                  locale=principal.locale, roles=role_names(principal.grants),
                  grants=[GrantRead(role=g.role.value, organisation_id=g.organisation_id,
                                    unit_id=g.unit_id) for g in principal.grants])


async def list_organisations(session: AsyncSession, principal: Principal) -> list[Organisation]:
    rows = await session.scalars(select(Organisation).where(organisation_clause(principal))
                                 .order_by(Organisation.name))
    return list(rows)


async def create_organisation(session: AsyncSession, principal: Principal,
                              data: OrganisationCreate) -> Organisation:
    if await session.scalar(select(Organisation.id).where(Organisation.slug == data.slug)):
        raise ConflictError("An organisation with this slug already exists", field="slug")
    organisation = Organisation(name=data.name, slug=data.slug)
    session.add(organisation)
    await session.flush()
    audit.record(session, actor_id=principal.user_id, entity_type="organisation",
                 entity_id=organisation.id, action="create", after=audit.snapshot(organisation),
                 organisation_id=organisation.id)
    return organisation


async def get_organisation(session: AsyncSession, principal: Principal,
                           organisation_id: uuid.UUID) -> Organisation:
    return await organisation_for_staff(session, principal, organisation_id)


def _unit_read(unit: Unit) -> UnitRead:
    return UnitRead.model_validate(unit)


async def list_units(session: AsyncSession, principal: Principal,
                     organisation_id: uuid.UUID) -> list[UnitRead]:
    await organisation_for_staff(session, principal, organisation_id)
    rows = await session.scalars(
        select(Unit).where(Unit.organisation_id == organisation_id, staff_unit_clause(principal))
        .order_by(Unit.name))
    return [_unit_read(u) for u in rows]


async def create_unit(session: AsyncSession, principal: Principal, organisation_id: uuid.UUID,
                      data: UnitCreate) -> UnitRead:
    await organisation_for_admin(session, principal, organisation_id)
    unit = Unit(organisation_id=organisation_id, **data.model_dump())
    session.add(unit)
    await session.flush()
    audit.record(session, actor_id=principal.user_id, entity_type="unit", entity_id=unit.id,
                 action="create", after=audit.snapshot(unit), organisation_id=organisation_id)
    return _unit_read(unit)


async def get_unit(session: AsyncSession, principal: Principal, unit_id: uuid.UUID) -> UnitRead:
    return _unit_read(await unit_for_staff(session, principal, unit_id))


async def unit_for_editing(session: AsyncSession, principal: Principal,
                           unit_id: uuid.UUID) -> UnitRead:
    """The unit as its editor sees it; 404 for anyone who may not change it."""
    return _unit_read(await unit_for_admin(session, principal, unit_id))


async def update_unit(session: AsyncSession, principal: Principal, unit_id: uuid.UUID,
                      data: UnitUpdate) -> UnitRead:
    unit = await unit_for_admin(session, principal, unit_id)
    before = audit.snapshot(unit)
    for key, value in data.model_dump(exclude_unset=True).items():
        if value is None:
            raise InvalidInputError(f"{key} cannot be null", field=key)
        setattr(unit, key, value)
    await session.flush()
    audit.record(session, actor_id=principal.user_id, entity_type="unit", entity_id=unit.id,
                 action="update", before=before, after=audit.snapshot(unit),
                 organisation_id=unit.organisation_id)
    return _unit_read(unit)


async def _member(session: AsyncSession, organisation_id: uuid.UUID, user: User) -> MemberRead:
    rows = await session.scalars(select(RoleAssignment).where(
        RoleAssignment.user_id == user.id, RoleAssignment.organisation_id == organisation_id))
    return MemberRead(user_id=user.id, email=user.email, full_name=user.full_name,
                      grants=[GrantRead.model_validate(r) for r in rows])


async def list_members(session: AsyncSession, principal: Principal,
                       organisation_id: uuid.UUID) -> list[MemberRead]:
    await organisation_for_admin(session, principal, organisation_id)
    users = await session.scalars(
        select(User).where(User.id.in_(  # type: ignore[attr-defined]
            select(RoleAssignment.user_id).where(
                RoleAssignment.organisation_id == organisation_id))).order_by(User.email))
    return [await _member(session, organisation_id, u) for u in users]


async def add_member(session: AsyncSession, principal: Principal, organisation_id: uuid.UUID,
                     data: MemberCreate) -> MemberRead:
    await organisation_for_admin(session, principal, organisation_id)
    if data.role == Role.AREA_ADMIN.value and data.unit_ids:
        raise InvalidInputError("An area admin covers the whole area; leave unit_ids empty",
                                field="unit_ids")
    for unit_id in data.unit_ids:
        unit = await session.get(Unit, unit_id)
        if unit is None or unit.organisation_id != organisation_id:
            raise InvalidInputError(f"Unit {unit_id} is not a unit of this area", field="unit_ids")
    email = data.email.lower()
    user = await session.scalar(select(User).where(User.email == email))
    if user is None:
        if data.password is None:
            raise InvalidInputError("A new account needs an initial password", field="password")
        password_hash = await hash_password_off_loop(data.password)
        user = User(email=email, full_name=data.full_name, password_hash=password_hash)
        session.add(user)
        await session.flush()
        audit.record(session, actor_id=principal.user_id, entity_type="user", entity_id=user.id,
                     action="create", after=audit.snapshot(user), organisation_id=organisation_id)
    scopes: list[uuid.UUID | None] = list(data.unit_ids) or [None]
    existing = {(r.role, r.unit_id) for r in await session.scalars(select(RoleAssignment).where(
        RoleAssignment.user_id == user.id, RoleAssignment.organisation_id == organisation_id))}
    for scope in scopes:
        if (data.role, scope) in existing:
            continue
        grant = RoleAssignment(user_id=user.id, role=data.role, organisation_id=organisation_id,
                               unit_id=scope)
        session.add(grant)
        audit.record(session, actor_id=principal.user_id, entity_type="role_assignment",
                     entity_id=grant.id, action="grant", after=audit.snapshot(grant),
                     organisation_id=organisation_id)
    await session.flush()
    return await _member(session, organisation_id, user)
