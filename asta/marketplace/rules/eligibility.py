"""Can this professional work this shift? Every reason is listed, not just the first.

Onboarding is not a disqualification: a professional who meets every requirement but
has not been onboarded at the unit is `eligible` and sees the shift, marked
`onboarding_needed`. They cannot instant-claim it (`can_instant_claim` is False);
they may apply, and the unit books the onboarding first.

`registration_valid_until=None` means an open-ended licence (Valvira's licences
usually are); whether the registration was checked at all is `registration_verified`.
Registrations and certificates are valid through their expiry date, inclusive.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from asta.marketplace.rules.errors import RuleError
from asta.marketplace.rules.refusals import Refusal

LANGUAGE_LEVELS: tuple[str, ...] = ("basic", "professional", "fluent", "native")

WRONG_PROFESSION = "wrong_profession"
REGISTRATION_UNVERIFIED = "registration_unverified"
REGISTRATION_EXPIRED = "registration_expired"
MISSING_LANGUAGE = "missing_language"
LANGUAGE_LEVEL_TOO_LOW = "language_level_too_low"
MISSING_COMPETENCE = "missing_competence"
CERTIFICATE_EXPIRED = "certificate_expired"
MISSING_SPECIALTY = "missing_specialty"
BLOCKED_BY_UNIT = "blocked_by_unit"


def _levels(field_name: str, languages: Mapping[str, str]) -> Mapping[str, str]:
    normalised: dict[str, str] = {}
    for code, level in languages.items():
        if level not in LANGUAGE_LEVELS:
            raise RuleError(
                field_name,
                f"Unknown level {level!r} for {code!r}; use one of {', '.join(LANGUAGE_LEVELS)}",
            )
        normalised[code.lower()] = level
    return MappingProxyType(normalised)


@dataclass(frozen=True)
class ProfessionalFacts:
    profession: str
    registration_valid_until: date | None
    registration_verified: bool
    languages: Mapping[str, str] = field(default_factory=dict)
    competences: AbstractSet[str] = frozenset()
    competence_expiry: Mapping[str, date | None] = field(default_factory=dict)
    specialties: AbstractSet[str] = frozenset()
    onboarded_unit_ids: AbstractSet[Hashable] = frozenset()
    # Units whose schedulers blocked the professional: none of their shifts, in any way.
    blocked_unit_ids: AbstractSet[Hashable] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "languages", _levels("languages", self.languages))
        object.__setattr__(self, "competences", frozenset(self.competences))
        expiry = MappingProxyType(dict(self.competence_expiry))
        object.__setattr__(self, "competence_expiry", expiry)
        object.__setattr__(self, "specialties", frozenset(self.specialties))
        object.__setattr__(self, "onboarded_unit_ids", frozenset(self.onboarded_unit_ids))
        object.__setattr__(self, "blocked_unit_ids", frozenset(self.blocked_unit_ids))


@dataclass(frozen=True)
class ShiftRequirements:
    unit_id: Hashable
    profession: str
    required_languages: Mapping[str, str] = field(default_factory=dict)
    required_competences: AbstractSet[str] = frozenset()
    required_specialties: AbstractSet[str] = frozenset()
    onboarding_required: bool = False

    def __post_init__(self) -> None:
        levels = _levels("required_languages", self.required_languages)
        object.__setattr__(self, "required_languages", levels)
        object.__setattr__(self, "required_competences", frozenset(self.required_competences))
        object.__setattr__(self, "required_specialties", frozenset(self.required_specialties))


Reason = Refusal  # an eligibility reason is a refusal from the one catalogue


@dataclass(frozen=True, slots=True)
class Eligibility:
    eligible: bool
    onboarding_needed: bool
    reasons: tuple[Reason, ...]

    @property
    def can_instant_claim(self) -> bool:
        return self.eligible and not self.onboarding_needed


def check_eligibility(
    professional: ProfessionalFacts, shift: ShiftRequirements, *, on: date
) -> Eligibility:
    """Judge on the shift's local date `on` (a licence valid today may lapse by then)."""
    reasons: list[Reason] = []
    if shift.unit_id in professional.blocked_unit_ids:
        reasons.append(Reason(BLOCKED_BY_UNIT))
    if professional.profession != shift.profession:
        reasons.append(Reason(WRONG_PROFESSION, {"required": shift.profession,
                                                 "yours": professional.profession}))
    if not professional.registration_verified:
        reasons.append(Reason(REGISTRATION_UNVERIFIED))
    valid_until = professional.registration_valid_until
    if valid_until is not None and valid_until < on:
        reasons.append(Reason(REGISTRATION_EXPIRED, {"expired_on": valid_until}))
    reasons += _language_reasons(professional, shift)
    for competence in sorted(shift.required_competences):
        if competence not in professional.competences:
            reasons.append(Reason(MISSING_COMPETENCE, {"competence": competence}))
            continue
        expiry = professional.competence_expiry.get(competence)
        if expiry is not None and expiry < on:
            reasons.append(Reason(CERTIFICATE_EXPIRED, {"competence": competence,
                                                        "expired_on": expiry}))
    for specialty in sorted(shift.required_specialties - professional.specialties):
        reasons.append(Reason(MISSING_SPECIALTY, {"specialty": specialty}))
    return Eligibility(
        eligible=not reasons,
        onboarding_needed=shift.onboarding_required
        and shift.unit_id not in professional.onboarded_unit_ids,
        reasons=tuple(reasons),
    )


def _language_reasons(professional: ProfessionalFacts, shift: ShiftRequirements) -> list[Reason]:
    reasons: list[Reason] = []
    for code, minimum in sorted(shift.required_languages.items()):
        level = professional.languages.get(code)
        if level is None:
            reasons.append(Reason(MISSING_LANGUAGE, {"language": code, "level": minimum}))
        elif LANGUAGE_LEVELS.index(level) < LANGUAGE_LEVELS.index(minimum):
            reasons.append(Reason(LANGUAGE_LEVEL_TOO_LOW, {"language": code, "level": minimum,
                                                           "yours": level}))
    return reasons
