"""CP-SAT leaves SIGINT to the process (`solver.cp`): Ctrl-C after a matching run still shuts
the server down in order, where it used to kill it and leave its PostgreSQL running."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_ctrl_c_after_a_solve_in_a_worker_thread_reaches_python() -> None:
    script = textwrap.dedent("""
        import os, signal, threading, time
        from asta.scheduling.problem import Professional
        from asta.scheduling.solver.core import solve
        from tests.unit.scheduling.factories import daily, problem

        # As a server does (and whatever this process inherited: CI starts it in the background,
        # where SIGINT comes ignored).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        p = problem(daily(7), [Professional("p0"), Professional("p1")])
        results = []
        worker = threading.Thread(target=lambda: results.append(solve(p, time_limit_s=2.0, workers=2)))
        worker.start()
        worker.join()
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(2)
        except KeyboardInterrupt:
            print("shutting down after", results[0].status)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() in ("shutting down after optimal", "shutting down after feasible")
