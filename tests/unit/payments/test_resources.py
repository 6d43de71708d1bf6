"""Every field Asta reads from a Stripe response exists in Stripe's example object."""

import types
from typing import Any, Union, get_args, get_origin, get_type_hints, is_typeddict

import pytest

from asta.payments.resources import FIXTURE_OF
from tests.unit.payments.stripe_fixtures import fixtures


def _read_paths(typed: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """(path, type) of every field, descending into nested TypedDicts and lists of them."""
    paths = []
    for name, hint in get_type_hints(typed).items():
        path = f"{prefix}{name}"
        paths.append((path, hint))
        if get_origin(hint) is list and is_typeddict(get_args(hint)[0]):
            paths += _read_paths(get_args(hint)[0], f"{path}[0].")
        elif is_typeddict(hint):
            paths += _read_paths(hint, f"{path}.")
    return paths


def _lookup(obj: Any, path: str) -> Any:
    for part in path.replace("[0]", ".0").split("."):
        obj = obj[int(part)] if part.isdigit() else obj[part]
    return obj


def _accepts(hint: Any, value: Any) -> bool:
    if value is None:
        return get_origin(hint) in (Union, types.UnionType) and type(None) in get_args(hint)
    if get_origin(hint) in (Union, types.UnionType):
        return any(_accepts(arg, value) for arg in get_args(hint) if arg is not type(None))
    origin = get_origin(hint) or hint
    if is_typeddict(origin):
        origin = dict
    if origin is Any:
        return True
    if origin is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, origin)


CASES = [(resource, path, hint) for resource, typed in FIXTURE_OF.items()
         for path, hint in _read_paths(typed)]


@pytest.mark.parametrize(("resource", "path", "hint"), CASES,
                         ids=[f"{r}.{p}" for r, p, _ in CASES])
def test_field_exists_in_stripe_fixture_with_a_compatible_type(
    resource: str, path: str, hint: Any
) -> None:
    value = _lookup(fixtures()[resource], path)  # KeyError here: Stripe has no such field
    assert _accepts(hint, value), f"{resource}.{path} = {value!r} does not fit {hint}"


def test_every_typed_resource_has_a_fixture() -> None:
    assert set(FIXTURE_OF) <= set(fixtures())
    # The walker really descends into nested types (else the check above proves little).
    walked = {(resource, path) for resource, path, _ in CASES}
    assert {("balance", "available[0].amount"), ("account", "capabilities.transfers"),
            ("account", "requirements.currently_due"), ("event", "data.object")} <= walked
