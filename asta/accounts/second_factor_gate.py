"""Until a session has passed the second step it may do that step and nothing else.

An app-wide guard, so no route can forget it: a principal whose `second_factor_step` is set
(a password-only session of someone with a second factor, or of an admin or operator who has
none yet; or an API token issued before such a role was granted) is refused everywhere except
on handlers marked `opt={SECOND_STEP: True}` and the ways out. The pages turn the refusal into
a redirect to the step (asta.web.pages.second_factor); the API answers 403.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from asta.accounts.totp_errors import SecondFactorPendingError
from asta.core.auth import Principal

SECOND_STEP = "second_factor_step"
WAYS_OUT = frozenset({"/sign-out", "/language", "/api/auth/sign-out"})


async def second_factor_gate(connection: ASGIConnection[Any, Any, Any, Any],
                             handler: BaseRouteHandler) -> None:
    principal = connection.scope.get("user")
    if not isinstance(principal, Principal) or principal.second_factor_step is None:
        return
    if handler.opt.get(SECOND_STEP) or connection.scope["path"] in WAYS_OUT:
        return
    raise SecondFactorPendingError(
        "Finish two-step verification first: sign in on the pages and enter a code from your "
        "authenticator app (an API token needs totp_code)", step=principal.second_factor_step.value)
