"""Marketplace errors; asta.core.errors turns them into HTTP answers by their base class."""

from __future__ import annotations

from asta.core.errors import ConflictError, RuleViolationError


class InvalidTransitionError(ConflictError):
    code = "invalid_transition"


class ShiftNotOpenError(ConflictError):
    """Claims on cancelled, started or unpublished shifts."""

    code = "shift_not_open"


class ShiftFullError(ConflictError):
    code = "shift_full"


class AlreadyClaimedError(ConflictError):
    code = "already_claimed"


class OverlapError(ConflictError):
    code = "overlap"


class OfferNotOpenError(ConflictError):
    code = "offer_not_open"


class OfferOpenError(ConflictError):
    """A claim or standby on a shift whose position is already offered to this person."""

    code = "offer_open"


class AlreadyStandingByError(ConflictError):
    code = "already_standing_by"


class StillOpenError(ConflictError):
    """Standing by for a shift that still has a free position."""

    code = "still_open"


class AlreadyDoneError(ConflictError):
    """A second submission of something that may be done once (timesheet, approval...)."""

    code = "already_done"


class NotEligibleError(RuleViolationError):
    code = "not_eligible"


class OnboardingNeededError(RuleViolationError):
    code = "onboarding_needed"


class WorkingTimeError(RuleViolationError):
    code = "working_time"
