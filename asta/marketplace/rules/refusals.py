"""The one catalogue of why a professional cannot take a shift: a rule code and its numbers.

Every refusal (a claim, a standby, an offer, a scheduler's booking, the board's hint) is a
`Refusal(code, params)`. The templates below are the English source; the pages and e-mails
translate the same template (asta/web/i18n/refusals.py) and format the parameters for the
reader's language, so Finnish and Swedish name the rule and its numbers exactly as English.

Parameter kinds are told by type: datetime (a moment, in Helsinki time), date, time of day,
int/float (hours and counts) and str (a code: profession, language, level, competence...).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from types import MappingProxyType
from zoneinfo import ZoneInfo

Param = str | int | float | date | datetime | time | None
HELSINKI = ZoneInfo("Europe/Helsinki")


def N_(message: str) -> str:
    """Mark a template for the page catalogues' extraction (asta.web.i18n.extract)."""
    return message


MESSAGES: Mapping[str, str] = MappingProxyType({
    # Working Hours Act and the unit's and person's own limits.
    "overlap": N_("Overlaps another shift you hold ({day} {start}-{end})"),
    "min_rest": N_("Only {rest_hours} h rest between shifts; the unit requires {required_hours} h"),
    "weekly_max": N_("Would work {hours} h in the week starting Monday {week_start}; the "
                     "maximum is {limit_hours} h"),
    "personal_weekly_max": N_("Would work {hours} h in the week starting Monday {week_start}; "
                              "your own maximum is {limit_hours} h"),
    # Eligibility.
    "no_profession": N_("Complete your profile: your profession is not set"),
    "wrong_profession": N_("The shift is for the profession {required}; yours is {yours}"),
    "registration_unverified": N_("Your professional registration is not verified yet"),
    "registration_expired": N_("Your professional registration expired on {expired_on}"),
    "missing_language": N_("The shift requires {language} at {level} level or better"),
    "language_level_too_low": N_("The shift requires {language} at {level} level or better; "
                                 "yours is {yours}"),
    "missing_competence": N_("The shift requires the competence {competence}"),
    "certificate_expired": N_("Your certificate for {competence} expired on {expired_on}"),
    "missing_specialty": N_("The shift requires the specialty {specialty}"),
    "blocked_by_unit": N_("This unit does not take your bookings; ask the unit if you think "
                          "this is a mistake"),
    "onboarding_needed": N_("This unit requires onboarding before your first shift; complete "
                            "it with the unit first"),
    # The shift itself and what this person already holds.
    "shift_cancelled": N_("This shift was cancelled"),
    "shift_started": N_("This shift has already started"),
    "shift_worked": N_("This shift has already been worked"),
    "shift_full": N_("Every position of this shift is taken ({positions}); you can join its "
                     "standby list"),
    "already_confirmed": N_("You already hold this shift"),
    "already_requested": N_("You have already requested this shift; the unit has not "
                            "answered yet"),
    "already_standing_by": N_("You are already on this shift's standby list, number "
                              "{position} in line"),
    "still_open": N_("This shift still has open positions ({positions}): claim one instead"),
    "offer_open": N_("A position of this shift is offered to you: accept the offer to take it"),
    "offer_not_open": N_("There is no open offer to accept: it expired or was already answered"),
})


@dataclass(frozen=True, slots=True)
class Refusal:
    """One rule that stops an action, with the numbers the message needs."""

    code: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in MESSAGES:
            raise KeyError(f"No message for refusal code {self.code!r}")
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    @property
    def message(self) -> str:
        """English, as the API speaks it."""
        return MESSAGES[self.code].format(**{k: english_value(v)
                                             for k, v in self.params.items()})


def english_value(value: Param) -> str:
    if isinstance(value, datetime):
        return value.astimezone(HELSINKI).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float):
        return f"{round(value, 2):g}"
    return "" if value is None else str(value)


def placeholders(template: str) -> set[str]:
    """The parameter names a template uses: a translation must use exactly the same."""
    from string import Formatter

    return {name for _, name, _, _ in Formatter().parse(template) if name}


def to_json(params: Mapping[str, Param]) -> dict[str, object]:
    """Parameters for a JSON column, keeping what kind each value is."""
    stored: dict[str, object] = {}
    for key, value in params.items():
        if isinstance(value, datetime):
            stored[key] = {"datetime": value.isoformat()}
        elif isinstance(value, date):
            stored[key] = {"date": value.isoformat()}
        elif isinstance(value, time):
            stored[key] = {"time": value.isoformat()}
        else:
            stored[key] = value
    return stored


def from_json(stored: Mapping[str, object]) -> dict[str, Param]:
    params: dict[str, Param] = {}
    for key, value in stored.items():
        if isinstance(value, dict) and len(value) == 1:
            [(kind, text)] = value.items()
            if kind == "datetime":
                params[key] = datetime.fromisoformat(str(text))
            elif kind == "date":
                params[key] = date.fromisoformat(str(text))
            else:
                params[key] = time.fromisoformat(str(text))
        elif isinstance(value, str | int | float) or value is None:
            params[key] = value
    return params
