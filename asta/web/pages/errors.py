"""Errors on pages answer with a page in the person's language, never with API JSON.

The domain still decides what is wrong (asta.core.errors); this only chooses the form.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.response import Redirect

from asta.core.errors import AstaError, NotAuthenticatedError
from asta.web.i18n import N_, gettext
from asta.web.i18n.service_messages import BY_CODE, translate_error
from asta.web.pages.auth import session_cookie
from asta.web.rendering import render_response, request_locale

AnyRequest = Request[Any, Any, Any]

CSRF_FAILED = N_("The form had expired or came from another site. Reload the page and send "
                 "the form again.")
TITLES = {
    400: N_("Check the request"),
    401: N_("Sign in to continue"),
    403: N_("No access"),
    404: N_("Not found"),
    409: N_("Conflict"),
    422: N_("Not allowed"),
    429: N_("Too many attempts"),
}
_GENERIC_TITLE = N_("Something went wrong")


def _error_page(request: AnyRequest, status: int, message: str) -> Response[str]:
    locale = request_locale(request)
    return render_response(request, "error.html", status_code=status, message=message,
                           title=gettext(locale, TITLES.get(status, _GENERIC_TITLE)))


def sign_in_again(request: AnyRequest, _: Exception) -> Response[Any]:
    """An expired or missing session: back to the sign-in page, then back here."""
    target = "/sign-in?next=" + quote(request.url.path + (
        f"?{request.url.query}" if request.url.query else ""), safe="/")
    if request.headers.get("hx-request") == "true":
        return Response("", status_code=200, headers={"HX-Redirect": target},
                        cookies=[session_cookie(None)])
    return Redirect(target, status_code=303, cookies=[session_cookie(None)])


def domain_error(request: AnyRequest, exc: AstaError) -> Response[Any]:
    if isinstance(exc, NotAuthenticatedError):
        return sign_in_again(request, exc)
    return _error_page(request, exc.status, translate_error(request_locale(request), exc))


def http_error(request: AnyRequest, exc: HTTPException) -> Response[Any]:
    locale = request_locale(request)
    if isinstance(exc, NotAuthorizedException):
        return sign_in_again(request, exc)
    if isinstance(exc, PermissionDeniedException) and "CSRF" in str(exc.detail):
        return _error_page(request, 403, gettext(locale, CSRF_FAILED))
    code = {403: "forbidden", 404: "not_found", 400: "invalid_input"}.get(exc.status_code,
                                                                          "bad_request")
    return _error_page(request, exc.status_code, gettext(locale, BY_CODE[code]))


HANDLERS: dict[int | type[Exception], Any] = {
    AstaError: domain_error,
    NotAuthenticatedError: domain_error,
    HTTPException: http_error,
    ValidationException: http_error,
    NotAuthorizedException: http_error,
    PermissionDeniedException: http_error,
    NotFoundException: http_error,
}
