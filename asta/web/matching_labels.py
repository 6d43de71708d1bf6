"""What the optimiser's reason codes mean, and what a scheduler can do about an open gap."""

from __future__ import annotations

from asta.web.i18n import N_

PROPOSAL_REASONS = {
    "agreed": N_("already agreed"),
    "eligible": N_("meets the requirements"),
    "available": N_("said they are available"),
    "requested": N_("asked for this day"),
    "preferred_unit": N_("prefers this unit"),
    "own_pool": N_("from the area's own pool"),
    "series_continuity": N_("keeps a series with the same person"),
    "wants_hours": N_("wants more hours"),
    "fewest_hours": N_("has the fewest hours of those available"),
    "lowest_cost": N_("lowest cost of those available"),
}
# The binding reason of an open position: (what stopped it, what the scheduler can do).
UNFILLED_REASONS = {
    "nobody_eligible": (N_("Nobody in the pool meets the shift's requirements."),
                        N_("Ease the requirements (languages, competences, visibility) or "
                           "widen who sees the shift.")),
    "nobody_available": (N_("Everyone who meets the requirements is unavailable then."),
                         N_("Move or shorten the shift, or ask the pool for availability.")),
    "not_chosen": (N_("People could have taken it, but other goals weighed more."),
                   N_("Accept the proposals, then offer the shift directly or raise its "
                      "priority.")),
    "not_examined": (N_("The time to search ran out before Asta could work out why."),
                     N_("Start a new matching run with a longer time to search.")),
    "eligibility": (N_("The shift's requirements rule people out."),
                    N_("Ease the requirements or widen who sees the shift.")),
    "availability": (N_("People are not available at that time."),
                     N_("Move or shorten the shift.")),
    "fixed_days_off": (N_("People have days off then."), N_("Move the shift to another day.")),
    "one_shift_per_day": (N_("People already have a shift that day."),
                          N_("Merge the shifts of the day or add people to the pool.")),
    "min_rest_between_shifts": (N_("Too little rest between shifts (Working Hours Act)."),
                                N_("Move the shift so that it leaves at least 11 hours of "
                                   "rest.")),
    "forbidden_successions": (N_("The shift would follow another in a way that is not "
                                 "allowed."), N_("Move the shift.")),
    "max_shifts_per_kind": (N_("People have already reached their number of such shifts."),
                            N_("Offer the shift to more people.")),
    "period_minute_limits": (N_("People would work too many hours in the period."),
                             N_("Shorten the shift or offer it to more people.")),
    "weekly_hour_limit": (N_("People would work more than their weekly hours allow."),
                          N_("Shorten the shift or offer it to more people.")),
    "max_consecutive_days": (N_("People would work too many days in a row."),
                             N_("Move the shift or offer it to more people.")),
    "min_consecutive_days": (N_("A shift alone would break the minimum run of work days."),
                             N_("Move the shift next to others.")),
    "min_consecutive_days_off": (N_("People would get too short a break."),
                                 N_("Move the shift.")),
    "max_working_weekends": (N_("People have already worked their weekends."),
                             N_("Offer the shift to more people.")),
}
UNKNOWN_REASON = (N_("A scheduling rule prevents filling it."),
                  N_("Check the shift's terms and offer it directly."))
RUN_STATES = {"queued": N_("Waiting to start"), "running": N_("Running"),
              "done": N_("Done"), "failed": N_("Failed")}
PROPOSAL_STATES = {"proposed": N_("Proposed"), "accepted": N_("Accepted"),
                   "refused": N_("Refused by the booking rules")}
