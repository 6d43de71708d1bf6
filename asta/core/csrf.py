"""CSRF tokens shared by the pages' forms and cookie-authenticated calls to the JSON API.

The pages use Litestar's CSRF middleware (double submit: the asta_csrf cookie and the token
in the form or the X-CSRFToken header). Under /api/, a request authenticated by the session
cookie that changes state must carry the same token in X-CSRFToken; a bearer token needs
none, as a browser never adds one on its own.
"""

from __future__ import annotations

import hashlib
import hmac

from litestar.config.csrf import CSRFConfig
from litestar.middleware.csrf import CSRF_SECRET_LENGTH, generate_csrf_hash

from asta.core.config import get_settings

CSRF_COOKIE = "asta_csrf"
CSRF_HEADER = "x-csrftoken"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def csrf_secret() -> str:
    # Its own key, derived from the app secret, so a CSRF token never doubles as anything else.
    return hmac.new(get_settings().secret_key.encode(), b"asta-csrf", hashlib.sha256).hexdigest()


def csrf_config() -> CSRFConfig:
    return CSRFConfig(secret=csrf_secret(), cookie_name=CSRF_COOKIE, header_name=CSRF_HEADER,
                      cookie_httponly=True, cookie_samesite="lax",
                      cookie_secure=get_settings().is_production)


def _decoded(token: str, secret: str) -> str | None:
    if len(token) <= CSRF_SECRET_LENGTH:
        return None
    value, mac = token[:CSRF_SECRET_LENGTH], token[CSRF_SECRET_LENGTH:]
    return value if hmac.compare_digest(mac, generate_csrf_hash(token=value, secret=secret)) else None


def tokens_match(sent: str | None, cookie: str | None) -> bool:
    """The same check as Litestar's middleware: both signed by us and naming one value."""
    if not sent or not cookie:
        return False
    secret = csrf_secret()
    a, b = _decoded(sent, secret), _decoded(cookie, secret)
    return a is not None and b is not None and hmac.compare_digest(a, b)
