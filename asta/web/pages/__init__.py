"""Page handlers, one module per area of the product; each exports HANDLERS."""

from typing import Any

from asta.web.pages import (
    area_settings,
    audit,
    auth,
    calendar,
    dashboard,
    demand,
    dev_mail,
    fill,
    fill_shift,
    home,
    identity,
    invitations,
    matching,
    my_data,
    payouts,
    pool,
    profile,
    reliability,
    second_factor,
    shifts,
    timesheets,
    units,
    worked,
)

PAGE_HANDLERS: list[Any] = [*auth.HANDLERS, *home.HANDLERS, *profile.HANDLERS, *pool.HANDLERS,
                            *shifts.HANDLERS, *units.HANDLERS, *demand.HANDLERS, *fill.HANDLERS,
                            *fill_shift.HANDLERS,
                            *matching.HANDLERS, *dashboard.HANDLERS, *area_settings.HANDLERS,
                            *timesheets.HANDLERS, *worked.HANDLERS, *identity.HANDLERS,
                            *invitations.HANDLERS, *audit.HANDLERS,
                            *dev_mail.HANDLERS, *second_factor.HANDLERS, *payouts.HANDLERS,
                            *my_data.HANDLERS, *reliability.HANDLERS,
                            *calendar.HANDLERS]
