"""The audit log as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from asta.audit_log.schemas import AuditEventRead

COLUMNS = ["id", "at", "actor_id", "actor_email", "organisation_id", "entity_type",
           "entity_id", "action", "before", "after"]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True) if isinstance(value, dict) \
        else str(value)
    # A spreadsheet would run a cell starting like a formula (CSV injection).
    return f"'{text}" if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def events_csv(events: list[AuditEventRead]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for event in events:
        data = event.model_dump(mode="json")
        writer.writerow([_cell(data[c]) for c in COLUMNS])
    return buffer.getvalue()
