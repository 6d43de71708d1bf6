"""Page handlers, one module per area of the product; each exports HANDLERS."""

from typing import Any

from asta.web.pages import (
    audit,
    auth,
    dashboard,
    demand,
    fill,
    fill_shift,
    home,
    identity,
    invitations,
    matching,
    pool,
    profile,
    shifts,
    timesheets,
    units,
    worked,
)

PAGE_HANDLERS: list[Any] = [*auth.HANDLERS, *home.HANDLERS, *profile.HANDLERS, *pool.HANDLERS,
                            *shifts.HANDLERS, *units.HANDLERS, *demand.HANDLERS, *fill.HANDLERS,
                            *fill_shift.HANDLERS,
                            *matching.HANDLERS, *dashboard.HANDLERS,
                            *timesheets.HANDLERS, *worked.HANDLERS, *identity.HANDLERS,
                            *invitations.HANDLERS, *audit.HANDLERS]
