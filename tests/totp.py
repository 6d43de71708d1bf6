"""Codes from the tests' authenticator: factories enrol admins and operators with TOTP_SECRET.

A code's time step is accepted once per account (replay), and many tests sign one account in
within 30 seconds, so each code handed out is for a later step than the last one for that
account: the server accepts up to one step ahead.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta

from asta.accounts import totp
from asta.core.clock import utcnow

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
_last_step: dict[str, int] = {}
CLOCK_SLACK_S = 3


def next_code(account: str, secret: str = TOTP_SECRET,
              clock: Callable[[], datetime] = utcnow) -> str:
    """A code the server has not seen for this account yet, waiting for the clock if need be.
    `clock`: the server's, where it is another process (tests/browser)."""
    while True:
        now = clock()
        step = int(now.timestamp()) // totp.STEP_S
        wanted = max(step, _last_step.get(account, step - 1) + 1)
        into_step = now.timestamp() - step * totp.STEP_S
        # A code ahead of the current step only once a few seconds into it: another process's
        # clock (the browser tests' server) may lag ours a little and be a step behind.
        if wanted <= step or (wanted <= step + totp.DRIFT_STEPS and into_step >= CLOCK_SLACK_S):
            _last_step[account] = wanted
            return totp.code_at(secret, now + timedelta(seconds=(wanted - step) * totp.STEP_S))
        time.sleep(1)  # rare: more than two sign-ins of one account in one 30 s step


def step_back(account: str) -> None:
    """The last code handed out for `account` was refused: its step may be used again."""
    if account in _last_step:
        _last_step[account] -= 1
