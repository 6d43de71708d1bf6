from __future__ import annotations

from asta.core.errors import ConflictError


class PushNotConfiguredError(ConflictError):
    """No VAPID key: browsers cannot subscribe to a server that cannot sign its pushes."""

    code = "push_not_configured"
