"""Who is asking: the principal, the middleware that finds it, and role guards.

Tenancy is decided here and in asta.core.tenancy only; handlers never check roles themselves.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.accounts.models import Role, RoleAssignment, User
from asta.accounts.totp import Step, second_factor_step
from asta.accounts.totp_models import SecondFactor
from asta.core.errors import NotAuthenticatedError, PermissionDeniedError
from asta.core.hot_reads import Precompiled, read_connection
from asta.core.security import TokenSubject, read_token

SESSION_COOKIE = "asta_session"


@dataclass(frozen=True)
class Grant:
    role: Role
    organisation_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Principal:
    user_id: uuid.UUID
    email: str
    full_name: str
    locale: str
    grants: tuple[Grant, ...] = field(default_factory=tuple)
    # Not None: the session has not passed the second step, and may do only that
    # (asta.accounts.second_factor_gate).
    second_factor_step: Step | None = None

    def has_role(self, *roles: Role) -> bool:
        return any(g.role in roles for g in self.grants)

    @property
    def is_operator(self) -> bool:
        return self.has_role(Role.PLATFORM_OPERATOR)

    @property
    def is_professional(self) -> bool:
        return self.has_role(Role.PROFESSIONAL)

    def admin_organisations(self) -> frozenset[uuid.UUID]:
        return frozenset(g.organisation_id for g in self.grants
                         if g.role is Role.AREA_ADMIN and g.organisation_id)

    def area_scheduler_organisations(self) -> frozenset[uuid.UUID]:
        """Areas where the person schedules every unit."""
        return frozenset(g.organisation_id for g in self.grants
                         if g.role is Role.SCHEDULER and g.organisation_id and g.unit_id is None)

    def scheduled_units(self) -> frozenset[uuid.UUID]:
        """Single units the person schedules (in addition to whole areas)."""
        return frozenset(g.unit_id for g in self.grants if g.role is Role.SCHEDULER and g.unit_id)

    def member_organisations(self) -> frozenset[uuid.UUID]:
        return frozenset(g.organisation_id for g in self.grants if g.organisation_id)


async def principal_in(session: AsyncSession, user_id: uuid.UUID) -> Principal | None:
    """The user as a principal, read through the caller's session (and transaction)."""
    user = await session.get(User, user_id)
    if user is None or not user.is_active or user.erased_at is not None:
        return None
    rows = (await session.scalars(
        select(RoleAssignment).where(RoleAssignment.user_id == user_id))).all()
    grants = tuple(Grant(Role(r.role), r.organisation_id, r.unit_id) for r in rows)
    return Principal(user.id, user.email, user.full_name, user.locale, grants)


_PRINCIPAL_QUERY = Precompiled(
    select(User.email, User.full_name, User.locale, RoleAssignment.role,
           RoleAssignment.organisation_id, RoleAssignment.unit_id,
           col(SecondFactor.secret).label("second_factor"))
    .select_from(User).outerjoin(RoleAssignment, RoleAssignment.user_id == User.id)
    .outerjoin(SecondFactor, col(SecondFactor.user_id) == User.id)
    .where(User.id == bindparam("user_id"), User.is_active.is_(True),  # type: ignore[attr-defined]
           User.erased_at.is_(None),  # type: ignore[union-attr]
           # A token issued before the last sign-out, password or role change is revoked.
           User.session_version == bindparam("version")),
    user_id=uuid.UUID(int=0), version=0)


async def load_principal(subject: TokenSubject) -> Principal | None:
    """Every request pays for this: one round trip, no ORM session, no transaction."""
    async with read_connection() as connection:
        rows = await _PRINCIPAL_QUERY.fetch(connection, user_id=subject.user_id,
                                            version=subject.version)
    if not rows:
        return None
    first = rows[0]
    grants = tuple(Grant(Role(r["role"]), r["organisation_id"], r["unit_id"])
                   for r in rows if r["role"])
    step = second_factor_step((g.role for g in grants),
                              enrolled=first["second_factor"] is not None,
                              verified=subject.second_factor)
    return Principal(subject.user_id, first["email"], first["full_name"], first["locale"],
                     grants, step)


def bearer_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token:
        return token.strip()
    return None


class AuthenticationMiddleware(AbstractAuthenticationMiddleware):
    """Bearer token (API) or session cookie (pages); anonymous requests pass with no user."""

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        token = bearer_token(connection)
        kind = "access"
        if token is None and SESSION_COOKIE in connection.cookies:
            token, kind = connection.cookies[SESSION_COOKIE], "session"
        if token is None:
            return AuthenticationResult(user=None, auth=None)
        subject = read_token(token, kind=kind)
        principal = await load_principal(subject) if subject else None
        if principal is None:
            raise NotAuthenticatedError("The access token is invalid or has expired; sign in again")
        return AuthenticationResult(user=principal, auth=token)


def current_principal(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    user = connection.scope.get("user")
    if not isinstance(user, Principal):
        raise NotAuthenticatedError("Sign in first: this needs an access token")
    return user


# Guards are coroutines: Litestar runs a plain function in a worker thread, and that hand-off
# (twice a request, with the send hook) was 15 % of an API process's time during a burst of
# claims (benchmarks/README_claims.md).
Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]


def requires(*roles: Role) -> Guard:
    """A guard: the caller is signed in (401) and holds one of these roles (403)."""
    allowed = frozenset(roles)

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = current_principal(connection)
        if not principal.has_role(*allowed):
            names = ", ".join(sorted(r.value for r in allowed))
            raise PermissionDeniedError(f"This needs one of the roles: {names}")

    return guard


async def signed_in(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    current_principal(connection)


STAFF_ROLES: tuple[Role, ...] = (Role.SCHEDULER, Role.AREA_ADMIN, Role.PLATFORM_OPERATOR)
ADMIN_ROLES: tuple[Role, ...] = (Role.AREA_ADMIN, Role.PLATFORM_OPERATOR)


def provide_principal(request: Any) -> Principal:
    """Dependency: the signed-in caller (guards have already required one)."""
    return current_principal(request)


def role_names(grants: Iterable[Grant]) -> list[str]:
    return sorted({g.role.value for g in grants})
