"""Private iCalendar feeds: a secret URL per professional, rotated on request."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Unit, User
from asta.core import audit
from asta.core.auth import Principal
from asta.core.clock import utcnow
from asta.core.config import get_settings
from asta.core.errors import NotFoundError
from asta.marketplace.calendar_feed import CalendarEvent, render_calendar
from asta.marketplace.models import Assignment, AssignmentStatus, Shift
from asta.marketplace.schemas import CalendarTokenRead

FEED_SUFFIX = ".ics"
HISTORY = timedelta(days=60)
SHOWN = (AssignmentStatus.CONFIRMED.value, AssignmentStatus.CANCELLED.value)


def feed_url(token: str) -> str:
    return f"{get_settings().public_base_url}/api/calendar/{token}{FEED_SUFFIX}"


async def rotate_token(session: AsyncSession, principal: Principal) -> CalendarTokenRead:
    """A new secret makes every earlier feed URL stop working."""
    user = await session.get(User, principal.user_id, with_for_update=True)
    if user is None:
        raise NotFoundError("No such account")
    user.calendar_token = secrets.token_urlsafe(32)
    audit.record(session, actor_id=user.id, entity_type="user", entity_id=user.id,
                 action="rotate_calendar_token")
    await session.flush()
    return CalendarTokenRead(url=feed_url(user.calendar_token), token=user.calendar_token)


async def my_calendar_feed(session: AsyncSession,
                           principal: Principal) -> CalendarTokenRead | None:
    """My current feed address; None until I create one."""
    user = await session.get(User, principal.user_id)
    if user is None or not user.calendar_token:
        return None
    return CalendarTokenRead(url=feed_url(user.calendar_token), token=user.calendar_token)


async def feed(session: AsyncSession, token_with_suffix: str) -> bytes:
    token = token_with_suffix.removesuffix(FEED_SUFFIX)
    if not token_with_suffix.endswith(FEED_SUFFIX) or len(token) < 32:
        raise NotFoundError("No such calendar")
    user = await session.scalar(select(User).where(User.calendar_token == token))
    if user is None or not user.is_active or user.erased_at is not None:
        raise NotFoundError("No such calendar")
    rows = await session.execute(
        select(Assignment, Shift, Unit.name)
        .join(Shift, Shift.id == Assignment.shift_id).join(Unit, Unit.id == Shift.unit_id)
        .where(Assignment.professional_id == user.id,
               Assignment.status.in_(SHOWN),  # type: ignore[attr-defined]
               Assignment.ends_at > utcnow() - HISTORY)
        .order_by(Assignment.starts_at))
    # Imported here: the pages import the marketplace, so a module-level import would cycle.
    from asta.web.demo_texts import own_text
    from asta.web.emails import calendar_remote, calendar_texts

    events: dict[str, CalendarEvent] = {}
    for a, shift, unit_name in rows:
        cancelled = a.status != AssignmentStatus.CONFIRMED.value
        key = str(shift.id)
        if cancelled and key in events:
            continue  # a later claim of the same shift wins over an old cancellation
        events[key] = CalendarEvent(
            shift_id=shift.id, start_utc=shift.starts_at, end_utc=shift.ends_at,
            summary=calendar_texts(user.locale, shift.profession, unit_name)[0],
            pay_text=calendar_texts(user.locale, shift.profession, unit_name,
                                    shift.pay_total_cents)[1],
            updated_at=max(shift.updated_at, a.cancelled_at or a.created_at),
            unit_name=None if shift.is_remote else own_text(user.locale, unit_name),
            remote_text=calendar_remote(user.locale, unit_name),
            description=own_text(user.locale, shift.description), pay_cents=shift.pay_total_cents,
            status="cancelled" if cancelled else "confirmed", sequence=shift.sequence,
            url=f"{get_settings().public_base_url}/shifts/{shift.id}")
    return render_calendar(list(events.values()), calendar_name=f"Asta: {user.full_name}")
