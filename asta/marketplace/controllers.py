from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from litestar import Controller, Response, delete, get, post, put
from litestar.params import Parameter, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from asta.accounts.models import Role
from asta.core.auth import STAFF_ROLES, Principal, requires
from asta.core.schemas import Page
from asta.marketplace import services
from asta.marketplace.schemas import (
    AssignmentRead,
    CalendarTokenRead,
    CancelRequest,
    DemandCreate,
    DirectOffer,
    MyAssignment,
    OnDutyRead,
    ReliabilityRead,
    ShiftBatchCreate,
    ShiftCreate,
    ShiftDetail,
    ShiftIds,
    ShiftRead,
    TimesheetApproval,
    TimesheetIds,
    TimesheetRead,
    TimesheetSubmit,
    UnitMarkIn,
    UnitMarkRead,
    WaitlistRead,
    WeekCopy,
    WeekCopyRead,
)

PROFESSIONAL = requires(Role.PROFESSIONAL)
STAFF = requires(*STAFF_ROLES)
ANYONE_WORKING = requires(Role.PROFESSIONAL, *STAFF_ROLES)


class UnitShiftController(Controller):
    path = "/api/units/{unit_id:uuid}"
    tags = ["shifts"]

    @post("/shifts", guards=[STAFF], summary="Post explicit shifts (as drafts or published)")
    async def create(self, unit_id: uuid.UUID, data: ShiftBatchCreate, db: AsyncSession,
                     principal: Principal) -> list[ShiftRead]:
        return await services.create_shifts(db, principal, unit_id, data)

    @post("/shifts/copy-week", status_code=200, guards=[STAFF],
          summary="Copy a week's shifts to the next week as drafts (existing ones skipped)")
    async def copy_week(self, unit_id: uuid.UUID, data: WeekCopy, db: AsyncSession,
                        principal: Principal) -> WeekCopyRead:
        return await services.copy_week(db, principal, unit_id, data.week_start)

    @post("/demand", guards=[STAFF],
          summary="Post demand per time interval; expanded into shifts (Europe/Helsinki)")
    async def demand(self, unit_id: uuid.UUID, data: DemandCreate, db: AsyncSession,
                     principal: Principal) -> list[ShiftRead]:
        return await services.post_demand(db, principal, unit_id, data)

    @get("/marks", guards=[STAFF], summary="The unit's favourite and blocked professionals")
    async def marks(self, unit_id: uuid.UUID, db: AsyncSession,
                    principal: Principal) -> list[UnitMarkRead]:
        return await services.list_marks(db, principal, unit_id)

    @put("/marks/{professional_id:uuid}", guards=[STAFF],
         summary="Mark a professional favourite, or blocked (with a reason) from the unit's "
                 "shifts")
    async def mark(self, unit_id: uuid.UUID, professional_id: uuid.UUID, data: UnitMarkIn,
                   db: AsyncSession, principal: Principal) -> UnitMarkRead:
        return await services.mark_professional(db, principal, unit_id, professional_id, data)

    @delete("/marks/{professional_id:uuid}", guards=[STAFF], summary="Remove the mark")
    async def unmark(self, unit_id: uuid.UUID, professional_id: uuid.UUID, db: AsyncSession,
                     principal: Principal) -> None:
        await services.unmark_professional(db, principal, unit_id, professional_id)

    @get("/on-duty", guards=[ANYONE_WORKING], summary="Who is on shift now and next")
    async def on_duty(self, unit_id: uuid.UUID, db: AsyncSession,
                      principal: Principal) -> OnDutyRead:
        return await services.on_duty(db, principal, unit_id)


class ShiftController(Controller):
    path = "/api/shifts"
    tags = ["shifts"]

    @get("/", guards=[ANYONE_WORKING],
         summary="The board for professionals; the units' shifts for schedulers")
    async def list_shifts(
        self, db: AsyncSession, principal: Principal,
        unit_id: uuid.UUID | None = None,
        starts_from: Annotated[datetime | None, QueryParameter(name="from")] = None,
        starts_to: Annotated[datetime | None, QueryParameter(name="to")] = None,
        remote: bool | None = None,
        min_hourly_pay_cents: Annotated[int | None, Parameter(ge=0)] = None,
        min_total_pay_cents: Annotated[int | None, Parameter(ge=0)] = None,
        profession: Annotated[str | None, Parameter(max_length=40)] = None,
        status: Annotated[str | None, Parameter(max_length=20)] = None,
        eligible_only: bool = True,
        open_only: bool = False,
        time_of_day: list[str] | None = None,
        fits_preferences: bool = False,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
        offset: Annotated[int, Parameter(ge=0)] = 0,
    ) -> Page[ShiftRead]:
        filters = services.BoardFilters(
            unit_id=unit_id, starts_from=starts_from, starts_to=starts_to, remote=remote,
            min_hourly_pay_cents=min_hourly_pay_cents, min_total_pay_cents=min_total_pay_cents,
            profession=profession, status=status, eligible_only=eligible_only,
            open_only=open_only, times_of_day=tuple(time_of_day or ()),
            fits_preferences=fits_preferences, limit=limit, offset=offset)
        return await services.list_shifts(db, principal, filters)

    @get("/{shift_id:uuid}", guards=[ANYONE_WORKING])
    async def get_shift(self, shift_id: uuid.UUID, db: AsyncSession,
                        principal: Principal) -> ShiftDetail:
        return await services.shift_detail(db, principal, shift_id)

    @put("/{shift_id:uuid}", guards=[STAFF],
         summary="Edit a draft: times, positions, pay and requirements (replaced as a whole)")
    async def edit(self, shift_id: uuid.UUID, data: ShiftCreate, db: AsyncSession,
                   principal: Principal) -> ShiftRead:
        return await services.edit_draft(db, principal, shift_id, data)

    @post("/publish", status_code=200, guards=[STAFF], summary="Publish drafts (all or none)")
    async def publish(self, data: ShiftIds, db: AsyncSession,
                      principal: Principal) -> list[ShiftRead]:
        return await services.publish(db, principal, data.shift_ids)

    @post("/{shift_id:uuid}/unpublish", status_code=200, guards=[STAFF])
    async def unpublish(self, shift_id: uuid.UUID, db: AsyncSession,
                        principal: Principal) -> ShiftRead:
        return await services.unpublish(db, principal, shift_id)

    @post("/{shift_id:uuid}/cancel", status_code=200, guards=[STAFF],
          summary="Cancel with a reason; every assigned professional is told")
    async def cancel(self, shift_id: uuid.UUID, data: CancelRequest, db: AsyncSession,
                     principal: Principal) -> ShiftRead:
        return await services.cancel_shift(db, principal, shift_id, data.reason)

    @post("/{shift_id:uuid}/claim", guards=[PROFESSIONAL],
          summary="Book a position (instant units) or request one (request-and-approve units)")
    async def claim(self, shift_id: uuid.UUID, db: AsyncSession,
                    principal: Principal) -> AssignmentRead:
        return await services.claim(db, principal, shift_id)

    @post("/{shift_id:uuid}/offers", guards=[STAFF],
          summary="Offer the shift to a named professional (holds a position for 24 h)")
    async def offer(self, shift_id: uuid.UUID, data: DirectOffer, db: AsyncSession,
                    principal: Principal) -> WaitlistRead:
        return await services.offer_directly(db, principal, shift_id, data.professional_id)

    @post("/{shift_id:uuid}/waitlist", guards=[PROFESSIONAL],
          summary="Stand by for a full shift")
    async def join_waitlist(self, shift_id: uuid.UUID, db: AsyncSession,
                            principal: Principal) -> WaitlistRead:
        return await services.join(db, principal, shift_id)


class AssignmentController(Controller):
    path = "/api/assignments/{assignment_id:uuid}"
    tags = ["assignments"]

    @post("/approve", status_code=200, guards=[STAFF], summary="Accept a request")
    async def approve(self, assignment_id: uuid.UUID, db: AsyncSession,
                      principal: Principal) -> AssignmentRead:
        return await services.approve_request(db, principal, assignment_id)

    @post("/decline", status_code=200, guards=[STAFF], summary="Decline a request")
    async def decline(self, assignment_id: uuid.UUID, db: AsyncSession,
                      principal: Principal) -> AssignmentRead:
        return await services.decline_request(db, principal, assignment_id)

    @post("/cancel", status_code=200, guards=[ANYONE_WORKING],
          summary="Cancel: the professional their own, a scheduler their unit's")
    async def cancel(self, assignment_id: uuid.UUID, data: CancelRequest, db: AsyncSession,
                     principal: Principal) -> AssignmentRead:
        return await services.cancel_assignment(db, principal, assignment_id, data.reason)

    @post("/no-show", status_code=200, guards=[STAFF])
    async def no_show(self, assignment_id: uuid.UUID, db: AsyncSession,
                      principal: Principal) -> AssignmentRead:
        return await services.mark_no_show(db, principal, assignment_id)

    @post("/timesheet", guards=[PROFESSIONAL], summary="Report hours worked and the outcome")
    async def submit_timesheet(self, assignment_id: uuid.UUID, data: TimesheetSubmit,
                               db: AsyncSession, principal: Principal) -> TimesheetRead:
        return await services.submit(db, principal, assignment_id, data)

    @get("/timesheet", guards=[ANYONE_WORKING])
    async def get_timesheet(self, assignment_id: uuid.UUID, db: AsyncSession,
                            principal: Principal) -> TimesheetRead:
        return await services.get_timesheet(db, principal, assignment_id)

    @post("/timesheet/approve", status_code=200, guards=[STAFF],
          summary="Approve (or correct and approve) the hours; fixes the pay")
    async def approve_timesheet(self, assignment_id: uuid.UUID, data: TimesheetApproval,
                                db: AsyncSession, principal: Principal) -> TimesheetRead:
        return await services.approve(db, principal, assignment_id, data)


class TimesheetController(Controller):
    path = "/api/timesheets"
    tags = ["assignments"]

    @post("/approve", status_code=200, guards=[STAFF],
          summary="Approve several timesheets as submitted (all or none)")
    async def approve_many(self, data: TimesheetIds, db: AsyncSession,
                           principal: Principal) -> list[TimesheetRead]:
        return await services.approve_many(db, principal, data.assignment_ids)


class WaitlistController(Controller):
    path = "/api/waitlist/{entry_id:uuid}"
    tags = ["standby"]
    guards = [PROFESSIONAL]

    @post("/accept", status_code=200, summary="Take the offered position")
    async def accept(self, entry_id: uuid.UUID, db: AsyncSession,
                     principal: Principal) -> WaitlistRead:
        return await services.accept(db, principal, entry_id)

    @post("/decline", status_code=200, summary="Pass the offer to the next in line")
    async def decline(self, entry_id: uuid.UUID, db: AsyncSession,
                      principal: Principal) -> WaitlistRead:
        return await services.decline_or_leave(db, principal, entry_id, leave=False)

    @post("/leave", status_code=200, summary="Leave the standby list")
    async def leave(self, entry_id: uuid.UUID, db: AsyncSession,
                    principal: Principal) -> WaitlistRead:
        return await services.decline_or_leave(db, principal, entry_id, leave=True)


class MyShiftsController(Controller):
    path = "/api/me"
    tags = ["me"]
    guards = [PROFESSIONAL]

    @get("/assignments", summary="My shifts and requests")
    async def assignments(self, db: AsyncSession, principal: Principal,
                          upcoming: bool = True) -> list[MyAssignment]:
        return await services.my_assignments(db, principal, upcoming_only=upcoming)

    @get("/waitlist", summary="My standby entries and open offers")
    async def waitlist(self, db: AsyncSession, principal: Principal) -> list[WaitlistRead]:
        return await services.my_entries(db, principal)

    @get("/reliability", summary="My reliability score and the events that changed it")
    async def reliability(self, db: AsyncSession, principal: Principal) -> ReliabilityRead:
        return await services.my_reliability(db, principal)

    @post("/calendar-token", status_code=200,
          summary="Create or rotate my private calendar feed URL")
    async def calendar_token(self, db: AsyncSession,
                             principal: Principal) -> CalendarTokenRead:
        return await services.rotate_token(db, principal)


class CalendarController(Controller):
    """No sign-in: calendar apps cannot send one. The long secret in the URL is the key."""

    path = "/api/calendar"
    tags = ["calendar"]

    @get("/{token:str}", summary="My shifts as iCalendar (the URL ends in .ics)")
    async def feed(self, token: str, db: AsyncSession) -> Response[bytes]:
        body = await services.feed(db, token)
        return Response(body, media_type="text/calendar; charset=utf-8",
                        headers={"Cache-Control": "private, max-age=300"})


MARKETPLACE_CONTROLLERS = [UnitShiftController, ShiftController, AssignmentController,
                           TimesheetController, WaitlistController, MyShiftsController,
                           CalendarController]
