"""Every table model, imported so that SQLModel.metadata knows them all (Alembic, tests)."""

from asta.accounts.identity.models import EmailToken, Invitation
from asta.accounts.models import (
    LoginAttempt,
    Organisation,
    RoleAssignment,
    SignInThrottle,
    Unit,
    User,
)
from asta.accounts.totp_models import RecoveryCode, SecondFactor
from asta.core.audit import AuditEvent
from asta.core.circuit import Circuit
from asta.core.periodic import PeriodicRun
from asta.marketplace.models import (
    Assignment,
    Shift,
    Timesheet,
    UnitProfessionalMark,
    WaitlistEntry,
)
from asta.notifications.models import Notification
from asta.payments.models import (
    AreaInvoice,
    BillingCustomer,
    ConnectedAccount,
    PayoutTransfer,
    PayoutTransferItem,
    StripeEvent,
    StripePayout,
)
from asta.profiles.models import (
    AvailabilityWindow,
    Certificate,
    OnboardingCompletion,
    OnboardingItem,
    ProfessionalProfile,
    UnitOnboarding,
)
from asta.push.models import PushMessage, PushSubscription
from asta.scheduling.models import (
    ContactHistory,
    ForecastRun,
    MatchingProposal,
    MatchingRun,
    UnfilledPosition,
)
from asta.surveys.models import PatientFeedback, Survey, UnitApiKey

__all__ = [
    "AreaInvoice",
    "Assignment",
    "AuditEvent",
    "AvailabilityWindow",
    "BillingCustomer",
    "Certificate",
    "Circuit",
    "ConnectedAccount",
    "ContactHistory",
    "EmailToken",
    "ForecastRun",
    "Invitation",
    "LoginAttempt",
    "MatchingProposal",
    "MatchingRun",
    "Notification",
    "OnboardingCompletion",
    "OnboardingItem",
    "Organisation",
    "PatientFeedback",
    "PayoutTransfer",
    "PayoutTransferItem",
    "PeriodicRun",
    "ProfessionalProfile",
    "PushMessage",
    "PushSubscription",
    "RecoveryCode",
    "RoleAssignment",
    "SecondFactor",
    "Shift",
    "SignInThrottle",
    "StripeEvent",
    "StripePayout",
    "Survey",
    "Timesheet",
    "UnfilledPosition",
    "Unit",
    "UnitApiKey",
    "UnitOnboarding",
    "UnitProfessionalMark",
    "User",
    "WaitlistEntry",
]
