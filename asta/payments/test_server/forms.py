"""Stripe's bracketed form encoding, decoded (the `stripe` package encodes it).

Nesting is spelled `metadata[shift_id]=42` and lists `items[0][price]=p`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl

_KEY_PART = re.compile(r"\[([^\[\]]*)\]")


def _split_key(key: str) -> list[str]:
    head, bracket, _ = key.partition("[")
    if not bracket:
        return [key]
    rest = key[len(head) :]
    return [head, *_KEY_PART.findall(rest)]


def _listify(node: Any) -> Any:
    """Turn dicts keyed "0".."n-1" (Stripe's indexed arrays) into lists."""
    if not isinstance(node, dict):
        return node
    converted = {key: _listify(sub) for key, sub in node.items()}
    keys = list(converted)
    if keys and all(key.isdigit() for key in keys):
        indexes = sorted(int(key) for key in keys)
        if indexes == list(range(len(indexes))):
            return [converted[str(i)] for i in indexes]
    return converted


def decode_pairs(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Rebuild nested dicts and lists from bracketed pairs; leaf values stay strings."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = _split_key(key)
        node = root
        for depth, part in enumerate(parts):
            last = depth == len(parts) - 1
            if part == "":  # `tags[]=a&tags[]=b`: append to a list
                part = str(sum(1 for k in node if k.isdigit()))
            if last:
                node[part] = value
            else:
                child = node.setdefault(part, {})
                if not isinstance(child, dict):
                    raise ValueError(f"conflicting form key {key!r}")
                node = child
    return {key: _listify(sub) for key, sub in root.items()}


def decode_params(body: str) -> dict[str, Any]:
    return decode_pairs(parse_qsl(body, keep_blank_values=True))
