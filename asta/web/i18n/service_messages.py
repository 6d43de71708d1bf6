"""Messages the domain services raise that the pages show, marked here for translation.

Services speak English (the API's language); the pages look each message up in the
catalogue and fall back to a translated message for its kind of error.
"""

from __future__ import annotations

from asta.core.errors import AstaError
from asta.web.i18n import N_
from asta.web.i18n.catalogue import catalogue, gettext
from asta.web.i18n.refusals import render_refusals

KNOWN = (
    N_("Wrong e-mail address or password"),
    N_("Too many failed sign-ins; wait a while before trying again"),
    N_("language must be a two-letter code like sv"),
    N_("give both available_from and available_to"),
    N_("available_to must be after available_from"),
    N_("No such unit"),
    N_("No such professional"),
    N_("No such organisation"),
    N_("You have no professional profile"),
    N_("The professional has not given a registration number"),
    N_("must be a Valvira (Terhikki) registration number of 9-11 digits"),
    N_("each language may be listed once"),
    N_("expires_on must not be before issued_on"),
    N_("ends_at must be after starts_at"),
    N_("a weekly time must end at another time than it starts"),
    N_("must include a timezone offset, e.g. 2026-12-01T08:00:00+02:00"),
    N_("A concurrent change got there first; try again"),
    N_("Confirm your e-mail address first: open the link we sent you, or ask for a new one"),
    N_("This link has expired or has already been used"),
    N_("Too many requests from this address; wait a while before trying again"),
    N_("The unit is not a unit of this area"),
    N_("An area admin covers the whole area; leave unit_id empty"),
    N_("The invitation has already been accepted or revoked"),
    N_("until must not be before since"),
    N_("Give a reason for blocking"),
    N_("The professional is neither a favourite nor blocked here"),
    N_("Choose a unit to copy its week"),
    N_("Choose a professional"),
    N_("No such onboarding step"),
    N_("No allowed shift starts inside the period"),
    N_("The last day (to) must not be before the first day (from)"),
    N_("A period can be at most three years"),
    N_("No allowed shift ends by the end of the demand: allow shorter shifts, earlier starts, "
       "or shifts that run past the end"),
    N_("The password is not right"),
    N_("A standby offer lasts 2 hours: choose instantly or not at all"),
)

BY_CODE = {
    "not_authenticated": N_("Sign in to continue."),
    "forbidden": N_("You do not have access to this page."),
    "not_found": N_("This page or item does not exist, or it is not visible to you."),
    "conflict": N_("The change conflicts with existing data. Reload the page and try again."),
    "rule_violation": N_("A rule does not allow this change."),
    "invalid_input": N_("Check the value."),
    "too_many_attempts": N_("Too many attempts. Wait a while and try again."),
    "email_not_verified": N_("Confirm your e-mail address first."),
    "link_not_valid": N_("This link has expired or has already been used"),
    "bad_request": N_("The request could not be handled."),
    # The marketplace's refusals, so a refused claim says which rule refused it.
    "shift_not_open": N_("The shift is no longer open: it was cancelled, has started or is not "
                         "published."),
    "shift_full": N_("Every position of the shift is taken. You can stand by for it."),
    "already_claimed": N_("You have already claimed or requested this shift."),
    "overlap": N_("You already have a shift at the same time."),
    "offer_not_open": N_("The offer is no longer open."),
    "already_done": N_("This has already been done."),
    "not_eligible": N_("You do not meet the requirements of this shift."),
    "onboarding_needed": N_("Complete the unit's onboarding before claiming its shifts."),
    "working_time": N_("The shift would break the working time rules: too little rest between "
                       "shifts or too many hours in a week."),
    "invalid_transition": N_("This cannot be done in the current state."),
    "payment_provider_error": N_("The payment service could not be reached. Nothing was "
                                 "changed; try again in a moment."),
}


def translate_message(locale: str, message: str, code: str = "bad_request") -> str:
    if locale == "en" or message in catalogue(locale):
        return gettext(locale, message)
    return gettext(locale, BY_CODE.get(code, BY_CODE["bad_request"]))


def translate_error(locale: str, exc: AstaError) -> str:
    """A refusal names its rule and numbers (rules.refusals); other errors by message or kind."""
    refusals = exc.details.get("refusals")
    if isinstance(refusals, list) and refusals:
        return render_refusals(locale, refusals)
    return translate_message(locale, exc.message, exc.code)
