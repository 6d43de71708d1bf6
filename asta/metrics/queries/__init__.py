"""SQL aggregations behind the metrics API."""

from asta.metrics.queries.flows import (
    enps,
    patient_nps,
    pool,
    positions,
    professionals_used,
    unit_names,
    work,
)
from asta.metrics.queries.scope import Bucket, Scope

__all__ = ["Bucket", "Scope", "enps", "patient_nps", "pool", "positions",
           "professionals_used", "unit_names", "work"]
