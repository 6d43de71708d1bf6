"""One encrypted, VAPID-signed push to one browser's push service (pywebpush), with the
answer sorted into what the outbox does next."""

from __future__ import annotations

import aiohttp
from pywebpush import WebPushException, webpush_async

from asta.core.config import get_settings
from asta.push.models import PushSubscription

TTL_S = 6 * 3600  # how long a push service keeps it for a device that is offline
TIMEOUT_S = 10


class PushGone(Exception):
    """The push service no longer knows the subscription (404/410): remove it."""


class PushRefused(Exception):
    """The push service refused this push; `permanent` when retrying cannot help."""

    def __init__(self, error: str, *, permanent: bool) -> None:
        super().__init__(error)
        self.permanent = permanent


class PushServiceDown(Exception):
    """The push service could not be reached, or is failing: no push is at fault."""


async def send(http: aiohttp.ClientSession, subscription: PushSubscription,
               payload: str) -> None:
    settings = get_settings()
    info = {"endpoint": subscription.endpoint,
            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}
    try:
        await webpush_async(
            info, data=payload, vapid_private_key=settings.vapid_private_key,
            # A fresh dict each time: the library fills in `aud` and `exp`.
            vapid_claims={"sub": settings.vapid_subject}, ttl=TTL_S, timeout=TIMEOUT_S,
            headers={"Urgency": "high"}, aiohttp_session=http)
    except WebPushException as exc:
        status = exc.status_code
        if status in (404, 410):
            raise PushGone(str(status)) from exc
        if status is None or status == 429 or status >= 500:
            raise PushServiceDown(f"push service answered {status}") from exc
        raise PushRefused(f"push service refused: {status}", permanent=True) from exc
    except (TimeoutError, aiohttp.ClientError, OSError) as exc:
        raise PushServiceDown(f"{type(exc).__name__}: {exc}") from exc
