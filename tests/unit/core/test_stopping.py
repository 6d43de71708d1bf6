"""SIGINT and SIGTERM unwind Asta the same way, and a second signal cannot cut cleanup short."""

from __future__ import annotations

import os
import signal

import pytest

from asta.stopping import stop_on_signals


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_the_first_signal_unwinds_and_later_ones_wait_for_the_cleanup(
        signum: signal.Signals) -> None:
    said: list[str] = []
    cleaned_up = False
    before = signal.getsignal(signum)
    with pytest.raises(KeyboardInterrupt), stop_on_signals(said.append):
        try:
            os.kill(os.getpid(), signum)
            signal.pause()  # never reached: the handler raises on delivery
        finally:
            os.kill(os.getpid(), signal.SIGTERM)  # an impatient operator, during cleanup
            os.kill(os.getpid(), signal.SIGINT)
            cleaned_up = True
    assert cleaned_up
    assert said == [f"Stopping ({signum.name})", "Already stopping (SIGTERM ignored)",
                    "Already stopping (SIGINT ignored)"]
    assert signal.getsignal(signum) is before
