"""The stand-in decodes Stripe's bracketed forms (the `stripe` package encodes them)."""

import pytest

from asta.payments.test_server.forms import decode_params


@pytest.mark.parametrize(
    ("body", "params"),
    [
        ("amount=1100&currency=eur", {"amount": "1100", "currency": "eur"}),
        ("metadata%5Bshift_id%5D=42&metadata%5Barea%5D=kymsote",
         {"metadata": {"shift_id": "42", "area": "kymsote"}}),
        ("capabilities%5Btransfers%5D%5Brequested%5D=true",
         {"capabilities": {"transfers": {"requested": "true"}}}),
        ("items%5B0%5D%5Bprice%5D=p1&items%5B1%5D%5Bprice%5D=p2&items%5B1%5D%5Bquantity%5D=2",
         {"items": [{"price": "p1"}, {"price": "p2", "quantity": "2"}]}),
        ("a%5Bb%5D%5Bc%5D%5B0%5D=x&a%5Bb%5D%5Bc%5D%5B1%5D=y", {"a": {"b": {"c": ["x", "y"]}}}),
        ("metadata%5Bnote%5D=a%26b%3Dc+%C3%A4", {"metadata": {"note": "a&b=c ä"}}),
        ("description=", {"description": ""}),
    ],
)
def test_decode(body: str, params: dict[str, object]) -> None:
    assert decode_params(body) == params


def test_decode_empty_brackets_append() -> None:
    assert decode_params("tags[]=a&tags[]=b") == {"tags": ["a", "b"]}


def test_decode_non_contiguous_indexes_stay_a_dict() -> None:
    assert decode_params("a[0]=x&a[2]=y") == {"a": {"0": "x", "2": "y"}}


def test_decode_conflicting_keys_is_an_error() -> None:
    with pytest.raises(ValueError, match="conflicting"):
        decode_params("metadata=x&metadata[a]=b")
