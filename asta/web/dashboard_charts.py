"""The area dashboard's charts, each drawn from the metrics service's figures as they are."""

from __future__ import annotations

from datetime import date, timedelta

from asta.core.clock import today
from asta.metrics.schemas import SummaryRead, TimeseriesRead
from asta.web.charts import Chart, Series, bar_chart, line_chart, stacked_bar_chart
from asta.web.i18n import N_, format_date, format_money, format_number, gettext
from asta.web.i18n.formatting import babel_locale


def month_label(day: date, locale: str) -> str:
    from babel.dates import format_date as babel_format

    return str(babel_format(day, "LLL yyyy", locale=babel_locale(locale)))


def quarter_label(day: date, locale: str) -> str:
    return gettext(locale, "Q{q}/{year}", q=(day.month - 1) // 3 + 1, year=day.year)


def _pct(value: float | None) -> float | None:
    """A share as a percentage; None (nothing to measure) stays a gap, never 0 %."""
    return None if value is None else round(value * 100, 1)


def _next_start(day: date, months: int) -> date:
    index = day.month - 1 + months
    return date(day.year + index // 12, index % 12 + 1, 1)


SO_FAR = N_("{label} (so far)")


def partial_index(starts: list[date], period_last: date, months: int) -> int | None:
    """The bucket that is not over by the period's end (or today, if sooner): the running
    month (quarter), or the one the period ends inside. Its figures are partial, not a dip."""
    now = today()
    cutoff = min(period_last, now)
    for i, start in enumerate(starts):
        last_day = _next_start(start, months) - timedelta(days=1)
        over = last_day < now and last_day <= period_last
        if start <= cutoff <= last_day and not over:  # on its last day a month still runs
            return i
    return None


def charts(summary: SummaryRead, months: TimeseriesRead, quarters: TimeseriesRead,
           locale: str) -> dict[str, Chart]:
    def _(message: str) -> str:
        return gettext(locale, message)

    def number(v: float) -> str:
        return format_number(round(v, 1), locale)

    def euros(v: float) -> str:
        return format_money(int(v * 100), locale)

    def percent(v: float) -> str:
        return f"{format_number(v, locale)} %"

    labels = [month_label(b.start, locale) for b in months.items]
    quarter_labels = [quarter_label(b.start, locale) for b in quarters.items]
    partial = partial_index([b.start for b in months.items], months.last, 1)
    partial_quarter = partial_index([b.start for b in quarters.items], quarters.last, 3)
    if partial is not None:
        labels[partial] = gettext(locale, SO_FAR, label=labels[partial])
    if partial_quarter is not None:
        quarter_labels[partial_quarter] = gettext(locale, "{label} (so far)",
                                                  label=quarter_labels[partial_quarter])
    flows = [b.flows for b in months.items]
    month = _("Month")
    people = summary.professionals
    gaps = _("A month without data is left as a gap.")
    running = (" " + _("A month still running is marked \"so far\": its figures are partial.")
               if partial is not None else "")
    return {
        "savings": stacked_bar_chart(
            title=_("Savings per month and how they are shared"),
            description=_("Agency costs avoided each month, split between the wellbeing area, "
                          "the professionals and the platform operator."),
            labels=labels, label_header=month, total_header=_("Total"), fmt=euros,
            series=[Series(_("Wellbeing area"), [f.savings.area_cents / 100 for f in flows]),
                    Series(_("Professionals"),
                           [f.savings.professionals_cents / 100 for f in flows]),
                    Series(_("Platform operator"),
                           [f.savings.platform_cents / 100 for f in flows])]),
        "fill": line_chart(
            title=_("Fill rate per month"),
            description=_("Share of posted positions that were filled, per month.") + " "
            + gaps + running,
            labels=labels, label_header=month, fmt=percent, partial_at=partial,
            series=[Series(_("Fill rate (%)"), [_pct(f.positions.fill_rate) for f in flows])]),
        "time_to_fill": line_chart(
            title=_("Time to fill per month"),
            description=_("Hours from publishing a shift to filling its positions: the median "
                          "and the slowest tenth.") + " " + gaps + running,
            labels=labels, label_header=month, fmt=number, partial_at=partial,
            series=[Series(_("Median (h)"), [f.positions.time_to_fill_median_hours
                                             for f in flows]),
                    Series(_("90th percentile (h)"), [f.positions.time_to_fill_p90_hours
                                                      for f in flows])]),
        "pool": bar_chart(
            title=_("Professional pool and its use"),
            description=_("Professionals in the national pool, verified, onboarded to the "
                          "area's units, active in the last 30 days and used in the period."),
            labels=[_("Registered"), _("Verified"), _("Onboarded"), _("Active in 30 days"),
                    _("Used in the period")],
            values=[people.registered, people.verified, people.onboarded, people.active_30d,
                    people.used],
            label_header=_("Professionals"), value_header=_("Number"), fmt=number),
        "used": line_chart(
            title=_("Professionals used per month"),
            description=_("Different professionals who worked a shift, per month.") + running,
            labels=labels, label_header=month, fmt=number, partial_at=partial,
            series=[Series(_("Professionals"), [f.professionals_used for f in flows])]),
        "nps": line_chart(
            title=_("eNPS and patient NPS per quarter"),
            description=_("Net promoter scores from -100 to +100: the professionals' eNPS and "
                          "the patients' NPS. A quarter without answers is left as a gap."),
            labels=quarter_labels, partial_at=partial_quarter,
            label_header=_("Quarter"), fmt=number,
            series=[Series(_("eNPS"), [b.flows.enps.score for b in quarters.items]),
                    Series(_("Patient NPS"), [b.flows.patient_nps.score
                                              for b in quarters.items])]),
        "outcomes": line_chart(
            title=_("Outcomes of remote care per month"),
            description=_("Share of contacts resolved remotely and share referred to a health "
                          "station.") + " " + gaps + running,
            labels=labels, label_header=month, fmt=percent, partial_at=partial,
            series=[Series(_("Resolved remotely (%)"),
                           [_pct(f.outcomes.remote_resolution_share) for f in flows]),
                    Series(_("Referred to a health station (%)"),
                           [_pct(f.outcomes.referral_share) for f in flows])]),
    }


def period_text(summary: SummaryRead, locale: str) -> str:
    return f"{format_date(summary.first, locale)} – {format_date(summary.last, locale)}"
