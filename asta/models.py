"""Every table model, imported so that SQLModel.metadata knows them all (Alembic, tests)."""

from asta.accounts.models import LoginAttempt, Organisation, RoleAssignment, Unit, User
from asta.core.audit import AuditEvent
from asta.notifications.models import Notification
from asta.profiles.models import (
    AvailabilityWindow,
    Certificate,
    OnboardingCompletion,
    OnboardingItem,
    ProfessionalProfile,
    UnitOnboarding,
)

__all__ = [
    "AuditEvent",
    "AvailabilityWindow",
    "Certificate",
    "LoginAttempt",
    "Notification",
    "OnboardingCompletion",
    "OnboardingItem",
    "Organisation",
    "ProfessionalProfile",
    "RoleAssignment",
    "Unit",
    "UnitOnboarding",
    "User",
]
