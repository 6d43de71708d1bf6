"""Where the sign-in page sends someone who still owes the second step, and for how long the
password-only session lasts (asta.web.pages.second_factor handles the step)."""

from __future__ import annotations

from urllib.parse import quote

from asta.accounts.totp import Step

PENDING_MINUTES = 15  # a password-only session: long enough to find the phone


def target(step: Step | None, next_path: str) -> str:
    if step is None:
        return next_path
    return f"/sign-in/{step.value}?next={quote(next_path, safe='/')}"
