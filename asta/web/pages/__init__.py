"""Page handlers, one module per area of the product; each exports HANDLERS."""

from typing import Any

from asta.web.pages import (
    area_settings,
    audit,
    auth,
    dashboard,
    demand,
    dev_mail,
    fill,
    fill_draft,
    fill_shift,
    forecast,
    home,
    identity,
    invitations,
    invoices,
    matching,
    onboarding_steps,
    pool,
    profile,
    pwa,
    second_factor,
    shifts,
    staff_notifications,
    timesheets,
    unit_edit,
    unit_people,
    units,
    worked,
)

PAGE_HANDLERS: list[Any] = [*auth.HANDLERS, *home.HANDLERS, *profile.HANDLERS, *pool.HANDLERS,
                            *shifts.HANDLERS, *units.HANDLERS, *unit_edit.HANDLERS, *unit_people.HANDLERS,
                            *onboarding_steps.HANDLERS,
                            *demand.HANDLERS, *forecast.HANDLERS, *fill.HANDLERS,
                            *fill_shift.HANDLERS, *fill_draft.HANDLERS,
                            *matching.HANDLERS, *dashboard.HANDLERS, *area_settings.HANDLERS,
                            *timesheets.HANDLERS, *worked.HANDLERS, *identity.HANDLERS,
                            *invitations.HANDLERS, *audit.HANDLERS,
                            *dev_mail.HANDLERS, *second_factor.HANDLERS, *pwa.HANDLERS,
                            *staff_notifications.HANDLERS, *invoices.HANDLERS]
