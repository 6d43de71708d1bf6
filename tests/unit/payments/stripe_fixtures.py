"""Stripe's published example objects (fixtures3.json, MIT, see LICENSE.stripe-fixtures)
and a checker comparing an object's shape with them."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

FIXTURES_PATH = Path(__file__).parent / "data" / "fixtures3.json"

# Dicts whose keys are data (metadata, one key per capability), not schema.
FREE_FORM_KEYS = frozenset({"metadata", "capabilities", "source_types"})


@cache
def fixtures() -> dict[str, Any]:
    resources: dict[str, Any] = json.loads(FIXTURES_PATH.read_text())["resources"]
    return resources


def json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return {float: "number", str: "string", dict: "object", list: "array"}.get(
        type(value), type(value).__name__)


def shape_mismatches(obj: Any, fixture: Any, *, nullable: frozenset[str] = frozenset(),
                     skip: frozenset[str] = frozenset(), path: str = "") -> list[str]:
    """Differences in keys and (where the fixture is not null) JSON types.

    `nullable` lists paths where our value may be null though the example has one
    (Stripe's example fills optional fields); `skip` lists paths checked elsewhere.
    """
    where = path or "<root>"
    if path in skip:
        return []
    if json_type(obj) != json_type(fixture):
        return [f"{where}: {json_type(obj)} where Stripe has {json_type(fixture)}"]
    problems: list[str] = []
    if isinstance(fixture, dict):
        if path.rsplit(".", 1)[-1] in FREE_FORM_KEYS:
            return []
        for key in sorted(fixture.keys() - obj.keys()):
            problems.append(f"{where}: missing key {key!r}")
        for key in sorted(obj.keys() - fixture.keys()):
            problems.append(f"{where}: extra key {key!r}")
        for key in sorted(fixture.keys() & obj.keys()):
            sub = f"{path}.{key}" if path else key
            if fixture[key] is None:
                continue
            if obj[key] is None:
                if sub not in nullable:
                    problems.append(f"{sub}: null where Stripe has {json_type(fixture[key])}")
                continue
            problems += shape_mismatches(obj[key], fixture[key], nullable=nullable, skip=skip,
                                         path=sub)
    elif isinstance(fixture, list) and fixture:
        for item in obj:
            problems += shape_mismatches(item, fixture[0], nullable=nullable, skip=skip,
                                         path=f"{path}[]")
    return problems
