"""Stripe's error answers and readers for form parameters (which arrive as strings)."""

from __future__ import annotations

import re
from typing import Any

_CURRENCY = re.compile(r"^[a-z]{3}$")


class ApiFailure(Exception):
    """An answer in Stripe's error format; `stored` says idempotency keeps it."""

    def __init__(self, status: int, message: str, *, type: str = "invalid_request_error",
                 code: str | None = None, param: str | None = None,
                 decline_code: str | None = None, stored: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.body: dict[str, Any] = {"error": {
            k: v for k, v in {"type": type, "message": message, "code": code, "param": param,
                              "decline_code": decline_code}.items() if v is not None}}
        self.stored = stored


def missing(param: str) -> ApiFailure:
    return ApiFailure(400, f"Missing required param: {param}.", code="parameter_missing",
                      param=param)


def no_such(kind: str, id: str, param: str = "id", status: int = 404) -> ApiFailure:
    return ApiFailure(status, f"No such {kind}: '{id}'", code="resource_missing", param=param)


def p_str(params: dict[str, Any], name: str, *, required: bool = False,
          choices: tuple[str, ...] = ()) -> str | None:
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise missing(name)
        return None
    if not isinstance(value, str) or (choices and value not in choices):
        raise ApiFailure(400, f"Invalid {name}: {value!r}", code="parameter_invalid_string"
                         if not choices else "parameter_unknown", param=name)
    return value


def req_str(params: dict[str, Any], name: str, *, choices: tuple[str, ...] = ()) -> str:
    value = p_str(params, name, required=True, choices=choices)
    if value is None:  # p_str raised already; this narrows the type
        raise missing(name)
    return value


def req_int(params: dict[str, Any], name: str, *, minimum: int | None = None) -> int:
    value = p_int(params, name, required=True, minimum=minimum)
    if value is None:
        raise missing(name)
    return value


def p_int(params: dict[str, Any], name: str, *, required: bool = False,
          minimum: int | None = None) -> int | None:
    raw = p_str(params, name, required=required)
    if raw is None:
        return None
    if not re.fullmatch(r"-?\d+", raw):
        raise ApiFailure(400, f"Invalid integer: {raw}", code="parameter_invalid_integer",
                         param=name)
    value = int(raw)
    if minimum is not None and value < minimum:
        raise ApiFailure(400, f"Invalid {name}: must be at least {minimum}",
                         code="parameter_invalid_integer", param=name)
    return value


def p_bool(params: dict[str, Any], name: str, default: bool) -> bool:
    raw = p_str(params, name)
    if raw is None:
        return default
    if raw not in ("true", "false"):
        raise ApiFailure(400, f"Invalid boolean: {raw}", code="parameter_invalid_boolean",
                         param=name)
    return raw == "true"


def p_currency(params: dict[str, Any]) -> str:
    value = req_str(params, "currency").lower()
    if not _CURRENCY.match(value):
        raise ApiFailure(400, f"Invalid currency: {value}", code="parameter_invalid_string",
                         param="currency")
    return value


def p_metadata(params: dict[str, Any]) -> dict[str, str]:
    raw = params.get("metadata")
    if raw is None or raw == "":
        return {}
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise ApiFailure(400, "Invalid metadata: must be a hash of strings",
                         code="parameter_invalid_string", param="metadata")
    if len(raw) > 50 or any(len(k) > 40 or len(v) > 500 for k, v in raw.items()):
        raise ApiFailure(400, "Metadata exceeds Stripe's limits (50 keys, 40/500 chars)",
                         param="metadata")
    return {k: v for k, v in raw.items() if v != ""}
