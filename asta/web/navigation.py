"""The menu: what each role can reach. Entries for pages that are not served yet stay hidden,
so each domain's page appears in its place as soon as its route is registered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Litestar
from litestar.exceptions import NoRouteMatchFoundException

from asta.accounts.models import Role
from asta.core.auth import Principal
from asta.core.config import get_settings
from asta.web.i18n import N_

PRO = frozenset({Role.PROFESSIONAL})
STAFF = frozenset({Role.SCHEDULER, Role.AREA_ADMIN, Role.PLATFORM_OPERATOR})
ADMIN = frozenset({Role.AREA_ADMIN, Role.PLATFORM_OPERATOR})
EVERYONE = PRO | STAFF


@dataclass(frozen=True)
class NavItem:
    route: str  # the page handler's name
    label: str  # msgid
    roles: frozenset[Role]
    mail_catcher_only: bool = False  # development pages, shown only while the catcher runs


MENU: tuple[NavItem, ...] = (
    NavItem("home", N_("Home"), EVERYONE),
    # Professional
    NavItem("shift_board", N_("Shift board"), PRO),
    NavItem("my_shifts", N_("My shifts"), PRO),
    NavItem("worked_shifts", N_("Worked shifts"), PRO),
    NavItem("earnings", N_("Earnings"), PRO),
    NavItem("payouts", N_("Payout account"), PRO),
    NavItem("my_reliability", N_("Reliability"), PRO),
    NavItem("my_calendar", N_("Calendar feed"), PRO),
    NavItem("surveys", N_("Surveys"), PRO),
    NavItem("profile", N_("My profile"), PRO),
    NavItem("my_onboarding", N_("Onboarding"), PRO),
    NavItem("my_data", N_("My data"), PRO),
    # Scheduler
    NavItem("post_demand", N_("Post demand"), STAFF),
    NavItem("contact_forecast", N_("Forecast"), STAFF),
    NavItem("packaging_preview", N_("Packaging preview"), STAFF),
    NavItem("fill_board", N_("Fill board"), STAFF),
    NavItem("matching_runs", N_("Matching runs"), STAFF),
    NavItem("timesheets", N_("Timesheets"), STAFF),
    NavItem("on_duty", N_("On duty"), STAFF),
    NavItem("pool", N_("Professional pool"), STAFF),
    NavItem("units", N_("Units"), STAFF),
    NavItem("staff_notifications", N_("E-mail notifications"), frozenset({Role.SCHEDULER})),
    # Area admin
    NavItem("dashboard", N_("Dashboard"), ADMIN),
    NavItem("area_settings", N_("Area settings"), ADMIN),
    NavItem("invoices", N_("Invoices"), ADMIN),
    NavItem("invitations", N_("Invitations"), ADMIN),
    NavItem("audit_log", N_("Audit log"), ADMIN),
    # Platform operator, in development
    NavItem("dev_mail", N_("Caught e-mail"), frozenset({Role.PLATFORM_OPERATOR}),
            mail_catcher_only=True),
    # Everyone's own
    NavItem("second_factor", N_("Two-step verification"), EVERYONE),
)


def _served(app: Litestar, route: str) -> bool:
    cache: dict[str, bool] = app.state.setdefault("web_served_routes", {})
    if route not in cache:
        try:
            app.route_reverse(route)
            cache[route] = True
        except NoRouteMatchFoundException:
            cache[route] = False
    return cache[route]


def menu_for(app: Litestar, principal: Principal | None, current: str | None) -> list[dict[str, Any]]:
    if principal is None:
        return []
    return [{"route": item.route, "label": item.label, "href": app.route_reverse(item.route),
             "current": item.route == current}
            for item in MENU
            if principal.has_role(*item.roles) and _served(app, item.route)
            and (not item.mail_catcher_only or get_settings().mail_catcher)]
