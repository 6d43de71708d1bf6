"""Page handlers, one module per area of the product; each exports HANDLERS."""

from typing import Any

from asta.web.pages import (
    auth,
    dashboard,
    demand,
    fill,
    home,
    matching,
    pool,
    profile,
    second_factor,
    shifts,
    timesheets,
    units,
    worked,
)

PAGE_HANDLERS: list[Any] = [*auth.HANDLERS, *home.HANDLERS, *profile.HANDLERS, *pool.HANDLERS,
                            *shifts.HANDLERS, *units.HANDLERS, *demand.HANDLERS, *fill.HANDLERS,
                            *matching.HANDLERS, *dashboard.HANDLERS,
                            *timesheets.HANDLERS, *worked.HANDLERS,
                            *second_factor.HANDLERS]
