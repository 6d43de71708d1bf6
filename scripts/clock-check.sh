#!/usr/bin/env bash
# Runs the date-sensitive tests at the clock settings where date bugs hide: both DST changes
# (03:30 Helsinki wall time) and the last half hour of the year, which is also a month end,
# the 31st (not every month has one) and a Friday night. Every test starts at
# ASTA_TEST_CLOCK (tests/clock.py), so a test that depends on today's date fails here.
# `scripts/clock-check.sh --all` runs the whole non-browser suite at each setting instead.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
if [ "${1:-}" = "--all" ]; then
  targets=(-m "not browser")
else
  # The tests that build their data from "today": shift days, report periods, expiries.
  targets=(tests/unit/marketplace tests/unit/metrics tests/integration/metrics
           tests/integration/marketplace/test_lifecycle.py
           tests/integration/marketplace/test_calendar_and_on_duty.py
           tests/integration/marketplace/test_timesheets.py
           tests/integration/marketplace/test_bad_input.py
           tests/integration/marketplace/test_board_and_demand.py
           tests/integration/marketplace/test_claim_rules.py
           tests/integration/surveys tests/integration/profiles/test_profile.py
           tests/integration/profiles/test_weekly_availability.py tests/unit/profiles
           tests/integration/scheduling/test_forecasting.py tests/unit/scheduling/test_forecast.py
           tests/integration/web/test_forecast_pages.py tests/integration/web/test_drafts_and_weeks.py
           tests/integration/marketplace/test_scheduler_emails.py
           tests/integration/web/test_late_cancel_warning.py
           tests/integration/web/test_board_week_view.py
           tests/integration/web/test_invoice_pages.py tests/integration/web/test_reliability_page.py
           tests/integration/marketplace/test_claim_path.py
           tests/integration/web/test_after_shift_pages.py
           tests/integration/web/test_registration_check_page.py
           tests/integration/scheduling/test_matching_runs.py
           tests/integration/scheduling/test_planning_journey.py
           tests/integration/web/test_planning_pages.py tests/integration/web/test_fill_workbench.py
           tests/unit/web)
fi
# Each pytest session starts its own PostgreSQL, so the clocks run at once.
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
clocks=(2027-03-28T03:30 2027-10-31T03:30 2027-12-31T23:30)
pids=()
for clock in "${clocks[@]}"; do
  ASTA_TEST_CLOCK="$clock" "$PYTHON" -m pytest -q -p no:cacheprovider "${targets[@]}" \
    > "$logs/$clock.log" 2>&1 &
  pids+=($!)
done
status=0
for i in "${!clocks[@]}"; do
  echo "clock-check: ASTA_TEST_CLOCK=${clocks[$i]} (Helsinki)"
  if wait "${pids[$i]}"; then tail -n 1 "$logs/${clocks[$i]}.log"
  else cat "$logs/${clocks[$i]}.log"; status=1; fi
done
exit $status
