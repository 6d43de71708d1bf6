"""Plain factory functions for test data, written through their own unit of work."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import update

from asta.accounts import totp
from asta.accounts.models import Organisation, Role, RoleAssignment, Unit, User
from asta.accounts.totp_models import SecondFactor
from asta.core import audit
from asta.core.clock import utcnow
from asta.core.db import unit_of_work
from asta.core.security import hash_password, issue_token
from asta.marketplace.models import Assignment, Shift, Timesheet, WaitlistEntry
from asta.payments.models import ConnectedAccount
from asta.profiles.models import ProfessionalProfile, UnitOnboarding
from tests.totp import TOTP_SECRET

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


async def organisation(name: str = "Kymenlaakso") -> Organisation:
    n = next(_seq)
    async with unit_of_work() as session:
        org = Organisation(name=f"{name} {n}", slug=f"area-{n}")
        session.add(org)
    return org


async def unit(org: Organisation, name: str = "Kaiku24 remote reception", **fields: Any) -> Unit:
    async with unit_of_work() as session:
        row = Unit(organisation_id=org.id, name=name,
                   rate_card={"base_hourly_cents": {"doctor": 9000, "nurse": 3800},
                              "evening_pct": 15, "night_pct": 30, "saturday_pct": 25,
                              "sunday_pct": 100}, **fields)
        session.add(row)
    return row


async def user(*grants: tuple[Role, uuid.UUID | None, uuid.UUID | None],
               email: str | None = None, password: str = PASSWORD,
               full_name: str = "Test Person", second_factor: bool | None = None) -> User:
    """`second_factor`: enrolled with tests.totp.TOTP_SECRET; by default when the role needs it."""
    async with unit_of_work() as session:
        row = User(email=email or f"user{next(_seq)}@asta.test",
                   password_hash=hash_password(password), full_name=full_name)
        session.add(row)
        await session.flush()
        for role, org_id, unit_id in grants:
            session.add(RoleAssignment(user_id=row.id, role=role.value, organisation_id=org_id,
                                       unit_id=unit_id))
        if second_factor is None:
            second_factor = totp.second_factor_required(role for role, _, _ in grants)
        if second_factor:
            session.add(SecondFactor(user_id=row.id, secret=totp.seal(TOTP_SECRET),
                                     confirmed_at=utcnow()))
    return row


async def professional(*, email: str | None = None, profession: str = "doctor",
                       languages: list[dict[str, str]] | None = None,
                       registration_valid_until: date | None = date(2030, 1, 1),
                       registration_status: str = "verified", **profile: Any) -> User:
    row = await user((Role.PROFESSIONAL, None, None), email=email,
                     full_name=profile.pop("full_name", "Dr Test"))
    async with unit_of_work() as session:
        session.add(ProfessionalProfile(
            user_id=row.id, profession=profession,
            languages=languages if languages is not None else [{"code": "fi", "level": "native"}],
            registration_number=f"{next(_seq):010d}",
            registration_valid_until=registration_valid_until,
            registration_status=registration_status, **profile))
    return row


async def scheduler(org: Organisation, unit_row: Unit | None = None) -> User:
    return await user((Role.SCHEDULER, org.id, unit_row.id if unit_row else None))


async def area_admin(org: Organisation) -> User:
    return await user((Role.AREA_ADMIN, org.id, None))


async def operator() -> User:
    return await user((Role.PLATFORM_OPERATOR, None, None))


def auth(person: User) -> dict[str, str]:
    """A token as after a full sign-in (password, and the second factor where there is one)."""
    return {"Authorization": f"Bearer {issue_token(person.id, second_factor=True)}"}


# Marketplace -----------------------------------------------------------------------------

def _in(delta: timedelta) -> datetime:
    """A whole minute `delta` from now, in UTC."""
    return (utcnow() + delta).replace(second=0, microsecond=0)


def _shift_row(unit_row: Unit, *, starts_in: timedelta = timedelta(days=3), hours: float = 8,
               status: str = "published", positions: int = 1, profession: str = "doctor",
               visibility: str = "national", assigned: int = 0, offered: int = 0,
               **fields: Any) -> Shift:
    starts_at = _in(starts_in)
    return Shift(unit_id=unit_row.id, organisation_id=unit_row.organisation_id,
                 starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours),
                 profession=profession, positions=positions, status=status,
                 visibility=visibility, base_hourly_cents=9000, pay_total_cents=int(9000 * hours),
                 pay_breakdown={"paid_minutes": int(hours * 60)}, assigned_count=assigned,
                 offered_count=offered,
                 published_at=utcnow() if status != "draft" else None, **fields)


def _assignment_row(shift_row: Shift, person: User, status: str = "confirmed") -> Assignment:
    return Assignment(shift_id=shift_row.id, professional_id=person.id, unit_id=shift_row.unit_id,
                      starts_at=shift_row.starts_at, ends_at=shift_row.ends_at, status=status)


def _offer_row(shift_row: Shift, person: User) -> WaitlistEntry:
    now = utcnow()
    return WaitlistEntry(shift_id=shift_row.id, professional_id=person.id, status="offered",
                         offered_at=now, offer_expires_at=now + timedelta(hours=2))


def _timesheet_row(a: Assignment) -> Timesheet:
    return Timesheet(assignment_id=a.id, shift_id=a.shift_id, professional_id=a.professional_id,
                     actual_start=a.starts_at, actual_end=a.ends_at, contacts_handled=20,
                     resolved_remotely=15)


async def shift(unit_row: Unit, **fields: Any) -> Shift:
    """A shift written straight to the database (past times allowed, unlike the API)."""
    async with unit_of_work() as session:
        row = _shift_row(unit_row, **fields)
        session.add(row)
    return row


async def assignment(shift_row: Shift, person: User, *, status: str = "confirmed") -> Assignment:
    """An assignment; a confirmed one takes a position of the shift."""
    async with unit_of_work() as session:
        row = _assignment_row(shift_row, person, status)
        session.add(row)
        if status == "confirmed":
            await session.execute(
                update(Shift).where(Shift.id == shift_row.id)  # type: ignore[arg-type]
                .values(assigned_count=Shift.assigned_count + 1))
    return row


async def standby_offer(shift_row: Shift, person: User) -> WaitlistEntry:
    """A standby entry already offered a position (which the shift holds for it)."""
    async with unit_of_work() as session:
        row = _offer_row(shift_row, person)
        session.add(row)
        await session.execute(
            update(Shift).where(Shift.id == shift_row.id)  # type: ignore[arg-type]
            .values(offered_count=Shift.offered_count + 1))
    return row


async def timesheet(assignment_row: Assignment) -> Timesheet:
    async with unit_of_work() as session:
        row = _timesheet_row(assignment_row)
        session.add(row)
    return row


async def marketplace_world(org: Organisation, unit_row: Unit, pro: User) -> dict[str, Any]:
    """Shifts, claims and offers around one professional, for the tenancy matrix.

    One transaction: the matrix builds this world hundreds of times.
    """
    other = await professional()
    s = {name: _shift_row(unit_row, **spec) for name, spec in {
        "open": {"starts_in": timedelta(days=3), "positions": 2},
        "draft": {"starts_in": timedelta(days=4), "status": "draft"},
        "booked": {"starts_in": timedelta(days=5), "positions": 2, "assigned": 1},
        "requested": {"starts_in": timedelta(days=7), "positions": 2},
        "full": {"starts_in": timedelta(days=9), "status": "filled", "assigned": 1},
        "offering": {"starts_in": timedelta(days=11), "positions": 2, "status": "filled",
                     "assigned": 1, "offered": 1},
        "worked": {"starts_in": timedelta(days=-2), "status": "completed", "assigned": 1},
        "reported": {"starts_in": timedelta(days=-4), "status": "completed", "assigned": 1},
    }.items()}
    a = {"full": _assignment_row(s["full"], other),
         "offering": _assignment_row(s["offering"], other),
         "booked": _assignment_row(s["booked"], pro),
         "requested": _assignment_row(s["requested"], pro, "requested"),
         "worked": _assignment_row(s["worked"], pro),
         "reported": _assignment_row(s["reported"], pro)}
    offer = _offer_row(s["offering"], pro)
    async with unit_of_work() as session:
        session.add_all(s.values())
        await session.flush()
        session.add_all(a.values())
        session.add(offer)
        await session.flush()
        session.add(_timesheet_row(a["reported"]))
        session.add(UnitOnboarding(user_id=pro.id, unit_id=unit_row.id))
    return {
        "shift_open": s["open"].id, "shift_draft": s["draft"].id, "shift_full": s["full"].id,
        "assignment_booked": a["booked"].id, "assignment_requested": a["requested"].id,
        "assignment_worked": a["worked"].id, "assignment_reported": a["reported"].id,
        "worked_start": s["worked"].starts_at.isoformat(),
        "worked_end": s["worked"].ends_at.isoformat(), "standby_offer": offer.id,
    }


async def worked_shift(unit_row: Unit, person: User, start: datetime, hours: float = 8, *,
                       pay_cents: int = 76_000, approved: bool = True, break_minutes: int = 0,
                       published_before: timedelta = timedelta(days=3),
                       filled_after: timedelta = timedelta(hours=2), contacts: int = 0,
                       resolved: int = 0, referred: int = 0) -> Timesheet:
    """A published shift that `person` took and worked, with a (by default approved) timesheet.

    Written directly, not through the marketplace's services: payment and metrics tests
    need histories with exact times, in the past.
    """
    end = start + timedelta(hours=hours)
    published = start - published_before
    async with unit_of_work() as session:
        shift = Shift(unit_id=unit_row.id, organisation_id=unit_row.organisation_id,
                      starts_at=start, ends_at=end, profession="doctor", status="approved"
                      if approved else "completed", assigned_count=1, pay_total_cents=pay_cents,
                      published_at=published, created_at=published, matched_at=published)
        session.add(shift)
        await session.flush()
        assignment = Assignment(shift_id=shift.id, professional_id=person.id,
                                unit_id=unit_row.id, starts_at=start, ends_at=end,
                                status="confirmed", created_at=published + filled_after)
        session.add(assignment)
        await session.flush()
        sheet = Timesheet(assignment_id=assignment.id, shift_id=shift.id,
                          professional_id=person.id, actual_start=start, actual_end=end,
                          break_minutes=break_minutes, contacts_handled=contacts,
                          resolved_remotely=resolved, referred_to_health_station=referred,
                          status="approved" if approved else "submitted", submitted_at=end,
                          approved_at=end if approved else None,
                          pay_total_cents=pay_cents if approved else None)
        session.add(sheet)
    return sheet


async def connected_account(person: User, stripe_account_id: str, *,
                            transfers_enabled: bool = True) -> None:
    async with unit_of_work() as session:
        session.add(ConnectedAccount(user_id=person.id, stripe_account_id=stripe_account_id,
                                     details_submitted=transfers_enabled,
                                     transfers_enabled=transfers_enabled,
                                     payouts_enabled=transfers_enabled))


async def finished_matching_run(unit_row: Unit) -> uuid.UUID:
    """A done matching run with no proposals, for routes that need one."""
    from datetime import datetime, timedelta

    from asta.scheduling.models import MatchingRun

    start = datetime(2027, 3, 1, tzinfo=UTC)
    async with unit_of_work() as session:
        run = MatchingRun(organisation_id=unit_row.organisation_id, unit_ids=[unit_row.id],
                          period_start=start, period_end=start + timedelta(days=7),
                          status="done", summary={"proposals": 0})
        session.add(run)
    return run.id


async def area_secrets(org: Organisation, unit_row: Unit, tag: str) -> dict[str, str]:
    """A marker in each free-text field an area keeps, for checking no other area sees it.

    Returns the markers by field, with the area's and the unit's ids.
    """
    from asta.profiles.models import OnboardingItem
    from asta.surveys.models import UnitApiKey

    mark = {field: f"SECRET-{tag}-{field}" for field in (
        "area", "unit", "unit-description", "item", "item-description", "shift-description",
        "shift-cancel-reason", "assignment-cancel-reason", "timesheet-notes",
        "timesheet-correction", "api-key", "audit")}
    worker = await professional()
    open_shift = _shift_row(unit_row, starts_in=timedelta(days=6), visibility="unit",
                            description=mark["shift-description"])
    cancelled = _shift_row(unit_row, starts_in=timedelta(days=8), status="cancelled",
                           cancel_reason=mark["shift-cancel-reason"])
    worked = _shift_row(unit_row, starts_in=timedelta(days=-3), status="completed", assigned=1)
    async with unit_of_work() as session:
        await session.execute(update(Organisation).where(Organisation.id == org.id)
                              .values(name=mark["area"]))
        await session.execute(update(Unit).where(Unit.id == unit_row.id).values(
            name=mark["unit"], description=mark["unit-description"]))
        session.add_all([open_shift, cancelled, worked])
        session.add(OnboardingItem(unit_id=unit_row.id, title=mark["item"],
                                   description=mark["item-description"]))
        session.add(UnitApiKey(unit_id=unit_row.id, organisation_id=org.id, name=mark["api-key"],
                               prefix=f"k{tag}", key_hash=uuid.uuid4().hex))
        await session.flush()
        dropped = _assignment_row(open_shift, worker, "cancelled")
        dropped.cancel_reason = mark["assignment-cancel-reason"]
        done = _assignment_row(worked, worker)
        session.add_all([dropped, done])
        await session.flush()
        sheet = _timesheet_row(done)
        sheet.notes, sheet.correction_note = mark["timesheet-notes"], mark["timesheet-correction"]
        session.add(sheet)
        audit.record(session, actor_id=None, entity_type="unit", entity_id=unit_row.id,
                     action="update", after={"note": mark["audit"]}, organisation_id=org.id)
    return {**mark, "area-id": str(org.id), "unit-id": str(unit_row.id)}


async def invitation(org: Organisation, inviter: User) -> uuid.UUID:
    """A pending invitation to schedule in the area."""
    from asta.accounts.identity.models import Invitation

    now = utcnow()
    async with unit_of_work() as session:
        row = Invitation(organisation_id=org.id, email=f"invitee{next(_seq)}@asta.test",
                         role="scheduler", invited_by=inviter.id, token_hash=uuid.uuid4().hex,
                         sent_at=now, expires_at=now + timedelta(days=7))
        session.add(row)
    return row.id


async def dead_notification(person: User) -> uuid.UUID:
    """An e-mail the relay refused for good, waiting for an operator."""
    from asta.notifications.models import Notification, NotificationStatus

    async with unit_of_work() as session:
        row = Notification(user_id=person.id, kind="test", subject="Refused", body="Body",
                           status=NotificationStatus.DEAD.value, attempts=1,
                           last_error="550 mailbox unavailable")
        session.add(row)
    return row.id


async def contact_history(unit_row: Unit, days: int = 28, per_day: int = 1) -> None:
    """`days` of history ending the day before the test clock's day, `per_day` hourly rows
    from 08:00 Helsinki time, busier on Mondays."""
    from datetime import time
    from zoneinfo import ZoneInfo

    from asta.core.clock import today
    from asta.scheduling.models import ContactHistory

    helsinki = ZoneInfo("Europe/Helsinki")
    first = today() - timedelta(days=days)
    async with unit_of_work() as session:
        for n in range(days):
            day = first + timedelta(days=n)
            for hour in range(per_day):
                session.add(ContactHistory(
                    unit_id=unit_row.id, interval_minutes=60,
                    starts_at=datetime.combine(day, time(8 + hour), tzinfo=helsinki),
                    contacts=30 + 10 * (day.weekday() == 0) + 3 * hour))


async def forecast_run(unit_row: Unit) -> uuid.UUID:
    """A stored forecast run of a day `contact_history` covers that is not a Monday (so 30
    contacts came): 30 (25-35) forecast for 08:00-09:00 Helsinki time."""
    from zoneinfo import ZoneInfo

    from asta.core.clock import today
    from asta.scheduling.models import ForecastRun

    day = today() - timedelta(days=27 if today().weekday() == 0 else 28)
    start = datetime.combine(day, datetime.min.time(), ZoneInfo("Europe/Helsinki")).replace(
        hour=8).astimezone(UTC)
    async with unit_of_work() as session:
        run = ForecastRun(
            unit_id=unit_row.id, model="asta-profile-v1",
            history_first=start - timedelta(days=31), history_last=start - timedelta(days=1),
            day=day, interval_minutes=60,
            settings={"average_handling_time_s": 300, "service_level": 0.8,
                      "target_answer_s": 20, "quantile": 0.85},
            accuracy={"weeks": 1, "intervals": 5, "mae": 1.0, "mae_same_weekday_last_week": 2.0,
                      "mae_relative": 0.5, "band_coverage": 0.8},
            intervals=[{"starts_at": start.isoformat().replace("+00:00", "Z"),
                        "ends_at": (start + timedelta(hours=1)).isoformat().replace(
                            "+00:00", "Z"),
                        "forecast": 30.0, "low": 25.0, "high": 35.0, "staffed_for": 33.0,
                        "required": 5}])
        session.add(run)
    return run.id


async def area_invoice(org: Organisation, unit_row: Unit, *, month: date = date(2026, 11, 1),
                       number: str = "ASTA-0001") -> uuid.UUID:
    """A sent November invoice with one item: 12 h of a doctor's pay and the fee."""
    from asta.payments.models import AreaInvoice, InvoiceStatus

    line = {"unit_id": str(unit_row.id), "unit_name": unit_row.name, "hours": 12.0,
            "pay_cents": 108_000, "fee_cents": 12_600, "total_cents": 120_600}
    async with unit_of_work() as session:
        row = AreaInvoice(organisation_id=org.id, month=month, hours=12.0, pay_cents=108_000,
                          fee_cents=12_600, total_cents=120_600, lines=[line],
                          status=InvoiceStatus.OPEN.value, number=number,
                          finalized_at=datetime(2026, 12, 1, 6, tzinfo=UTC))
        session.add(row)
    return row.id
