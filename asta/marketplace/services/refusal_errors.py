"""Refusals from the one catalogue (rules.refusals) as the domain's errors, by rule code."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from asta.core.errors import AstaError
from asta.marketplace.errors import (
    AlreadyClaimedError,
    AlreadyStandingByError,
    NotEligibleError,
    OfferNotOpenError,
    OfferOpenError,
    OnboardingNeededError,
    OverlapError,
    ShiftFullError,
    ShiftNotOpenError,
    StillOpenError,
    WorkingTimeError,
)
from asta.marketplace.rules.refusals import Refusal

WORKING_TIME = {"min_rest", "weekly_max", "personal_weekly_max"}


def refusal_dicts(refusals: Iterable[Refusal]) -> list[dict[str, Any]]:
    return [{"code": r.code, "message": r.message, "params": dict(r.params)} for r in refusals]


def refused(refusals: Sequence[Refusal], *, current_status: str | None = None) -> AstaError:
    """The domain error of the first refusal, carrying every refusal with its numbers."""
    first = refusals[0]
    listed = refusal_dicts(refusals)
    message = "; ".join(r.message for r in refusals)
    code = first.code
    if code == "overlap":
        return OverlapError(first.message, rule=code, violations=listed, refusals=listed)
    if code in WORKING_TIME:
        return WorkingTimeError(message, rule=code, violations=listed, refusals=listed)
    if code == "onboarding_needed":
        return OnboardingNeededError(first.message, reasons=listed, refusals=listed)
    if code in ("shift_cancelled", "shift_started", "shift_worked"):
        return ShiftNotOpenError(first.message, current_status=current_status, refusals=listed)
    if code == "shift_full":
        return ShiftFullError(first.message, positions=first.params.get("positions"),
                              refusals=listed)
    if code in ("already_confirmed", "already_requested"):
        return AlreadyClaimedError(first.message, current_status=code.removeprefix("already_"),
                                   refusals=listed)
    simple: dict[str, type[AstaError]] = {
        "already_standing_by": AlreadyStandingByError, "still_open": StillOpenError,
        "offer_open": OfferOpenError, "offer_not_open": OfferNotOpenError}
    if code in simple:
        return simple[code](first.message, field="shift_id", refusals=listed)
    return NotEligibleError("You cannot take this shift: " + message, reasons=listed,
                            refusals=listed)
