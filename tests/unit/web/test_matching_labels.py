"""Every reason the optimiser can give for an open position has words on the run's page."""

from __future__ import annotations

from asta.scheduling import explain
from asta.web.matching_labels import UNFILLED_REASONS


def test_every_open_position_reason_has_a_label() -> None:
    codes = {explain.NOBODY_ELIGIBLE, explain.NOBODY_AVAILABLE, explain.NOT_CHOSEN,
             explain.NOT_EXAMINED, *explain.BLOCKING_ORDER}
    assert codes - UNFILLED_REASONS.keys() == set()
