#!/usr/bin/env bash
# The last part of `make test`: the browser journeys, with the type check and the clock check
# (scripts/clock-check.sh) beside them. The journeys wait on pages, e-mail and jobs and leave
# much of the machine idle, which the checks fill: on the 2-core machine the journeys took
# 634 s with the clock check beside them and 659 s alone, and the clock check took 145 s of its
# own after them. Each part's output is printed, and any failure fails the whole.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
(
  "$BIN/mypy" > "$logs/mypy.log" 2>&1
  echo $? > "$logs/mypy.rc"
  scripts/clock-check.sh > "$logs/clock.log" 2>&1
  echo $? > "$logs/clock.rc"
) &
checks=$!
"$BIN/python" -m pytest -m browser tests/browser --durations=15
browser=$?
wait "$checks"
echo "--- mypy"; cat "$logs/mypy.log"
echo "--- scripts/clock-check.sh"; cat "$logs/clock.log"
mypy=$(cat "$logs/mypy.rc") clock=$(cat "$logs/clock.rc")
echo "browser: exit $browser, mypy: exit $mypy, clock check: exit $clock"
[ "$browser" = 0 ] && [ "$mypy" = 0 ] && [ "$clock" = 0 ]
