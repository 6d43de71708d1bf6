from __future__ import annotations

import json
from typing import Any

from asta.core.errors import ConflictError, asta_error_handler


def test_details_cannot_break_or_overwrite_the_error_envelope() -> None:
    error = ConflictError("Shift is full", field="shift", status="filled", detail="x", error="y")
    response = asta_error_handler(None, error)  # type: ignore[arg-type]
    body: dict[str, Any] = json.loads(response.to_asgi_response(None, None).body)  # type: ignore[arg-type]
    assert response.status_code == 409
    assert (body["status_code"], body["error"], body["detail"]) == (409, "conflict",
                                                                      "Shift is full")
    assert (body["status"], body["field"]) == ("filled", "shift")
