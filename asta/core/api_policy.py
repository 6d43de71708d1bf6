"""What every state-changing call to the JSON API must bring, whoever handles it.

- Authenticated by the session cookie (a browser), it carries the CSRF token in the
  X-CSRFToken header, or it is refused with 403: another site can make a browser send the
  cookie, never the token. Bearer-token calls are unaffected.
- A body is JSON and says so: any other content type is refused with 415, so a form or a
  text/plain body, which another site can send without a CORS preflight, is never parsed.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from asta.core.auth import SESSION_COOKIE, bearer_token
from asta.core.csrf import CSRF_COOKIE, CSRF_HEADER, SAFE_METHODS, tokens_match
from asta.core.errors import PermissionDeniedError, UnsupportedMediaTypeError


class CsrfFailedError(PermissionDeniedError):
    code = "csrf_failed"


API_PREFIX = "/api/"


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/")
                                            and media.endswith("+json"))


def _has_body(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    length = connection.headers.get("content-length")
    return "transfer-encoding" in connection.headers or (length is not None and length != "0")


def check_api_request(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    if connection.scope.get("method", "GET") in SAFE_METHODS:
        return
    cookie_session = bearer_token(connection) is None and SESSION_COOKIE in connection.cookies
    if cookie_session and not tokens_match(connection.headers.get(CSRF_HEADER),
                                           connection.cookies.get(CSRF_COOKIE)):
        raise CsrfFailedError(
            "CSRF check failed: a call authenticated by the session cookie must send the page's "
            "CSRF token in the X-CSRFToken header (or use a bearer token)")
    content_type = connection.headers.get("content-type", "")
    if _has_body(connection) and not _is_json(content_type):
        raise UnsupportedMediaTypeError(
            f"The body must be JSON sent as application/json, not {content_type or 'untyped'}")


class ApiRequestPolicyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and scope["path"].startswith(API_PREFIX):
            check_api_request(ASGIConnection(scope, receive=receive, send=send))
        await self.app(scope, receive, send)
