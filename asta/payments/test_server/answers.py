"""What a handler answers, before it becomes ASGI messages."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from asta.payments.test_server.params import ApiFailure


@dataclass
class Answer:
    status: int
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)
    content_type: str = "application/json"


def json_answer(status: int, payload: Any) -> Answer:
    return Answer(status, json.dumps(payload).encode())


def failure_answer(failure: ApiFailure) -> Answer:
    return json_answer(failure.status, failure.body)
