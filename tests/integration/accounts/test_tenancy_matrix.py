"""Every route x every role: 401 without a token, 403 for the wrong role, 404 for another
area's data (its existence is not revealed), success for the right people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute

from asta.accounts.models import Role
from asta.core.clock import utcnow
from asta.core.config import get_settings
from asta.payments.test_server import running_test_server
from tests import factories
from tests.integration.conftest import empty_tables

ROLES = ["anonymous", "professional", "scheduler_a", "unit_scheduler_a", "admin_a",
         "scheduler_b", "admin_b", "operator"]
STAFF_A = {"scheduler_a", "unit_scheduler_a", "admin_a", "operator"}
STAFF_B = {"scheduler_b", "admin_b"}
ADMINS_A = {"admin_a", "operator"}
ALL_STAFF = STAFF_A | STAFF_B
SIGNED_IN = set(ROLES) - {"anonymous"}
SCHEDULERS = {"scheduler_a", "unit_scheduler_a", "scheduler_b"}

PROFILE = {"full_name": "Dr Test", "profession": "doctor",
           "languages": [{"code": "fi", "level": "native"}]}


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # placeholders filled from the world
    allowed: frozenset[str]  # roles that succeed
    body: dict[str, Any] | None = None
    hidden_from: frozenset[str] = frozenset()  # roles that hold the right role but see 404
    template: str = ""  # the app's route path, to prove the matrix covers every route


def r(method: str, path: str, allowed: set[str], template: str, body: dict[str, Any] | None = None,
      hidden: set[str] | None = None) -> Route:
    return Route(method, path, frozenset(allowed), body, frozenset(hidden or ()), template)


ROUTES = [
    r("GET", "/api/operations/outbox", {"operator"}, "/api/operations/outbox"),
    r("POST", "/api/operations/outbox/notifications/{dead_notification}/retry", {"operator"},
      "/api/operations/outbox/{outbox:str}/{item_id:uuid}/retry"),
    r("GET", "/api/me", SIGNED_IN, "/api/me"),
    r("POST", "/api/auth/sign-out", SIGNED_IN, "/api/auth/sign-out"),
    r("GET", "/api/me/staff-notifications", SCHEDULERS, "/api/me/staff-notifications"),
    r("PUT", "/api/me/staff-notifications", SCHEDULERS, "/api/me/staff-notifications",
      {"claims": "off"}),
    r("GET", "/api/me/profile", {"professional"}, "/api/me/profile"),
    r("PUT", "/api/me/profile", {"professional"}, "/api/me/profile", PROFILE),
    r("GET", "/api/me/export", {"professional"}, "/api/me/export"),
    r("POST", "/api/me/erasure", {"professional"}, "/api/me/erasure"),
    r("GET", "/api/organisations", ALL_STAFF, "/api/organisations"),
    r("POST", "/api/organisations", {"operator"}, "/api/organisations",
      {"name": "Lappi", "slug": "lappi"}),
    r("GET", "/api/organisations/{org_a}", STAFF_A, "/api/organisations/{organisation_id:uuid}",
      hidden=STAFF_B),
    r("GET", "/api/organisations/{org_a}/units", STAFF_A,
      "/api/organisations/{organisation_id:uuid}/units", hidden=STAFF_B),
    r("POST", "/api/organisations/{org_a}/units", ADMINS_A,
      "/api/organisations/{organisation_id:uuid}/units", {"name": "New unit"}, hidden={"admin_b"}),
    r("GET", "/api/organisations/{org_a}/members", ADMINS_A,
      "/api/organisations/{organisation_id:uuid}/members", hidden={"admin_b"}),
    r("POST", "/api/organisations/{org_a}/members", ADMINS_A,
      "/api/organisations/{organisation_id:uuid}/members",
      {"email": "new.scheduler@asta.test", "full_name": "New", "role": "scheduler",
       "password": "long-enough-pw"}, hidden={"admin_b"}),
    r("GET", "/api/units/{unit_a}", STAFF_A, "/api/units/{unit_id:uuid}", hidden=STAFF_B),
    r("PATCH", "/api/units/{unit_a}", ADMINS_A, "/api/units/{unit_id:uuid}",
      {"description": "changed"}, hidden={"admin_b"}),
    r("GET", "/api/professionals", ALL_STAFF, "/api/professionals"),
    r("GET", "/api/professionals/{pro}", ALL_STAFF, "/api/professionals/{user_id:uuid}"),
    r("POST", "/api/professionals/{pro}/registration-verification", ADMINS_A,
      "/api/professionals/{user_id:uuid}/registration-verification", {"status": "verified"}),
    r("GET", "/api/units/{unit_a}/onboarding/items", STAFF_A,
      "/api/units/{unit_id:uuid}/onboarding/items", hidden=STAFF_B),
    r("POST", "/api/units/{unit_a}/onboarding/items", STAFF_A,
      "/api/units/{unit_id:uuid}/onboarding/items", {"title": "Read the triage guide"},
      hidden=STAFF_B),
    r("PATCH", "/api/units/{unit_a}/onboarding/items/00000000-0000-4000-8000-000000000000", set(),
      "/api/units/{unit_id:uuid}/onboarding/items/{item_id:uuid}", {"retired": True},
      hidden=STAFF_A | STAFF_B),
    r("GET", "/api/units/{unit_a}/onboarding/professionals/{pro}", STAFF_A,
      "/api/units/{unit_id:uuid}/onboarding/professionals/{user_id:uuid}", hidden=STAFF_B),
    r("PUT", "/api/units/{unit_a}/onboarding/professionals/{pro}", STAFF_A,
      "/api/units/{unit_id:uuid}/onboarding/professionals/{user_id:uuid}",
      {"completed_item_ids": []}, hidden=STAFF_B),
]

FORECAST = {"start": "2026-12-01T08:00:00+02:00", "interval_minutes": 60,
            "contacts": [40, 60], "average_handling_time_s": 600}
ROUTES += [
    r("POST", "/api/units/{unit_a}/demand/staffing", STAFF_A,
      "/api/units/{unit_id:uuid}/demand/staffing", FORECAST, hidden=STAFF_B),
    r("POST", "/api/units/{unit_a}/demand/packaging", STAFF_A,
      "/api/units/{unit_id:uuid}/demand/packaging",
      {"start": "2026-12-01T00:00:00+02:00", "required": [0] * 8 + [2] * 8,
       "time_limit_s": 2}, hidden=STAFF_B),
    r("POST", "/api/units/{unit_a}/contact-history", STAFF_A,
      "/api/units/{unit_id:uuid}/contact-history",
      {"csv": "interval_start,contacts\n2026-10-01T08:00+03:00,4\n"}, hidden=STAFF_B),
    r("GET", "/api/units/{unit_a}/contact-history", STAFF_A,
      "/api/units/{unit_id:uuid}/contact-history", hidden=STAFF_B),
    r("POST", "/api/units/{unit_a}/forecasts", STAFF_A, "/api/units/{unit_id:uuid}/forecasts",
      {"day": str(utcnow().date() + timedelta(days=2)), "interval_minutes": 60},
      hidden=STAFF_B),
    r("GET", "/api/forecast-runs/{forecast_a}", STAFF_A, "/api/forecast-runs/{run_id:uuid}",
      hidden=STAFF_B),
    r("GET", "/api/units/{unit_a}/forecast-runs", STAFF_A,
      "/api/units/{unit_id:uuid}/forecast-runs", hidden=STAFF_B),
    r("GET", "/api/forecast-runs/{forecast_a}/comparison", STAFF_A,
      "/api/forecast-runs/{run_id:uuid}/comparison", hidden=STAFF_B),
]

MARKETPLACE_WORKERS_A = STAFF_A | {"professional"}
FUTURE = utcnow().date() + timedelta(days=30)
NEW_SHIFT = {"starts_at": f"{FUTURE}T08:00:00+02:00", "ends_at": f"{FUTURE}T16:00:00+02:00",
             "profession": "doctor"}
DEMAND = {"first_date": f"{FUTURE}", "last_date": f"{FUTURE + timedelta(days=6)}",
          "weekdays": [1, 2, 3, 4, 5], "blocks": [{"start": "08:00", "end": "16:00",
                                                   "headcount": 3}], "profession": "doctor"}
ROUTES += [
    r("POST", "/api/units/{unit_a}/shifts", STAFF_A, "/api/units/{unit_id:uuid}/shifts",
      {"shifts": [NEW_SHIFT]}, hidden=STAFF_B),
    r("POST", "/api/units/{unit_a}/demand", STAFF_A, "/api/units/{unit_id:uuid}/demand", DEMAND,
      hidden=STAFF_B),
    r("GET", "/api/units/{unit_a}/on-duty", MARKETPLACE_WORKERS_A,
      "/api/units/{unit_id:uuid}/on-duty", hidden=STAFF_B),
    r("GET", "/api/shifts", ALL_STAFF | {"professional"}, "/api/shifts"),
    r("GET", "/api/shifts/{shift_open}", MARKETPLACE_WORKERS_A, "/api/shifts/{shift_id:uuid}",
      hidden=STAFF_B),
    r("POST", "/api/shifts/publish", STAFF_A, "/api/shifts/publish",
      {"shift_ids": ["{shift_draft}"]}, hidden=STAFF_B),
    r("POST", "/api/shifts/{shift_open}/unpublish", STAFF_A,
      "/api/shifts/{shift_id:uuid}/unpublish", hidden=STAFF_B),
    r("POST", "/api/shifts/{shift_open}/cancel", STAFF_A, "/api/shifts/{shift_id:uuid}/cancel",
      {"reason": "Demand fell"}, hidden=STAFF_B),
    r("PUT", "/api/shifts/{shift_draft}", STAFF_A, "/api/shifts/{shift_id:uuid}", NEW_SHIFT,
      hidden=STAFF_B),
    r("GET", "/api/units/{unit_a}/marks", STAFF_A, "/api/units/{unit_id:uuid}/marks",
      hidden=STAFF_B),
    r("PUT", "/api/units/{unit_a}/marks/{pro}", STAFF_A,
      "/api/units/{unit_id:uuid}/marks/{professional_id:uuid}",
      {"kind": "blocked", "reason": "Repeated no-shows"}, hidden=STAFF_B),
    r("DELETE", "/api/units/{unit_a}/marks/{pro}", set(),
      "/api/units/{unit_id:uuid}/marks/{professional_id:uuid}", hidden=STAFF_A | STAFF_B),
    r("POST", "/api/units/{unit_a}/shifts/copy-week", STAFF_A,
      "/api/units/{unit_id:uuid}/shifts/copy-week", {"week_start": f"{FUTURE}"}, hidden=STAFF_B),
    r("POST", "/api/shifts/{shift_open}/claim", {"professional"},
      "/api/shifts/{shift_id:uuid}/claim"),
    r("POST", "/api/shifts/{shift_full}/waitlist", {"professional"},
      "/api/shifts/{shift_id:uuid}/waitlist"),
    r("POST", "/api/shifts/{shift_open}/offers", STAFF_A, "/api/shifts/{shift_id:uuid}/offers",
      {"professional_id": "{pro}"}, hidden=STAFF_B),
    r("POST", "/api/assignments/{assignment_requested}/approve", STAFF_A,
      "/api/assignments/{assignment_id:uuid}/approve", hidden=STAFF_B),
    r("POST", "/api/assignments/{assignment_requested}/decline", STAFF_A,
      "/api/assignments/{assignment_id:uuid}/decline", hidden=STAFF_B),
    r("POST", "/api/assignments/{assignment_booked}/cancel", MARKETPLACE_WORKERS_A,
      "/api/assignments/{assignment_id:uuid}/cancel", {"reason": "Ill"}, hidden=STAFF_B),
    r("POST", "/api/assignments/{assignment_worked}/no-show", STAFF_A,
      "/api/assignments/{assignment_id:uuid}/no-show", hidden=STAFF_B),
    r("POST", "/api/assignments/{assignment_worked}/timesheet", {"professional"},
      "/api/assignments/{assignment_id:uuid}/timesheet", {
          "actual_start": "{worked_start}", "actual_end": "{worked_end}"}),
    r("GET", "/api/assignments/{assignment_reported}/timesheet", MARKETPLACE_WORKERS_A,
      "/api/assignments/{assignment_id:uuid}/timesheet", hidden=STAFF_B),
    r("POST", "/api/assignments/{assignment_reported}/timesheet/approve", STAFF_A,
      "/api/assignments/{assignment_id:uuid}/timesheet/approve", {}, hidden=STAFF_B),
    r("POST", "/api/timesheets/approve", STAFF_A, "/api/timesheets/approve",
      {"assignment_ids": ["{assignment_reported}"]}, hidden=STAFF_B),
    r("POST", "/api/waitlist/{standby_offer}/accept", {"professional"},
      "/api/waitlist/{entry_id:uuid}/accept"),
    r("POST", "/api/waitlist/{standby_offer}/decline", {"professional"},
      "/api/waitlist/{entry_id:uuid}/decline"),
    r("POST", "/api/waitlist/{standby_offer}/leave", {"professional"},
      "/api/waitlist/{entry_id:uuid}/leave"),
    r("GET", "/api/me/assignments", {"professional"}, "/api/me/assignments"),
    r("GET", "/api/me/waitlist", {"professional"}, "/api/me/waitlist"),
    r("POST", "/api/me/calendar-token", {"professional"}, "/api/me/calendar-token"),
]

# Web Push: each person's own browsers. Removing one that is not the caller's is 404.
PUSH_SUBSCRIPTION = {"endpoint": "https://push.example/v1/browser-a",
                     "keys": {"p256dh": "B" + "A" * 86, "auth": "c2VjcmV0LWF1dGg"}}
ROUTES += [
    r("GET", "/api/me/push", {"professional"}, "/api/me/push"),
    r("POST", "/api/me/push/subscriptions", {"professional"}, "/api/me/push/subscriptions",
      PUSH_SUBSCRIPTION),
    r("POST", "/api/me/push/subscriptions/remove", set(), "/api/me/push/subscriptions/remove",
      {"endpoint": "https://push.example/v1/someone-elses"}, hidden={"professional"}),
]

# Payments, metrics and surveys. An id that exists nowhere stands for another person's
# survey or another unit's key: even the right role gets 404.
MISSING = "00000000-0000-4000-8000-000000000000"
ORG_A = "/api/organisations/{organisation_id:uuid}"
ROUTES += [
    r("GET", "/api/me/earnings", {"professional"}, "/api/me/earnings"),
    r("GET", "/api/me/reliability", {"professional"}, "/api/me/reliability"),
    r("POST", "/api/me/payouts/setup", {"professional"}, "/api/me/payouts/setup"),
    r("GET", "/api/organisations/{org_a}/invoices", ADMINS_A, f"{ORG_A}/invoices",
      hidden={"admin_b"}),
    r("GET", "/api/organisations/{org_a}/invoices/{invoice_a}", ADMINS_A,
      f"{ORG_A}/invoices/{{invoice_id:uuid}}", hidden={"admin_b"}),
    r("GET", "/api/organisations/{org_a}/invoices/{invoice_a}/csv", ADMINS_A,
      f"{ORG_A}/invoices/{{invoice_id:uuid}}/csv", hidden={"admin_b"}),
    r("GET", "/api/organisations/{org_a}/settings", ADMINS_A, f"{ORG_A}/settings",
      hidden={"admin_b"}),
    r("PUT", "/api/organisations/{org_a}/settings", ADMINS_A, f"{ORG_A}/settings",
      {"agency_margin_pct": 25}, hidden={"admin_b"}),
    r("GET", "/api/metrics/summary?organisation_id={org_a}", ADMINS_A, "/api/metrics/summary",
      hidden={"admin_b"}),
    r("GET", "/api/metrics/summary.csv?organisation_id={org_a}", ADMINS_A,
      "/api/metrics/summary.csv", hidden={"admin_b"}),
    r("GET", "/api/metrics/timeseries?organisation_id={org_a}&bucket=week", ADMINS_A,
      "/api/metrics/timeseries", hidden={"admin_b"}),
    r("GET", "/api/metrics/timeseries.csv?organisation_id={org_a}", ADMINS_A,
      "/api/metrics/timeseries.csv", hidden={"admin_b"}),
    r("GET", "/api/me/surveys", {"professional"}, "/api/me/surveys"),
    r("POST", f"/api/me/surveys/{MISSING}/answer", set(),
      "/api/me/surveys/{survey_id:uuid}/answer", {"score": 9, "satisfaction": 4},
      hidden={"professional"}),
    r("POST", "/api/units/{unit_a}/api-keys", ADMINS_A, "/api/units/{unit_id:uuid}/api-keys",
      {"name": "Patient system"}, hidden={"admin_b"}),
    r("GET", "/api/units/{unit_a}/api-keys", ADMINS_A, "/api/units/{unit_id:uuid}/api-keys",
      hidden={"admin_b"}),
    r("DELETE", f"/api/units/{{unit_a}}/api-keys/{MISSING}", set(),
      "/api/units/{unit_id:uuid}/api-keys/{key_id:uuid}", hidden=ADMINS_A | {"admin_b"}),
]

RUN = {"unit_ids": ["{unit_a}"], "period_start": "2027-03-01T00:00:00+02:00",
       "period_end": "2027-03-08T00:00:00+02:00", "time_limit_s": 1}
ROUTES += [
    r("POST", "/api/matching-runs", STAFF_A, "/api/matching-runs", RUN, hidden=STAFF_B),
    r("GET", "/api/matching-runs", ALL_STAFF, "/api/matching-runs"),  # each sees their own
    r("GET", "/api/matching-runs/{run_a}", STAFF_A, "/api/matching-runs/{run_id:uuid}",
      hidden=STAFF_B),
    r("POST", "/api/matching-runs/{run_a}/accept", STAFF_A,
      "/api/matching-runs/{run_id:uuid}/accept", {"all": True}, hidden=STAFF_B),
]

# Identity flows and the audit log. Every admin reads the log, each only their own area's.
ADMINS = ADMINS_A | {"admin_b"}
ROUTES += [
    r("POST", "/api/invitations", ADMINS_A, "/api/invitations",
      {"organisation_id": "{org_a}", "email": "invitee@asta.test", "role": "scheduler"},
      hidden={"admin_b"}),
    r("GET", "/api/invitations?organisation_id={org_a}", ADMINS_A, "/api/invitations",
      hidden={"admin_b"}),
    r("POST", "/api/invitations/{invitation_a}/resend", ADMINS_A,
      "/api/invitations/{invitation_id:uuid}/resend", hidden={"admin_b"}),
    r("POST", "/api/invitations/{invitation_a}/revoke", ADMINS_A,
      "/api/invitations/{invitation_id:uuid}/revoke", hidden={"admin_b"}),
    r("GET", "/api/audit-events", ADMINS, "/api/audit-events"),
    r("GET", "/api/audit-events?organisation_id={org_a}", ADMINS_A, "/api/audit-events",
      hidden={"admin_b"}),
    r("GET", "/api/audit-events/csv", ADMINS, "/api/audit-events/csv"),
]

PUBLIC = {"/health", "/api/auth/token", "/api/auth/sign-up",
          "/api/calendar/{token:str}"}  # the feed's secret URL is its key
PUBLIC |= {"/api/webhooks/stripe",  # signed by Stripe instead of a bearer token
           "/api/integrations/patient-feedback"}  # a unit API key instead


@pytest.fixture(scope="module", autouse=True)
def stripe_test_server() -> Any:
    """Payout setup calls Stripe: the local test server stands in for it."""
    settings = get_settings()
    original = settings.stripe_api_base
    with running_test_server() as url:
        object.__setattr__(settings, "stripe_api_base", url)
        yield url
    object.__setattr__(settings, "stripe_api_base", original)


@pytest.fixture(scope="module", autouse=True)
def vapid_key() -> Any:
    """Subscribing needs the server's VAPID key."""
    from asta.push.keys import generate_private_key

    settings = get_settings()
    original = settings.vapid_private_key
    object.__setattr__(settings, "vapid_private_key", generate_private_key())
    yield
    object.__setattr__(settings, "vapid_private_key", original)


def fill(body: Any, ids: dict[str, Any]) -> Any:
    """Placeholders in request bodies too, e.g. the id of a shift to publish."""
    if isinstance(body, dict):
        return {k: fill(v, ids) for k, v in body.items()}
    if isinstance(body, list):
        return [fill(v, ids) for v in body]
    if isinstance(body, str) and body.startswith("{") and body.endswith("}"):
        return str(ids[body[1:-1]])
    return body


def expected_status(route: Route, role: str) -> str:
    if role == "anonymous":
        return "401"
    if role in route.hidden_from:
        return "404"
    if role in route.allowed:
        return "2xx"
    return "403"


async def build_world() -> dict[str, Any]:
    org_a, org_b = await factories.organisation("A"), await factories.organisation("B")
    unit_a, unit_b = await factories.unit(org_a), await factories.unit(org_b)
    people = {
        "professional": await factories.professional(),
        "scheduler_a": await factories.scheduler(org_a),
        "unit_scheduler_a": await factories.scheduler(org_a, unit_a),
        "admin_a": await factories.area_admin(org_a),
        "scheduler_b": await factories.scheduler(org_b),
        "admin_b": await factories.area_admin(org_b),
        "operator": await factories.operator(),
    }
    ids: dict[str, Any] = {"org_a": org_a.id, "unit_a": unit_a.id,
                           "pro": people["professional"].id, "unit_b": unit_b.id}
    ids.update(await factories.marketplace_world(org_a, unit_a, people["professional"]))
    ids["run_a"] = await factories.finished_matching_run(unit_a)
    ids["forecast_a"] = await factories.forecast_run(unit_a)
    await factories.contact_history(unit_a)
    ids["dead_notification"] = await factories.dead_notification(people["professional"])
    ids["invitation_a"] = await factories.invitation(org_a, people["admin_a"])
    ids["invoice_a"] = await factories.area_invoice(org_a, unit_a)
    rows = {"org_a": org_a, "org_b": org_b, "unit_a": unit_a, "unit_b": unit_b}
    return {"people": people, "ids": ids, "rows": rows}


# Whose markers a role must never receive: another area's, and, for a professional, what
# the area keeps about other people.
OTHERS_PEOPLE = ("assignment-cancel-reason", "timesheet-notes", "timesheet-correction", "api-key")


def forbidden_secrets(role: str, secrets: dict[str, dict[str, str]]) -> list[str]:
    a, b = secrets["A"], secrets["B"]
    if role == "operator":
        return []
    if role in STAFF_B:
        return list(a.values())
    if role == "professional":  # works and is onboarded in area A only
        return list(b.values()) + [a[k] for k in OTHERS_PEOPLE]
    if role == "anonymous":
        return list(a.values()) + list(b.values())
    return list(b.values())


def roles_in_order(route: Route) -> list[str]:
    """The refused first: each must leave the world as it was for the next one."""
    return sorted(ROLES, key=lambda role: expected_status(route, role) == "2xx")


@pytest.mark.parametrize("route", ROUTES, ids=lambda rt: f"{rt.method} {rt.path}")
async def test_route_answers_by_role_and_tenant(client: httpx.AsyncClient, route: Route,
                                                subtests: pytest.Subtests) -> None:
    # One world per route, not per role (the matrix is 768 requests): a role that succeeds
    # in changing something gets a fresh world before the next one asks.
    world, changed = await build_world_with_secrets(), False
    for role in roles_in_order(route):
        if changed:
            await empty_tables()
            world = await build_world_with_secrets()
        expected = expected_status(route, role)
        changed = expected == "2xx" and route.method != "GET"
        with subtests.test(role=role):
            await ask_as(client, route, role, world, expected)


async def build_world_with_secrets() -> dict[str, Any]:
    world = await build_world()
    rows = world["rows"]
    world["secrets"] = {"A": await factories.area_secrets(rows["org_a"], rows["unit_a"], "A"),
                        "B": await factories.area_secrets(rows["org_b"], rows["unit_b"], "B")}
    return world


async def ask_as(client: httpx.AsyncClient, route: Route, role: str, world: dict[str, Any],
                 expected: str) -> None:
    headers = {} if role == "anonymous" else factories.auth(world["people"][role])
    path = route.path.format(**world["ids"])
    body = fill(route.body, world["ids"])
    response = await client.request(route.method, path, json=body, headers=headers)
    if expected == "2xx":
        assert 200 <= response.status_code < 300, response.text
    else:
        assert response.status_code == int(expected), response.text
        assert response.json()["detail"]
    leaked = [m for m in forbidden_secrets(role, world["secrets"]) if m in response.text]
    assert not leaked, f"{role} received another area's data: {leaked}"


def test_matrix_covers_every_route(app: Litestar) -> None:
    served = {(method, route.path) for route in app.routes
              if isinstance(route, HTTPRoute)
              and (route.path.startswith("/api/") or route.path == "/health")
              for method in route.methods - {"OPTIONS", "HEAD"}}
    assert ("POST", "/api/auth/token") in served  # the check itself sees the routes
    covered = {(rt.method, rt.template) for rt in ROUTES}
    public = {(m, p) for m, p in served if p in PUBLIC}
    missing = served - covered - public
    assert not missing, f"routes without a tenancy-matrix row: {sorted(missing)}"


async def test_unit_scheduler_cannot_see_the_areas_other_units(client: httpx.AsyncClient) -> None:
    world = await build_world()
    org_a_id = world["ids"]["org_a"]
    other = await factories.unit(await factories.organisation("X"))
    async with __import__("asta.core.db", fromlist=["unit_of_work"]).unit_of_work() as session:
        from asta.accounts.models import Unit

        second = Unit(organisation_id=org_a_id, name="Second unit")
        session.add(second)
    headers = factories.auth(world["people"]["unit_scheduler_a"])
    assert (await client.get(f"/api/units/{second.id}", headers=headers)).status_code == 404
    assert (await client.get(f"/api/units/{other.id}", headers=headers)).status_code == 404
    listed = await client.get(f"/api/organisations/{org_a_id}/units", headers=headers)
    assert [u["id"] for u in listed.json()] == [str(world["ids"]["unit_a"])]


async def test_another_areas_admin_changes_nothing(client: httpx.AsyncClient) -> None:
    world = await build_world()
    unit_id = world["ids"]["unit_a"]
    refused = await client.patch(f"/api/units/{unit_id}", json={"description": "hijacked"},
                                 headers=factories.auth(world["people"]["admin_b"]))
    assert refused.status_code == 404
    seen = await client.get(f"/api/units/{unit_id}",
                            headers=factories.auth(world["people"]["admin_a"]))
    assert seen.json()["description"] == ""


async def test_organisation_list_is_scoped_to_the_callers_area(client: httpx.AsyncClient) -> None:
    world = await build_world()
    mine = await client.get("/api/organisations",
                            headers=factories.auth(world["people"]["scheduler_b"]))
    assert str(world["ids"]["org_a"]) not in {o["id"] for o in mine.json()}
    everything = await client.get("/api/organisations",
                                  headers=factories.auth(world["people"]["operator"]))
    assert len(everything.json()) == 2
    assert Role.PLATFORM_OPERATOR.value == "platform_operator"
