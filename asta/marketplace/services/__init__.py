"""Marketplace services, split by concern and re-exported here."""

from asta.marketplace.services.board import (
    BoardFilters,
    board_units,
    list_shifts,
    my_assignments,
    shift_detail,
)
from asta.marketplace.services.calendar import feed, my_calendar_feed, rotate_token
from asta.marketplace.services.claims import (
    approve_request,
    assign_professional,
    cancel_assignment,
    claim,
    decline_request,
    mark_no_show,
)
from asta.marketplace.services.direct_offers import offer_directly
from asta.marketplace.services.drafts import copy_week, edit_draft
from asta.marketplace.services.on_duty import on_duty
from asta.marketplace.services.posting import (
    cancel_shift,
    create_shifts,
    post_demand,
    publish,
    unpublish,
)
from asta.marketplace.services.reliability import my_reliability
from asta.marketplace.services.timesheets import (
    approve,
    approve_many,
    get_timesheet,
    pending_timesheets,
    submit,
)
from asta.marketplace.services.todos import StaffTodos, staff_todos
from asta.marketplace.services.unit_marks import (
    list_marks,
    mark_professional,
    unmark_professional,
)
from asta.marketplace.services.waitlist import accept, decline_or_leave, join, my_entries
from asta.marketplace.services.workbench import shift_workbench

__all__ = [
    "BoardFilters",
    "StaffTodos",
    "accept",
    "approve",
    "approve_many",
    "approve_request",
    "assign_professional",
    "board_units",
    "cancel_assignment",
    "cancel_shift",
    "claim",
    "copy_week",
    "create_shifts",
    "decline_or_leave",
    "decline_request",
    "edit_draft",
    "feed",
    "get_timesheet",
    "join",
    "list_marks",
    "list_shifts",
    "mark_no_show",
    "mark_professional",
    "my_assignments",
    "my_calendar_feed",
    "my_entries",
    "my_reliability",
    "offer_directly",
    "on_duty",
    "pending_timesheets",
    "post_demand",
    "publish",
    "rotate_token",
    "shift_detail",
    "shift_workbench",
    "staff_todos",
    "submit",
    "unmark_professional",
    "unpublish",
]
