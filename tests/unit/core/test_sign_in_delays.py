from __future__ import annotations

from datetime import timedelta

import pytest

from asta.accounts.throttle import delay_after


@pytest.mark.parametrize(("failures", "free", "delay"), [
    (0, 5, timedelta(0)), (4, 5, timedelta(0)), (5, 5, timedelta(seconds=15)),
    (6, 5, timedelta(seconds=30)), (7, 5, timedelta(seconds=60)),
    (10, 5, timedelta(minutes=8)), (11, 5, timedelta(minutes=15)), (500, 5, timedelta(minutes=15)),
    (50, 50, timedelta(seconds=15)),
])
def test_delays_double_after_the_free_tries_up_to_a_cap(failures: int, free: int,
                                                        delay: timedelta) -> None:
    assert delay_after(failures, free) == delay
