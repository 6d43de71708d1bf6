"""SQL aggregations behind the metrics API."""

from asta.metrics.queries.flows import (
    cancellations,
    enps,
    patient_nps,
    pool,
    positions,
    professionals_used,
    work,
)
from asta.metrics.queries.scope import Bucket, Scope

__all__ = ["Bucket", "Scope", "cancellations", "enps", "patient_nps", "pool", "positions",
           "professionals_used", "work"]
