"""The marketplace's e-mails in the recipient's language: subject and plain text from the
page catalogues (fi, sv, en), dates and money as the language writes them, links to
ASTA_PUBLIC_BASE_URL. The mailer adds the HTML part from the same text.

Day words ("today", "tomorrow") are decided in Helsinki time against the one clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from babel import dates

from asta.core.clock import today
from asta.core.config import get_settings
from asta.web.demo_texts import own_text
from asta.web.i18n import N_
from asta.web.i18n.catalogue import gettext
from asta.web.i18n.formatting import HELSINKI, babel_locale, format_money, format_time
from asta.web.labels import PROFESSION_LABELS


@dataclass(frozen=True)
class ShiftFacts:
    """What every e-mail says about its shift."""

    shift_id: str
    unit_name: str
    profession: str
    starts_at: datetime
    ends_at: datetime
    is_remote: bool
    pay_total_cents: int


@dataclass(frozen=True)
class Email:
    subject: str
    text: str


# Subject and opening sentence per kind; {when} and {unit} are filled for every kind.
KINDS: dict[str, tuple[str, str]] = {
    "shift_assigned": (N_("Booked: {unit}, {when}"), N_("You are booked for this shift.")),
    "shift_requested": (N_("Request sent: {unit}, {when}"),
                        N_("Your request for this shift was sent to the unit. You will hear "
                           "when the scheduler decides.")),
    "shift_request_declined": (N_("Not this time: {unit}, {when}"),
                               N_("Your request for this shift was not accepted: {why}.")),
    "shift_cancelled": (N_("Cancelled: {unit}, {when}"),
                        N_("The unit cancelled your shift. Reason: {why}")),
    "standby_offer": (N_("A position opened for you: {unit}, {when}"),
                      N_("A position opened in a shift you are standing by for. It is yours "
                         "if you accept by {deadline}.")),
    "direct_offer": (N_("Offered to you: {unit}, {when}"),
                     N_("The unit offers you this shift. It is yours if you accept by "
                        "{deadline}.")),
    "timesheet_corrected": (N_("Hours corrected: {unit}, {when}"),
                            N_("The unit corrected the hours you reported before approving "
                               "them. Reason: {why}")),
    "shift_reminder": (N_("{day}: {unit}, {when}"), N_("A reminder of your shift {day_lower}.")),
    "shift_match": (N_("New shift for you: {unit}, {when}"),
                    N_("A new shift matches your preferences.")),
    # To the unit's schedulers; {who} is the professional.
    "shift_claimed": (N_("Booked by {who}: {unit}, {when}"),
                      N_("{who} booked this shift.")),
    "late_cancellation": (N_("Late cancellation: {unit}, {when}"),
                          N_("{who} cancelled this shift inside the unit's notice period. "
                             "Reason: {why}")),
    "request_waiting": (N_("Request waiting: {unit}, {when}"),
                        N_("{who} asks for this shift. Approve or decline the request on the "
                           "shift's page.")),
    "timesheet_submitted": (N_("Hours to approve: {unit}, {when}"),
                            N_("{who} reported the hours of this shift; they wait for your "
                               "approval.")),
}
STAFF_KINDS = ("shift_claimed", "late_cancellation", "request_waiting", "timesheet_submitted")
# Reasons the services give in English, shown translated.
REASONS = {
    "All positions are filled": N_("all positions are filled"),
    "the scheduler chose another professional": N_("the scheduler chose another "
                                                   "professional"),
}
ONBOARDING = N_("The unit requires onboarding before your first shift; you can apply and the "
                "unit books it.")
LINKS = {"standby_offer": N_("Answer the offer: {link}"),
         "direct_offer": N_("Answer the offer: {link}"),
         "request_waiting": N_("Decide the request: {link}"),
         "timesheet_submitted": N_("Approve the hours: {link}")}
SEE_SHIFT = N_("See the shift: {link}")
REMOTE, ON_SITE = N_("remote"), N_("on site")
TODAY, TOMORROW = N_("Today"), N_("Tomorrow")
PAY = N_("Pay: {amount}")


MERGED_SUBJECT = N_("New shifts for you")
DIGEST_SUBJECT = N_("Asta: your summary of the day")


def merged_subject(locale: str, kind: str) -> str:
    """The subject once several e-mails of a kind are sent as one."""
    subject = MERGED_SUBJECT if kind == "shift_match" else DIGEST_SUBJECT
    return gettext(locale, subject)


def shift_link(shift_id: str) -> str:
    return f"{get_settings().public_base_url.rstrip('/')}/shifts/{shift_id}"


def staff_shift_link(shift_id: str) -> str:
    """The scheduler's page of the shift (holders, requests, timesheets)."""
    return f"{get_settings().public_base_url.rstrip('/')}/fill-board/shifts/{shift_id}"


def day_word(locale: str, starts_at: datetime) -> str:
    """"Today", "Tomorrow" or the date, by the shift's date in Helsinki."""
    day = starts_at.astimezone(HELSINKI).date()
    if day == today():
        return gettext(locale, TODAY)
    if day == today() + timedelta(days=1):
        return gettext(locale, TOMORROW)
    return str(dates.format_skeleton("MMMEd", starts_at, tzinfo=HELSINKI,
                                     locale=babel_locale(locale)))


def when(locale: str, start: datetime, end: datetime) -> str:
    """"ma 7.12.2026 8.00–16.00" in each language's own order and separators."""
    day = dates.format_skeleton("yMMMEd", start, tzinfo=HELSINKI, locale=babel_locale(locale))
    return f"{day} {format_time(start, locale)}–{format_time(end, locale)}"


def render(locale: str, kind: str, shift: ShiftFacts, *, why: str = "",
           deadline: datetime | None = None, onboarding_needed: bool = False,
           who: str = "") -> Email:
    subject_template, opening = KINDS[kind]
    day = day_word(locale, shift.starts_at)
    unit = own_text(locale, shift.unit_name)
    values = {
        "unit": unit, "when": when(locale, shift.starts_at, shift.ends_at),
        "why": gettext(locale, REASONS[why]) if why in REASONS else why,
        "deadline": dates.format_datetime(deadline, "short", tzinfo=HELSINKI,
                                          locale=babel_locale(locale)) if deadline else "",
        "day": day, "who": who,
        "day_lower": day.lower() if day in (gettext(locale, TODAY), gettext(locale, TOMORROW))
        else day,
    }
    profession = gettext(locale, PROFESSION_LABELS.get(shift.profession, shift.profession))
    place = gettext(locale, REMOTE if shift.is_remote else ON_SITE)
    link = (staff_shift_link if kind in STAFF_KINDS else shift_link)(shift.shift_id)
    lines = [
        gettext(locale, opening, **values),
        "",
        f"{unit}: {values['when']}",
        f"{profession}, {place}",
        gettext(locale, PAY, amount=format_money(shift.pay_total_cents, locale)),
    ]
    if onboarding_needed:
        lines += ["", gettext(locale, ONBOARDING)]
    lines += ["", gettext(locale, LINKS.get(kind, SEE_SHIFT), link=link)]
    return Email(subject=gettext(locale, subject_template, **values), text="\n".join(lines))


CALENDAR_SUMMARY = N_("{profession} shift: {unit}")
CALENDAR_REMOTE = N_("Remote: {unit}")


def calendar_texts(locale: str, profession: str, unit_name: str,
                   pay_cents: int | None = None) -> tuple[str, str]:
    """A calendar event's title and pay line in the professional's language."""
    name = gettext(locale, PROFESSION_LABELS.get(profession, profession))
    pay = gettext(locale, PAY, amount=format_money(pay_cents, locale)) if pay_cents else ""
    return gettext(locale, CALENDAR_SUMMARY, profession=name,
                   unit=own_text(locale, unit_name)), pay


def calendar_remote(locale: str, unit_name: str) -> str:
    """A remote shift's location in a calendar: no place to go, but whose shift it is."""
    return gettext(locale, CALENDAR_REMOTE, unit=own_text(locale, unit_name))
