"""The database refuses what the rules refuse: each named constraint, and the checks of clean()."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from performance.models import Actual, Frequency, Indicator, IndicatorKind, Target
from performance.periods import PeriodKind, YearBasis
from performance.rag import Polarity
from tests.factories import year
from tests.performance.factories import (
    ActualFactory,
    BandCountFactory,
    ComparatorFactory,
    ExpectedRangeFactory,
    IndicatorFactory,
    IndicatorYearFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db


def refused(constraint_name, make):
    """The database refuses the row, naming the constraint (PostgreSQL) or its table (SQLite)."""
    with pytest.raises(IntegrityError) as raised, transaction.atomic():
        make()
    message = str(raised.value)
    assert constraint_name in message or (connection.vendor == "sqlite" and "UNIQUE constraint failed" in message)


def test_two_indicators_of_a_unit_cannot_share_a_reference(division):
    IndicatorFactory(unit=division, reference="NI 130")
    refused("indicator_reference_unique_in_unit", lambda: IndicatorFactory(unit=division, reference="NI 130"))


def test_indicators_without_a_printed_reference_are_told_apart_by_their_title(division):
    IndicatorFactory(unit=division, reference="", title="Number of people receiving a direct payment")
    IndicatorFactory(unit=division, reference="", title="Number of people receiving domiciliary care")
    refused(
        "indicator_title_unique_in_unit",
        lambda: IndicatorFactory(unit=division, reference="", title="Number of people receiving domiciliary care"),
    )


def test_the_same_reference_in_two_units_is_fine(division, other_division):
    IndicatorFactory(unit=division, reference="NI 130")
    IndicatorFactory(unit=other_division, reference="NI 130")
    assert Indicator.objects.filter(reference="NI 130").count() == 2


def test_an_activity_indicator_has_no_polarity(division):
    refused(
        "indicator_activity_has_no_polarity",
        lambda: IndicatorFactory(unit=division, kind=IndicatorKind.ACTIVITY, polarity=Polarity.HIGHER),
    )


def test_a_termly_indicator_runs_by_academic_year(division):
    refused(
        "indicator_termly_is_academic",
        lambda: IndicatorFactory(unit=division, frequency=Frequency.TERMLY, year_basis=YearBasis.FINANCIAL),
    )


def test_an_indicator_has_one_row_per_year():
    indicator_year = IndicatorYearFactory()
    refused(
        "indicator_year_once",
        lambda: IndicatorYearFactory._meta.model.objects.create(indicator=indicator_year.indicator, year=year(2013)),
    )


@pytest.mark.parametrize("band", [0, 6])
def test_bands_run_from_1_to_5(band):
    refused("indicator_year_band_1_to_5", lambda: IndicatorYearFactory(band=band))


def test_one_target_and_one_actual_per_period():
    target = TargetFactory()
    actual = ActualFactory(indicator_year=target.indicator_year)
    where = {"indicator_year": target.indicator_year, "period": target.period, "period_start": target.period_start}
    refused("target_once_per_period", lambda: Target.objects.create(**where, value=1))
    refused("actual_once_per_period", lambda: Actual.objects.create(**where, value=1))
    assert actual.pk


@pytest.mark.parametrize(
    ("period", "start"),
    [
        (PeriodKind.QUARTER, datetime.date(2013, 5, 1)),  # quarters start in April, July, October, January
        (PeriodKind.MONTH, datetime.date(2013, 4, 15)),  # periods start on the 1st
        (PeriodKind.YEAR, datetime.date(2013, 1, 1)),  # years start in April (or September)
        (PeriodKind.TERM, datetime.date(2013, 10, 1)),  # terms start in September, January, April
    ],
)
def test_a_period_starts_where_its_kind_starts(period, start):
    refused("actual_period_start_valid", lambda: ActualFactory(period=period, period_start=start))


def test_numerator_and_denominator_come_together_and_the_denominator_is_positive():
    refused("actual_numerator_with_denominator", lambda: ActualFactory(numerator=Decimal(5), denominator=None))
    refused("actual_denominator_positive", lambda: ActualFactory(numerator=Decimal(5), denominator=Decimal(0)))


def test_clean_refuses_a_period_outside_the_indicators_year():
    actual = ActualFactory.build(
        indicator_year=IndicatorYearFactory(), period=PeriodKind.QUARTER, period_start=datetime.date(2013, 1, 1)
    )
    with pytest.raises(ValidationError, match="not in 2013-14"):
        actual.full_clean()


def test_clean_explains_an_impossible_period_start():
    actual = ActualFactory.build(
        indicator_year=IndicatorYearFactory(), period=PeriodKind.QUARTER, period_start=datetime.date(2013, 5, 1)
    )
    with pytest.raises(ValidationError, match="A quarter cannot start on 01 May 2013"):
        actual.full_clean()


def test_the_upper_threshold_is_not_below_the_lower_one_and_quarters_run_1_to_4():
    refused("expected_range_upper_not_below_lower", lambda: ExpectedRangeFactory(lower=10, upper=5))
    refused("expected_range_quarter_1_to_4", lambda: ExpectedRangeFactory(quarter=5))


def test_one_figure_per_comparator_council_and_one_own_council():
    first = ComparatorFactory(council="Kent", is_own_council=True)
    refused(
        "comparator_council_once",
        lambda: ComparatorFactory(indicator_year=first.indicator_year, council="Kent", is_own_council=False),
    )
    refused(
        "comparator_one_own_council",
        lambda: ComparatorFactory(indicator_year=first.indicator_year, council="Kent CC", is_own_council=True),
    )


def test_one_count_per_band_unit_and_year(division):
    BandCountFactory(unit=division, band="2")
    refused("band_count_once", lambda: BandCountFactory(unit=division, band="2"))


def test_names_read_as_a_council_officer_would_say_them(division):
    indicator = IndicatorFactory(unit=division, reference="NI 130", title="Self directed support")
    unreferenced = IndicatorFactory(unit=division, reference="", title="Number of people in nursing care")
    actual = ActualFactory(indicator_year=IndicatorYearFactory(indicator=indicator), value=Decimal("85"))
    assert str(indicator) == "NI 130: Self directed support"
    assert str(unreferenced) == "Number of people in nursing care"
    assert str(actual.indicator_year) == "NI 130 2013-14"
    assert str(actual) == "NI 130, Q1 2013-14: 85"


def test_every_model_orders_by_a_unique_field_last():
    from django.apps import apps

    for model in apps.get_app_config("performance").get_models():
        if model.__name__.startswith("Historical"):
            continue
        assert model._meta.ordering[-1] == "id", model.__name__
