"""The home page: what needs attention, for each role the person holds."""

from __future__ import annotations

import time
from typing import Any

from litestar import Request, get
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts import services as accounts
from asta.accounts.models import Role
from asta.core import clock
from asta.core.auth import Principal, signed_in
from asta.marketplace import services as marketplace
from asta.profiles import services as profiles
from asta.profiles.rules import PROFESSIONS
from asta.profiles.schemas import ProfileRead
from asta.profiles.services.pool import PoolFilters
from asta.web.charts import Chart, bar_chart
from asta.web.i18n import N_, gettext
from asta.web.labels import PROFESSION_LABELS
from asta.web.rendering import page, request_locale

AnyRequest = Request[Any, Any, Any]


def profile_todo(profile: ProfileRead) -> list[str]:
    """What is still missing before shifts can be offered (msgids)."""
    todo = []
    if not profile.profession:
        todo.append(N_("Choose your profession."))
    if not profile.registration_number:
        todo.append(N_("Add your Valvira registration number."))
    if not profile.languages:
        todo.append(N_("List the languages you work in."))
    if not profile.availability:
        todo.append(N_("Tell when you are available."))
    return todo


def certificate_alerts(profile: ProfileRead) -> list[dict[str, Any]]:
    today = clock.today()
    return [{"name": c.name, "expires_on": c.expires_on,
             "expired": c.expires_on is not None and c.expires_on < today}
            for c in profile.certificates
            if c.expires_soon or (c.expires_on is not None and c.expires_on < today)]


async def units_by_area(db: AsyncSession, principal: Principal) -> list[dict[str, Any]]:
    areas = await accounts.list_organisations(db, principal)
    return [{"organisation": area, "units": await accounts.list_units(db, principal, area.id)}
            for area in areas]


# The pool is national, so its counts are the same for every viewer; a minute-old count is
# fine on a home page and saves nine queries (asta.profiles has no count-by-profession yet).
POOL_COUNTS_TTL_S = 60.0
_pool_counts: dict[str, tuple[float, list[int]]] = {}


async def pool_counts(db: AsyncSession, principal: Principal) -> list[int]:
    cached = _pool_counts.get("all")
    if cached and time.monotonic() - cached[0] < POOL_COUNTS_TTL_S:
        return cached[1]
    counts = [(await profiles.search_professionals(
        db, principal, PoolFilters(profession=p, limit=1))).total for p in PROFESSIONS]
    _pool_counts["all"] = (time.monotonic(), counts)
    return counts


async def pool_chart(db: AsyncSession, principal: Principal, locale: str) -> Chart:
    counts = await pool_counts(db, principal)
    return bar_chart(
        title=gettext(locale, "Professionals in the pool by profession"),
        description=gettext(locale, "Number of professionals in the national pool, per "
                                    "profession. The same numbers are in the table below."),
        labels=[gettext(locale, PROFESSION_LABELS[p]) for p in PROFESSIONS], values=counts,
        label_header=gettext(locale, "Profession"),
        value_header=gettext(locale, "Professionals"))


@get("/home", name="home", guards=[signed_in])
async def home(request: AnyRequest, db: AsyncSession, principal: Principal) -> Template:
    locale = request_locale(request)
    context: dict[str, Any] = {}
    if principal.is_professional:
        profile = await profiles.get_my_profile(db, principal)
        context["profile"] = profile
        context["todo"] = profile_todo(profile)
        context["alerts"] = certificate_alerts(profile)
    if principal.has_role(Role.SCHEDULER, Role.AREA_ADMIN, Role.PLATFORM_OPERATOR):
        context["todos"] = await marketplace.staff_todos(db, principal, clock.utcnow())
        context["areas"] = await units_by_area(db, principal)
        context["pool_total"] = (await profiles.search_professionals(
            db, principal, PoolFilters(limit=1))).total
    if principal.has_role(Role.AREA_ADMIN, Role.PLATFORM_OPERATOR):
        context["pool_chart"] = await pool_chart(db, principal, locale)
    return page(request, "home.html", current="home", **context)


HANDLERS = [home]
