"""Reading contact history files: the interval length, and every problem by line and column."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from asta.scheduling.history_csv import MESSAGES, HistoryFileError, parse_history
from asta.web.pages.forecast import PROBLEM_TEXTS


def problems(text: str) -> list[tuple[int, str, str]]:
    with pytest.raises(HistoryFileError) as caught:
        parse_history(text)
    return [(p.line, p.column, p.code) for p in caught.value.problems]


def test_local_times_and_interval_length_are_read() -> None:
    parsed = parse_history("interval_start,contacts,average_handling_time_s\n"
                           "2026-07-01T08:30,5,240.5\n2026-07-01T08:00,3,\n")
    assert parsed.interval_minutes == 30
    assert parsed.rows[0].starts_at == datetime(2026, 7, 1, 5, 0, tzinfo=UTC)  # EEST
    assert (parsed.rows[1].contacts, parsed.rows[1].average_handling_time_s) == (5, 240.5)


@pytest.mark.parametrize(("text", "expected"), [
    ("start,contacts\n", [(1, "interval_start", "missing_column"), (1, "start", "unknown_column")]),
    ("interval_start,contacts\n", [(2, "interval_start", "no_rows")]),
    ("interval_start,contacts\n2026-07-01T08:00,1\n2026-07-01T08:00,2\n",
     [(3, "interval_start", "duplicate")]),
    ("interval_start,contacts\n2026-07-01T08:00,1\n2026-07-01T08:20,2\n",
     [(3, "interval_start", "bad_interval")]),
    ("interval_start,contacts\n2026-07-01T08:05,1\n2026-07-01T08:20,2\n",
     [(2, "interval_start", "not_aligned"), (3, "interval_start", "not_aligned")]),
    ("interval_start,contacts,abandoned\n2026-07-01T08:00,1,2\n",
     [(2, "abandoned", "more_than_contacts")]),
    ("interval_start,contacts,average_handling_time_s\n2026-07-01T08:00,x,0\n",
     [(2, "contacts", "bad_count"), (2, "average_handling_time_s", "bad_handling_time")]),
])
def test_problems_name_line_column_and_kind(text: str, expected: list[tuple[int, str, str]]
                                            ) -> None:
    assert sorted(problems(text)) == sorted(expected)


def test_the_pages_translate_every_problem_text() -> None:
    assert set(PROBLEM_TEXTS) == set(MESSAGES.values())
