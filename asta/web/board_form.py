"""The shift board's filters as typed in the URL: parsed into BoardFilters, errors per field.

Everything is a query parameter, so a filtered board can be bookmarked, shared and paged.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from asta.core.clock import today
from asta.web.i18n import HELSINKI, N_

FIELDS = ("from", "to", "unit", "min_pay", "remote", "fits", "show_all", "view", "week")
VIEWS = ("list", "week")
TIMES = ("morning", "day", "evening", "night")
BAD_DATE = N_("Give a date like 2026-12-24.")
BAD_PAY = N_("Give euros an hour, e.g. 80.")
BAD_UNIT = N_("Choose a unit from the list.")
BAD_RANGE = N_("The end date must not be before the start date.")
WEEK_DAYS = 7


@dataclass
class BoardForm:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # msgids, translated when shown
    filters: dict[str, Any] = field(default_factory=dict)  # BoardFilters keyword arguments
    week_start: date | None = None  # the Monday shown, in the week view

    @property
    def days(self) -> list[date]:
        assert self.week_start is not None
        return [self.week_start + timedelta(days=n) for n in range(WEEK_DAYS)]

    def week_link(self, weeks: int) -> str:
        assert self.week_start is not None
        return self.link(week=(self.week_start + timedelta(days=WEEK_DAYS * weeks)).isoformat())

    def link(self, **changes: str) -> str:
        """This board's URL with some parameters changed (the view toggle, the week pager)."""
        values = {**self.values, **changes}
        pairs = [(k, v) for k, v in values.items() if k != "time" and v]
        pairs += [("time", t) for t in values.get("time", [])]
        return f"/shifts?{urlencode(pairs)}"

    @property
    def query(self) -> str:
        """The filters as a query string, for the pager's links."""
        pairs = [(k, v) for k, v in self.values.items() if k != "time" and v]
        pairs += [("time", t) for t in self.values.get("time", [])]
        return urlencode(pairs)


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), HELSINKI)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _week(form: BoardForm, start: date | None) -> None:
    """The week view shows one Monday-to-Sunday week: `week` names any day of it (default:
    the week of the From date, or this week); the date range then is the week's."""
    day = start or today()
    if form.values["week"]:
        chosen = _day(form.values["week"])
        if chosen is None:
            form.errors["week"] = BAD_DATE
        else:
            day = chosen
    form.week_start = monday(day)
    form.values["week"] = form.week_start.isoformat()
    form.filters["starts_from"] = _midnight(form.week_start)
    form.filters["starts_to"] = _midnight(form.week_start + timedelta(days=WEEK_DAYS))


def parse(params: Any) -> BoardForm:
    """`params` is the request's query (a multi-dict)."""
    form = BoardForm()
    for name in FIELDS:
        form.values[name] = str(params.get(name) or "").strip()
    form.values["time"] = [t for t in params.getall("time", []) if t in TIMES]
    start = end = None
    if form.values["from"]:
        start = _day(form.values["from"])
        if start is None:
            form.errors["from"] = BAD_DATE
        else:
            form.filters["starts_from"] = _midnight(start)
    if form.values["to"]:
        end = _day(form.values["to"])
        if end is None:
            form.errors["to"] = BAD_DATE
        elif start is not None and end < start:
            form.errors["to"] = BAD_RANGE
        else:
            form.filters["starts_to"] = _midnight(end + timedelta(days=1))
    if form.values["unit"]:
        try:
            form.filters["unit_id"] = uuid.UUID(form.values["unit"])
        except ValueError:
            form.errors["unit"] = BAD_UNIT
    if form.values["min_pay"]:
        try:
            euros = Decimal(form.values["min_pay"].replace(",", "."))
            if euros < 0 or euros > 10_000:
                raise InvalidOperation
            form.filters["min_hourly_pay_cents"] = int(euros * 100)
        except InvalidOperation:
            form.errors["min_pay"] = BAD_PAY
    if form.values["view"] == "week":
        _week(form, start)
    if form.values["remote"] in ("yes", "no"):
        form.filters["remote"] = form.values["remote"] == "yes"
    form.filters["times_of_day"] = tuple(form.values["time"])
    form.filters["fits_preferences"] = form.values["fits"] == "true"
    form.filters["eligible_only"] = form.values["show_all"] != "true"
    return form
