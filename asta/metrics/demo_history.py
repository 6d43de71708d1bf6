"""Demo: eight weeks of worked history in every demo unit, so every figure has a value.

Shifts that were posted, taken (a few after a late cancellation, a few never), worked and
approved with outcomes; transfers for the older ones; eNPS answers and patient feedback.
Kymenlaakso's agency margin is set to 25 %, the plan's example. A unit that already has
history is skipped, so seeding twice adds nothing; ids are derived from names and dates.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from asta.accounts.models import Organisation, Unit, User
from asta.core.clock import utcnow
from asta.demo import SEEDERS, DemoWorld, Progress
from asta.marketplace.models import Assignment, Shift, Timesheet
from asta.marketplace.rules import RateCard, compute_shift_pay
from asta.metrics.area_settings import SETTINGS_KEY, AreaSettings, store_area_settings
from asta.metrics.time import HELSINKI, local_today
from asta.payments.models import PayoutTransfer, PayoutTransferItem
from asta.payments.rules import shift_transfer_group, shift_transfer_key
from asta.surveys.models import PatientFeedback, Survey

MARKER = "Demo history: "
WEEKS = 8
NAMESPACE = uuid.UUID("5d1c3b0e-6a0f-4f43-9a55-3a6f0c9e2f10")
# unit name -> daily shifts (start hour, end hour); the area's doctors take them in turn.
SLOTS: dict[str, list[tuple[int, int]]] = {
    "Kaiku24 remote reception": [(8, 16), (8, 16), (8, 16), (16, 20), (16, 20)],
    "Kaiku24 remote consultation": [(9, 15)],
    "Vaasa bilingual remote reception": [(8, 16), (8, 16)],
    "Jakobstad digital health centre": [(10, 16)],
}
DOCTORS = {"kymenlaakso": range(1, 51), "pohjanmaa": range(51, 101)}
LATE_CANCELLED, UNFILLED = 0.05, 0.04  # shares of shifts
APPROVAL_DELAY = timedelta(days=3)  # the newest timesheets still wait for approval
TRANSFERRED_AFTER = timedelta(days=14)


def _id(*parts: object) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts))


@dataclass
class _Rows:
    shifts: list[Shift]
    assignments: list[Assignment]
    timesheets: list[Timesheet]
    transfers: list[PayoutTransfer]
    items: list[PayoutTransferItem]
    feedback: list[PatientFeedback]

    def all_in_order(self) -> list[list[Any]]:
        return [self.shifts, self.assignments, self.timesheets, self.transfers, self.items,
                self.feedback]


def _card(unit: Unit) -> RateCard:
    card = unit.rate_card or {}
    return RateCard(base_hourly_cents={k: int(v) for k, v in
                                       (card.get("base_hourly_cents") or {"doctor": 9500}).items()},
                    evening_pct=round(card.get("evening_pct", 15)),
                    night_pct=round(card.get("night_pct", 30)),
                    saturday_pct=round(card.get("saturday_pct", 25)),
                    sunday_holiday_pct=round(card.get("sunday_pct", 100)))


def _shift(rows: _Rows, rng: random.Random, unit: Unit, day: date, slot: int,
           hours: tuple[int, int], doctor: User, stand_in: User, now: datetime,
           progress_share: float) -> bool:
    """Add one shift of history; True when someone worked it."""
    start = datetime.combine(day, time(hours[0]), HELSINKI)
    end = datetime.combine(day, time(hours[1]), HELSINKI)
    published = start - timedelta(days=rng.randint(2, 10), hours=rng.randint(0, 12))
    shift_id = _id("shift", unit.id, day, slot)
    unfilled = rng.random() < UNFILLED
    approved = end + APPROVAL_DELAY < now
    breaks = 30 if hours[1] - hours[0] >= 6 else 0
    pay = compute_shift_pay(start, end, "doctor", _card(unit), break_minutes=breaks)
    status = "published" if unfilled else ("approved" if approved else "completed")
    rows.shifts.append(Shift(
        id=shift_id, unit_id=unit.id, organisation_id=unit.organisation_id, starts_at=start,
        ends_at=end, profession="doctor", assigned_count=0 if unfilled else 1,
        description=f"{MARKER}{unit.name}", visibility="area", status=status,
        break_minutes=breaks, base_hourly_cents=pay.base_hourly_cents,
        pay_total_cents=pay.total_cents, created_at=published, updated_at=published,
        published_at=published, matched_at=published))
    if unfilled:
        return False
    taken = published + timedelta(hours=rng.uniform(0.3, 40))
    if rng.random() < LATE_CANCELLED:  # someone took it, cancelled late; a stand-in came
        cancelled = start - timedelta(hours=rng.randint(6, 30))
        rows.assignments.append(Assignment(
            id=_id("cancelled", shift_id), shift_id=shift_id, professional_id=stand_in.id,
            unit_id=unit.id, starts_at=start, ends_at=end, status="cancelled",
            created_at=min(taken, cancelled - timedelta(hours=1)), cancelled_at=cancelled,
            cancelled_by=stand_in.id, cancel_reason="Ill", late_cancellation=True))
        taken = cancelled + timedelta(hours=rng.uniform(0.5, 4))
    assignment_id = _id("assignment", shift_id)
    rows.assignments.append(Assignment(
        id=assignment_id, shift_id=shift_id, professional_id=doctor.id, unit_id=unit.id,
        starts_at=start, ends_at=end, status="confirmed", created_at=min(taken, start)))
    worked_hours = (end - start).total_seconds() / 3600 - breaks / 60
    contacts = round(worked_hours * rng.uniform(2.6, 4.2))
    # The plan's effect: more resolved remotely, fewer referrals, as the weeks go by.
    resolved = min(contacts, round(contacts * rng.uniform(0.55, 0.65) + 0.15 * progress_share
                                   * contacts))
    referred = min(contacts - resolved,
                   round(contacts * rng.uniform(0.14, 0.2) * (1 - 0.35 * progress_share)))
    rows.timesheets.append(Timesheet(
        assignment_id=assignment_id, shift_id=shift_id, professional_id=doctor.id,
        actual_start=start, actual_end=end, break_minutes=breaks, contacts_handled=contacts,
        resolved_remotely=resolved, referred_to_health_station=referred,
        status="approved" if approved else "submitted", submitted_at=end,
        approved_at=end + timedelta(days=1) if approved else None,
        pay_total_cents=pay.total_cents if approved else None,
        pay_breakdown={"total_cents": pay.total_cents} if approved else {}))
    if approved and end + TRANSFERRED_AFTER < now:
        transfer_id = _id("transfer", assignment_id)
        rows.transfers.append(PayoutTransfer(
            id=transfer_id, professional_id=doctor.id, organisation_id=unit.organisation_id,
            amount_cents=pay.total_cents, mode="per_shift",
            idempotency_key=shift_transfer_key(assignment_id),
            transfer_group=shift_transfer_group(assignment_id),
            destination=f"acct_demo_{doctor.id.hex[:12]}", status="sent",
            stripe_transfer_id=f"tr_demo_{transfer_id.hex[:20]}", attempts=1,
            created_at=end + timedelta(days=1), sent_at=end + timedelta(days=1, minutes=1)))
        rows.items.append(PayoutTransferItem(assignment_id=assignment_id,
                                             transfer_id=transfer_id, shift_id=shift_id,
                                             amount_cents=pay.total_cents))
    for answer in range(rng.choice([0, 1, 2, 3])):
        rows.feedback.append(PatientFeedback(
            id=_id("feedback", shift_id, answer), unit_id=unit.id,
            organisation_id=unit.organisation_id, shift_id=shift_id,
            score=rng.choices(range(11), weights=[1, 0, 1, 1, 1, 2, 3, 6, 10, 14, 16])[0],
            answered_at=min(now, end + timedelta(minutes=rng.randint(5, 600))),
            received_at=now))
    return True


def _surveys(rng: random.Random, unit: Unit, first_shift: dict[uuid.UUID, datetime],
             now: datetime) -> list[Survey]:
    """Each professional was asked after their first shift at the unit; most answered."""
    surveys = []
    for user_id, worked in first_shift.items():
        asked = worked + timedelta(hours=rng.randint(10, 30))
        if asked > now:
            continue
        answered = rng.random() < 0.75 and asked + timedelta(days=2) < now
        score = rng.choices(range(11), weights=[1, 1, 1, 1, 2, 2, 4, 6, 9, 11, 9])[0]
        surveys.append(Survey(
            id=_id("survey", unit.id, user_id), user_id=user_id,
            organisation_id=unit.organisation_id, unit_id=unit.id, asked_at=asked,
            expires_at=asked + timedelta(days=30),
            answered_at=asked + timedelta(hours=rng.randint(1, 40)) if answered else None,
            score=score if answered else None,
            satisfaction=min(5, max(1, round(score / 2.2) + rng.choice([0, 0, 1]))) if answered
            else None))
    return surveys


async def _set_margin(session: AsyncSession, organisation: Organisation) -> None:
    if SETTINGS_KEY not in (organisation.settings or {}):
        store_area_settings(organisation, AreaSettings(agency_margin_pct=25))


async def seed_history(session: AsyncSession, world: DemoWorld, progress: Progress) -> None:
    now = utcnow().astimezone(HELSINKI)
    today = local_today(now)
    await _set_margin(session, world.organisations["kymenlaakso"])
    by_email = {p.email: p for p in world.professionals}
    seeded = 0
    for slug, doctor_numbers in DOCTORS.items():
        pool = [by_email[f"doctor{n}@asta.demo"] for n in doctor_numbers]
        units = [u for u in world.units.values()
                 if u.organisation_id == world.organisations[slug].id and u.name in SLOTS]
        slots = [(unit, index, hours) for unit in units
                 for index, hours in enumerate(SLOTS[unit.name])]
        existing = set(await session.scalars(select(col(Shift.unit_id)).where(
            col(Shift.description).startswith(MARKER)).distinct()))
        if any(unit.id in existing for unit in units):
            continue  # this area's history is there already
        rng = random.Random(f"asta-demo-history-{slug}")
        rows = _Rows([], [], [], [], [], [])
        first_shift: dict[uuid.UUID, dict[uuid.UUID, datetime]] = {u.id: {} for u in units}
        days = [today - timedelta(days=n) for n in range(WEEKS * 7, 0, -1)]
        for number, day in enumerate(days):
            for k, (unit, index, hours) in enumerate(slots):
                doctor = pool[(number * 7 + k) % len(pool)]
                stand_in = pool[(number * 7 + k + len(pool) // 2) % len(pool)]
                if _shift(rows, rng, unit, day, index, hours, doctor, stand_in, now,
                          number / len(days)):
                    start = datetime.combine(day, time(hours[0]), HELSINKI)
                    first_shift[unit.id].setdefault(doctor.id, start)
        for group in rows.all_in_order():
            session.add_all(group)
            await session.flush()
        for unit in units:
            session.add_all(_surveys(rng, unit, first_shift[unit.id], now))
        await session.flush()
        seeded += len(rows.shifts)
    progress(f"  {seeded} shifts of worked history added" if seeded
             else "  worked history already present")


SEEDERS.append(seed_history)
