"""The area dashboard's charts, each drawn from the metrics service's figures as they are."""

from __future__ import annotations

from datetime import date

from asta.metrics.schemas import SummaryRead, TimeseriesRead
from asta.web.charts import Chart, Series, bar_chart, line_chart, stacked_bar_chart
from asta.web.i18n import format_date, format_money, format_number, gettext
from asta.web.i18n.formatting import babel_locale


def month_label(day: date, locale: str) -> str:
    from babel.dates import format_date as babel_format

    return str(babel_format(day, "LLL yyyy", locale=babel_locale(locale)))


def quarter_label(day: date, locale: str) -> str:
    return gettext(locale, "Q{q}/{year}", q=(day.month - 1) // 3 + 1, year=day.year)


def _pct(value: float | None) -> float:
    return round((value or 0.0) * 100, 1)


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
    flows = [b.flows for b in months.items]
    month = _("Month")
    people = summary.professionals
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
            description=_("Share of posted positions that were filled, per month."),
            labels=labels, label_header=month, fmt=percent,
            series=[Series(_("Fill rate (%)"), [_pct(f.positions.fill_rate) for f in flows])]),
        "time_to_fill": line_chart(
            title=_("Time to fill per month"),
            description=_("Hours from publishing a shift to filling its positions: the median "
                          "and the slowest tenth."),
            labels=labels, label_header=month, fmt=number,
            series=[Series(_("Median (h)"), [f.positions.time_to_fill_median_hours or 0
                                             for f in flows]),
                    Series(_("90th percentile (h)"), [f.positions.time_to_fill_p90_hours or 0
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
            description=_("Different professionals who worked a shift, per month."),
            labels=labels, label_header=month, fmt=number,
            series=[Series(_("Professionals"), [f.professionals_used for f in flows])]),
        "nps": line_chart(
            title=_("eNPS and patient NPS per quarter"),
            description=_("Net promoter scores from -100 to +100: the professionals' eNPS and "
                          "the patients' NPS. A quarter without answers shows 0."),
            labels=[quarter_label(b.start, locale) for b in quarters.items],
            label_header=_("Quarter"), fmt=number,
            series=[Series(_("eNPS"), [b.flows.enps.score or 0 for b in quarters.items]),
                    Series(_("Patient NPS"), [b.flows.patient_nps.score or 0
                                              for b in quarters.items])]),
        "outcomes": line_chart(
            title=_("Outcomes of remote care per month"),
            description=_("Share of contacts resolved remotely and share referred to a health "
                          "station."),
            labels=labels, label_header=month, fmt=percent,
            series=[Series(_("Resolved remotely (%)"),
                           [_pct(f.outcomes.remote_resolution_share) for f in flows]),
                    Series(_("Referred to a health station (%)"),
                           [_pct(f.outcomes.referral_share) for f in flows])]),
    }


def period_text(summary: SummaryRead, locale: str) -> str:
    return f"{format_date(summary.first, locale)} – {format_date(summary.last, locale)}"
