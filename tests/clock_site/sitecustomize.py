"""Puts a Python process the tests start (a server, a worker) at the tests' clock.

Python runs this at start-up when this folder is on PYTHONPATH (tests/clock.py sets it).
The process's clock then runs ASTA_TEST_CLOCK_OFFSET_S seconds from the real one, like the
test's own clock (time-machine), while sleeps and timeouts keep real time.
"""

import os

_offset = os.environ.get("ASTA_TEST_CLOCK_OFFSET_S")
if _offset:
    import time

    import time_machine

    time_machine.travel(time.time() + float(_offset), tick=True).start()
