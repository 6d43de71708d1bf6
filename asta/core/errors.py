"""Domain errors and the one place that turns them into HTTP answers."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.types import ExceptionHandlersMap
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

log = logging.getLogger(__name__)


class AstaError(Exception):
    """Base of every error a user can cause; `status` is the HTTP status it maps to."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, field: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details


class NotAuthenticatedError(AstaError):
    status = 401
    code = "not_authenticated"


class PermissionDeniedError(AstaError):
    status = 403
    code = "forbidden"


class NotFoundError(AstaError):
    status = 404
    code = "not_found"


class ConflictError(AstaError):
    status = 409
    code = "conflict"


class RuleViolationError(AstaError):
    """A business rule refuses the change (rest time, weekly hours, eligibility...)."""

    status = 422
    code = "rule_violation"


class InvalidInputError(AstaError):
    status = 422
    code = "invalid_input"


class UnsupportedMediaTypeError(AstaError):
    status = 415
    code = "unsupported_media_type"


class TooManyAttemptsError(AstaError):
    status = 429
    code = "too_many_attempts"


def _body(code: str, message: str, status: int, /, **extra: Any) -> dict[str, Any]:
    # Details never overwrite the envelope's own keys.
    return {**extra, "status_code": status, "error": code, "detail": message}


def asta_error_handler(_: Request[Any, Any, Any], exc: AstaError) -> Response[Any]:
    extra: dict[str, Any] = dict(exc.details)
    if exc.field:
        extra["field"] = exc.field
    headers = {}
    if isinstance(exc, TooManyAttemptsError) and "retry_after_s" in exc.details:
        headers["Retry-After"] = str(exc.details["retry_after_s"])
    if isinstance(exc, NotAuthenticatedError):
        headers["WWW-Authenticate"] = "Bearer"
    return Response(_body(exc.code, exc.message, exc.status, **extra), status_code=exc.status,
                    headers=headers)


def validation_error_handler(_: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    """Say which field is wrong and why; Litestar's default hides this behind a generic text."""
    errors = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            errors.append({"field": item.get("key") or item.get("source"),
                           "message": item.get("message")})
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or str(exc.detail)
    return Response(_body("invalid_input", f"Invalid request: {summary}", 400, errors=errors),
                    status_code=400)


def http_error_handler(_: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    code = {401: "not_authenticated", 403: "forbidden", 404: "not_found",
            405: "method_not_allowed"}.get(exc.status_code, "http_error")
    headers = dict(exc.headers or {})
    if isinstance(exc, NotAuthorizedException):
        headers.setdefault("WWW-Authenticate", "Bearer")
    return Response(_body(code, str(exc.detail), exc.status_code), status_code=exc.status_code,
                    headers=headers)


def integrity_error_handler(_: Request[Any, Any, Any], exc: IntegrityError) -> Response[Any]:
    """A constraint the database enforces (uniqueness, no overlap) is a conflict, not a crash."""
    constraint = getattr(getattr(exc.orig, "__cause__", None), "constraint_name", None)
    message = CONSTRAINT_MESSAGES.get(constraint or "", "The change conflicts with existing data")
    return Response(_body("conflict", message, 409, constraint=constraint), status_code=409)


def database_error_handler(_: Request[Any, Any, Any], exc: DBAPIError) -> Response[Any]:
    sqlstate = getattr(getattr(exc.orig, "__cause__", None), "sqlstate", None)
    if sqlstate in {"40001", "40P01", "55P03"}:  # serialization failure, deadlock, lock timeout
        return Response(_body("conflict", "A concurrent change got there first; try again", 409),
                        status_code=409)
    if sqlstate and sqlstate.startswith("22"):  # data exception: value out of range etc.
        log.warning("database refused a value: %s", exc.orig)
        return Response(_body("invalid_input", "A value is out of the allowed range", 422),
                        status_code=422)
    raise exc


def pool_timeout_handler(_: Request[Any, Any, Any], exc: PoolTimeoutError) -> Response[Any]:
    """Every connection of this process stayed busy for the pool's whole timeout: the server
    is overloaded, which is not a bug in the request; say so and when to try again."""
    log.warning("no database connection in time: %s", exc)
    return Response(_body("busy", "The service is busy; try again in a moment", 503),
                    status_code=503, headers={"Retry-After": "1"})


CONSTRAINT_MESSAGES: dict[str, str] = {}
"""Domains register friendly messages for their named constraints here."""

EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    AstaError: asta_error_handler,
    ValidationException: validation_error_handler,
    NotAuthorizedException: http_error_handler,
    PermissionDeniedException: http_error_handler,
    HTTPException: http_error_handler,
    IntegrityError: integrity_error_handler,
    DBAPIError: database_error_handler,
    PoolTimeoutError: pool_timeout_handler,
}
