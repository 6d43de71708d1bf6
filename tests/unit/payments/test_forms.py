import pytest

from asta.payments.forms import decode_params, encode_pairs, encode_params


@pytest.mark.parametrize(
    ("params", "pairs"),
    [
        ({"amount": 1100, "currency": "eur"}, [("amount", "1100"), ("currency", "eur")]),
        ({"metadata": {"shift_id": "42"}}, [("metadata[shift_id]", "42")]),
        ({"capabilities": {"transfers": {"requested": True}}},
         [("capabilities[transfers][requested]", "true")]),
        ({"items": [{"price": "p1"}, {"price": "p2", "quantity": 2}]},
         [("items[0][price]", "p1"), ("items[1][price]", "p2"), ("items[1][quantity]", "2")]),
        ({"expand": ["data.destination"]}, [("expand[0]", "data.destination")]),
        ({"auto_advance": False, "description": None}, [("auto_advance", "false")]),
        ({"description": ""}, [("description", "")]),
    ],
)
def test_encode_pairs(params: dict[str, object], pairs: list[tuple[str, str]]) -> None:
    assert encode_pairs(params) == pairs


def test_encode_escapes_brackets_and_values() -> None:
    assert encode_params({"metadata": {"note": "a&b=c ä"}}) == (
        "metadata%5Bnote%5D=a%26b%3Dc+%C3%A4")


@pytest.mark.parametrize(
    "params",
    [
        {"amount": "1100", "metadata": {"shift_id": "42", "area": "kymsote"}},
        {"items": [{"price": "p1"}, {"price": "p2", "quantity": "2"}]},
        {"capabilities": {"transfers": {"requested": "true"}}},
        {"a": {"b": {"c": ["x", "y"]}}},
    ],
)
def test_decode_inverts_encode(params: dict[str, object]) -> None:
    assert decode_params(encode_params(params)) == params


def test_decode_empty_brackets_append() -> None:
    assert decode_params("tags[]=a&tags[]=b") == {"tags": ["a", "b"]}


def test_decode_non_contiguous_indexes_stay_a_dict() -> None:
    assert decode_params("a[0]=x&a[2]=y") == {"a": {"0": "x", "2": "y"}}


def test_decode_conflicting_keys_is_an_error() -> None:
    with pytest.raises(ValueError, match="conflicting"):
        decode_params("metadata=x&metadata[a]=b")
