"""The shape checker itself must catch what it is meant to catch."""

from tests.unit.payments.stripe_fixtures import fixtures, shape_mismatches


def test_fixture_matches_itself() -> None:
    for name in ("account", "transfer", "payout", "balance", "invoice", "event"):
        assert shape_mismatches(fixtures()[name], fixtures()[name]) == []


def test_checker_reports_missing_extra_and_type_changes() -> None:
    transfer = dict(fixtures()["transfer"])
    del transfer["amount_reversed"]
    transfer["surprise"] = 1
    transfer["amount"] = "1100"
    transfer["reversed"] = None
    assert shape_mismatches(transfer, fixtures()["transfer"]) == [
        "<root>: missing key 'amount_reversed'",
        "<root>: extra key 'surprise'",
        "amount: string where Stripe has integer",
        "reversed: null where Stripe has boolean",
    ]


def test_checker_recurses_into_lists_and_allows_listed_nulls() -> None:
    invoice = fixtures()["invoice"]
    changed = {**invoice, "lines": {**invoice["lines"], "data": [
        {**invoice["lines"]["data"][0], "amount": 1.5}]}, "parent": None}
    assert shape_mismatches(changed, invoice, nullable=frozenset({"parent"})) == [
        "lines.data[].amount: number where Stripe has integer"]
