"""Ask professionals the eNPS question when it is due."""

from __future__ import annotations

import logging

from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from asta.core.jobs import actor, every
from asta.surveys import services

log = logging.getLogger(__name__)


@every(3600)
@actor(max_retries=0)
async def ask_enps_surveys() -> None:
    async with unit_of_work() as session:
        asked = await services.ask_due_surveys(session, utcnow())
    if asked:
        log.info("asked %d professionals the eNPS question", len(asked))
