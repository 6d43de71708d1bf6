"""Pure rules about professionals' credentials."""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")
PROFESSIONS = ("doctor", "nurse", "public_health_nurse", "physiotherapist", "psychotherapist",
               "occupational_therapist", "psychologist", "midwife", "paramedic")
LANGUAGE_LEVELS = ("basic", "professional", "fluent", "native")
TIMES_OF_DAY = ("morning", "day", "evening", "night")
# Stable codes a professional chooses from (the pages show them in fi/sv/en); shifts require
# them by the same codes.
SPECIALTIES = ("general_practice", "emergency_medicine", "internal_medicine", "paediatrics",
               "psychiatry", "geriatrics", "occupational_health", "gynaecology")
COMPETENCES = ("remote_consultation", "video_consultation", "triage", "e_prescription",
               "mental_health_first_aid", "als", "ecg_interpretation", "wound_care")
EXPIRY_WARNING_DAYS = 30

# Valvira (Terhikki) registration numbers are numeric; in practice 9-11 digits.
_REGISTRATION_NUMBER = re.compile(r"^\d{9,11}$")


def registration_number_is_valid(value: str) -> bool:
    return bool(_REGISTRATION_NUMBER.fullmatch(value))


def expires_soon(expires_on: date | None, today: date, *, days: int = EXPIRY_WARNING_DAYS) -> bool:
    """True for credentials that expire within `days` (including already expired today)."""
    return expires_on is not None and today <= expires_on <= today + timedelta(days=days)


def level_at_least(level: str, minimum: str) -> bool:
    return LANGUAGE_LEVELS.index(level) >= LANGUAGE_LEVELS.index(minimum)


def levels_at_least(minimum: str) -> tuple[str, ...]:
    return LANGUAGE_LEVELS[LANGUAGE_LEVELS.index(minimum):]


@dataclass(frozen=True, slots=True)
class ChecklistStep:
    """An active step of a unit's onboarding checklist, as the completeness rule sees it."""

    id: Hashable
    created_at: datetime
    applies_to_onboarded: bool


def onboarding_complete(steps: Sequence[ChecklistStep], done: AbstractSet[Hashable],
                        onboarded_at: datetime | None) -> bool:
    """Every active step done, except steps added after the person was onboarded that the
    unit chose not to require from those already onboarded (a to-do for them, no more).
    An empty checklist cannot be completed anew, and takes nobody's onboarding away."""
    if not steps:
        return onboarded_at is not None
    return all(step.id in done or (not step.applies_to_onboarded and onboarded_at is not None
                                   and onboarded_at < step.created_at) for step in steps)
