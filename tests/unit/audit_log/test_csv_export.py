from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from asta.audit_log.csv_export import events_csv
from asta.audit_log.schemas import AuditEventRead


@pytest.mark.parametrize(("entity_id", "cell"), [
    ("=1+1", "'=1+1"), ("+46 700", "'+46 700"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
    ("plain", "plain"),
])
def test_cells_that_a_spreadsheet_would_run_are_quoted(entity_id: str, cell: str) -> None:
    event = AuditEventRead(id=1, at=datetime(2026, 12, 1, tzinfo=UTC), actor_id=None,
                           actor_email=None, organisation_id=None, entity_type="unit",
                           entity_id=entity_id, action="update", before=None,
                           after={"name": "x"})
    [row] = list(csv.DictReader(io.StringIO(events_csv([event]))))
    assert row["entity_id"] == cell
    assert row["after"] == '{"name": "x"}'
    assert row["actor_email"] == ""
