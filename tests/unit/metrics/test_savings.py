from decimal import Decimal

import pytest

from asta.core.errors import AstaError
from asta.metrics import MetricsInputError, SavingsSettings, SavingsSplit, savings_for_hours

FTE_YEAR_HOURS = 12 * 160  # one full-time doctor for a year under the default 160 h/month


@pytest.mark.parametrize(
    ("fte", "margin", "total_eur", "area_eur", "pros_eur", "platform_eur"),
    [
        # The plan: 10 FTE at 25 % -> 450,000 EUR saved, the area keeps 225,000.
        (10, "0.25", 450_000, 225_000, 90_000, 135_000),
        # The plan's range per agency doctor and year: 27,000 (15 %) .. 45,000 (25 %).
        (1, "0.15", 27_000, 13_500, 5_400, 8_100),
        (1, "0.25", 45_000, 22_500, 9_000, 13_500),
        (1, "0.20", 36_000, 18_000, 7_200, 10_800),
        (0, "0.20", 0, 0, 0, 0),
    ],
)
def test_plan_figures(fte: int, margin: str, total_eur: int, area_eur: int, pros_eur: int,
                      platform_eur: int) -> None:
    split = savings_for_hours(fte * FTE_YEAR_HOURS, SavingsSettings(agency_margin=Decimal(margin)))
    assert split == SavingsSplit(total_eur * 100, area_eur * 100, pros_eur * 100,
                                 platform_eur * 100)


PER_HOUR_2500 = SavingsSettings(agency_reference_cents_per_month=1_600_000,
                                agency_margin=Decimal("0.25"))  # 2500 c saved per hour


@pytest.mark.parametrize(
    ("hours", "settings", "expected"),
    [
        # 1 h at 20 %: 1/160 * 1,500,000 c * 0.20 = 1875 c; shares 937.5 / 375 / 562.5,
        # floors leave one cent, the .5 tie between area and platform goes to the area.
        ("1", SavingsSettings(), SavingsSplit(1875, 938, 375, 562)),
        # 0.01 h: 18.75 c -> 19; shares 9.5 / 3.8 / 5.7 -> the two cents left go to the
        # largest remainders (professionals .8, platform .7).
        ("0.01", SavingsSettings(), SavingsSplit(19, 9, 4, 6)),
        # 0.5 h: 937.5 c -> 938; shares 469 / 187.6 / 281.4 -> the cent goes to professionals.
        ("0.5", SavingsSettings(), SavingsSplit(938, 469, 188, 281)),
        # 0.001 h at 2500 c/h = 2.5 c: half-up gives 3 (banker's rounding would give 2).
        ("0.001", PER_HOUR_2500, SavingsSplit(3, 1, 1, 1)),
        ("0.003", PER_HOUR_2500, SavingsSplit(8, 4, 2, 2)),  # 7.5 -> 8
    ],
)
def test_rounding_and_exact_split(hours: str, settings: SavingsSettings,
                                  expected: SavingsSplit) -> None:
    split = savings_for_hours(Decimal(hours), settings)
    assert split == expected
    assert split.area_cents + split.professionals_cents + split.platform_cents == split.total_cents


@pytest.mark.parametrize("hours", ["0.37", "7.5", "13.13", "159.99", "1234.56"])
@pytest.mark.parametrize(
    "shares", [("0.50", "0.20", "0.30"), ("0.3333", "0.3333", "0.3334"), ("1", "0", "0")])
def test_shares_always_add_up(hours: str, shares: tuple[str, str, str]) -> None:
    area, pros, platform = (Decimal(s) for s in shares)
    split = savings_for_hours(hours, SavingsSettings(
        area_share=area, professional_share=pros, platform_share=platform))
    assert split.area_cents + split.professionals_cents + split.platform_cents == split.total_cents
    assert abs(split.area_cents - split.total_cents * area) < 1


def test_area_parameters_change_the_result() -> None:
    settings = SavingsSettings(agency_reference_cents_per_month=1_200_000,
                               full_time_hours_per_month=Decimal("150"))
    assert savings_for_hours(150, settings).total_cents == 240_000  # 12,000 EUR * 20 %


def test_string_and_int_inputs_become_decimals() -> None:
    settings = SavingsSettings(agency_margin="0.2", area_share="0.5")  # type: ignore[arg-type]
    assert settings.agency_margin == Decimal("0.2")
    assert isinstance(settings.area_share, Decimal)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"agency_margin": Decimal("0.1499")}, "agency_margin"),
        ({"agency_margin": Decimal("0.2501")}, "agency_margin"),
        ({"agency_margin": Decimal("0.5")}, "agency_margin"),
        ({"agency_reference_cents_per_month": 0}, "agency_reference_cents_per_month"),
        ({"full_time_hours_per_month": Decimal(0)}, "full_time_hours_per_month"),
        ({"area_share": Decimal("0.60")}, "area_share"),  # sums to 110 %
        ({"area_share": Decimal("0.40")}, "area_share"),  # sums to 90 %
        ({"area_share": Decimal("1.2"), "platform_share": Decimal("-0.4")}, "area_share"),
    ],
)
def test_invalid_settings_are_refused(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(MetricsInputError) as info:
        SavingsSettings(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field
    assert isinstance(info.value, ValueError) and isinstance(info.value, AstaError)


@pytest.mark.parametrize("margin", ["0.15", "0.25"])
def test_margin_bounds_are_inclusive(margin: str) -> None:
    assert SavingsSettings(agency_margin=Decimal(margin)).agency_margin == Decimal(margin)


def test_negative_hours_are_refused() -> None:
    with pytest.raises(MetricsInputError, match="negative"):
        savings_for_hours(-1, SavingsSettings())
