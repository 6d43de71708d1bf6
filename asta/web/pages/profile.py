"""A professional's own profile and onboarding, through asta.profiles.services."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Role
from asta.core.auth import Principal, requires
from asta.notifications.rules import choices_for
from asta.profiles import services as profiles
from asta.profiles.rules import (
    COMPETENCES,
    LANGUAGE_LEVELS,
    PROFESSIONS,
    SPECIALTIES,
    TIMES_OF_DAY,
)
from asta.profiles.schemas import ProfileRead, ProfileUpdate
from asta.web.forms import Errors, FormAttempt, FormValues
from asta.web.labels import LANGUAGE_CODES
from asta.web.pages.auth import locale_cookie
from asta.web.pages.home import certificate_alerts
from asta.web.profile_form import (
    NOTIFICATION_KINDS,
    code_options,
    data_from_values,
    error_field,
    row_count,
    values_from_form,
    values_from_profile,
)
from asta.web.rendering import page, request_locale

AnyRequest = Request[Any, Any, Any]
professionals_only = requires(Role.PROFESSIONAL)


def _profile_page(request: AnyRequest, profile: ProfileRead, values: FormValues, errors: Errors,
                  *, saved: bool = False, status_code: int = 200) -> Template:
    return page(request, "profile.html", current="profile", status_code=status_code,
                profile=profile, values=values, errors=errors, saved=saved,
                alerts=certificate_alerts(profile),
                rows={g: range(row_count(values, g))
                      for g in ("languages", "certificates", "availability",
                                "weekly_availability")},
                professions=PROFESSIONS, levels=LANGUAGE_LEVELS, times=TIMES_OF_DAY,
                language_codes=LANGUAGE_CODES, weekdays=range(1, 8),
                delivery_choices={kind: choices_for(kind) for kind in NOTIFICATION_KINDS},
                specialty_codes=code_options(values, "specialties", SPECIALTIES),
                competence_codes=code_options(values, "competences", COMPETENCES))


@get("/profile", name="profile", guards=[professionals_only])
async def show_profile(request: AnyRequest, db: AsyncSession, principal: Principal,
                       saved: bool = False) -> Template:
    profile = await profiles.get_my_profile(db, principal)
    values = values_from_profile(profile, request_locale(request))
    return _profile_page(request, profile, values, {}, saved=saved)


@post("/profile", name="profile_save", guards=[professionals_only])
async def save_profile(request: AnyRequest, db: AsyncSession,
                       principal: Principal) -> Template | Redirect:
    locale = request_locale(request)
    values = values_from_form(await request.form())
    data, origins = data_from_values(values)
    async with FormAttempt(db, locale, lambda name: error_field(name, origins)) as attempt:
        update = ProfileUpdate.model_validate(data)
        saved = await profiles.update_my_profile(db, principal, update)
    errors = attempt.errors
    if not errors:
        return Redirect("/profile?saved=true", status_code=303,
                        cookies=[locale_cookie(saved.locale)])
    profile = await profiles.get_my_profile(db, principal)
    return _profile_page(request, profile, values, errors, status_code=422)


@get("/onboarding", name="my_onboarding", guards=[professionals_only])
async def my_onboarding(request: AnyRequest, db: AsyncSession, principal: Principal) -> Template:
    profile = await profiles.get_my_profile(db, principal)
    return page(request, "my_onboarding.html", current="my_onboarding", profile=profile)


HANDLERS = [show_profile, save_profile, my_onboarding]
