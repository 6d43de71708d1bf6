"""What the claim decision reads of a shift and of a profile, as protocols.

The ORM rows (`Shift`, `ProfessionalProfile`) satisfy them, and so do the plain rows a claim
reads in one query without loading ORM objects (asta.marketplace.services.claim_facts): the
same rule functions decide for both.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol


class ShiftTerms(Protocol):
    @property
    def id(self) -> uuid.UUID: ...
    @property
    def unit_id(self) -> uuid.UUID: ...
    @property
    def organisation_id(self) -> uuid.UUID: ...
    @property
    def status(self) -> str: ...
    @property
    def starts_at(self) -> datetime: ...
    @property
    def ends_at(self) -> datetime: ...
    @property
    def profession(self) -> str: ...
    @property
    def positions(self) -> int: ...
    @property
    def assigned_count(self) -> int: ...
    @property
    def offered_count(self) -> int: ...
    @property
    def visibility(self) -> str: ...
    @property
    def required_specialties(self) -> list[str]: ...
    @property
    def required_languages(self) -> dict[str, Any]: ...
    @property
    def required_competences(self) -> list[str]: ...
    @property
    def onboarding_required(self) -> bool: ...


class ProfileTerms(Protocol):
    @property
    def profession(self) -> str | None: ...
    @property
    def registration_valid_until(self) -> date | None: ...
    @property
    def registration_status(self) -> str: ...
    @property
    def languages(self) -> list[dict[str, Any]]: ...
    @property
    def competences(self) -> list[str]: ...
    @property
    def specialties(self) -> list[str]: ...
    @property
    def max_hours_per_week(self) -> float | None: ...


@dataclass(frozen=True, slots=True)
class ShiftRow:
    """A shift's terms as read by one plain query."""

    id: uuid.UUID
    unit_id: uuid.UUID
    organisation_id: uuid.UUID
    status: str
    starts_at: datetime
    ends_at: datetime
    profession: str
    positions: int
    assigned_count: int
    offered_count: int
    visibility: str
    required_specialties: list[str]
    required_languages: dict[str, Any]
    required_competences: list[str]
    onboarding_required: bool


@dataclass(frozen=True, slots=True)
class ProfileRow:
    """A profile's terms as read by one plain query."""

    profession: str | None
    registration_valid_until: date | None
    registration_status: str
    languages: list[dict[str, Any]]
    competences: list[str]
    specialties: list[str]
    max_hours_per_week: float | None


SHIFT_TERMS = tuple(ShiftRow.__dataclass_fields__)
PROFILE_TERMS = tuple(ProfileRow.__dataclass_fields__)
