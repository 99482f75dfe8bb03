"""factory-boy factories for the performance models.

Defaults make a quarterly percentage indicator (higher is better) of a 2013-14 division, with
figures for Q1 2013-14.
"""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from performance.aggregation import Aggregation
from performance.models import (
    Actual,
    BandCount,
    Commentary,
    Comparator,
    ExpectedRange,
    Frequency,
    Indicator,
    IndicatorKind,
    IndicatorYear,
    MeasureUnit,
    Target,
)
from performance.periods import Period, PeriodKind, periods_in_year
from performance.rag import Polarity
from tests.factories import DivisionFactory, FinancialYearFactory, year

Q1_2013 = datetime.date(2013, 4, 1)


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator

    unit = factory.SubFactory(DivisionFactory)
    reference = factory.Sequence(lambda n: f"NI {100 + n}")
    title = factory.Sequence(lambda n: f"Indicator title {n}")
    measure = MeasureUnit.PERCENTAGE
    polarity = Polarity.HIGHER
    frequency = Frequency.QUARTERLY
    kind = IndicatorKind.PERFORMANCE
    aggregation = Aggregation.RATIO
    accountable_manager = "Head of Service"


class ActivityIndicatorFactory(IndicatorFactory):
    measure = MeasureUnit.COUNT
    polarity = Polarity.NONE
    kind = IndicatorKind.ACTIVITY
    aggregation = Aggregation.SNAPSHOT


class IndicatorYearFactory(DjangoModelFactory):
    class Meta:
        model = IndicatorYear
        django_get_or_create = ("indicator", "year")

    indicator = factory.SubFactory(IndicatorFactory)
    year = factory.SubFactory(FinancialYearFactory, start_year=2013)


class TargetFactory(DjangoModelFactory):
    class Meta:
        model = Target

    indicator_year = factory.SubFactory(IndicatorYearFactory)
    period = PeriodKind.QUARTER
    period_start = Q1_2013
    value = Decimal("80")


class ActualFactory(DjangoModelFactory):
    class Meta:
        model = Actual

    indicator_year = factory.SubFactory(IndicatorYearFactory)
    period = PeriodKind.QUARTER
    period_start = Q1_2013
    value = Decimal("85")


class CommentaryFactory(DjangoModelFactory):
    class Meta:
        model = Commentary

    indicator_year = factory.SubFactory(IndicatorYearFactory)
    period = PeriodKind.QUARTER
    period_start = Q1_2013
    what_is_happening = "Fewer reviews were completed."
    why = "Two posts were vacant."
    what_is_being_done = "Agency staff are covering the posts."
    forecast_rag = "amber"


class ExpectedRangeFactory(DjangoModelFactory):
    class Meta:
        model = ExpectedRange

    indicator_year = factory.SubFactory(IndicatorYearFactory, indicator=factory.SubFactory(ActivityIndicatorFactory))
    quarter = 1
    lower = Decimal("100")
    upper = Decimal("200")


class ComparatorFactory(DjangoModelFactory):
    class Meta:
        model = Comparator

    indicator_year = factory.SubFactory(IndicatorYearFactory)
    council = factory.Sequence(lambda n: f"Council {n}")
    value = Decimal("50")


class BandCountFactory(DjangoModelFactory):
    class Meta:
        model = BandCount

    unit = factory.SubFactory(DivisionFactory)
    year = factory.SubFactory(FinancialYearFactory, start_year=2013)
    band = BandCount.Band.BAND_3
    count = 4


def fill_indicator(indicator: Indicator, *, periods: int, start_year: int = 2013, floor="70") -> Indicator:
    """Give an indicator a target, an actual (with numerator and denominator) and a commentary for
    its first `periods` periods (months or quarters, over as many years as it takes), a comparator
    per period, and an expected range per quarter for activity indicators."""
    kind = indicator.period_kind
    all_periods: list[Period] = []
    year_start = start_year
    while len(all_periods) < periods:
        all_periods += periods_in_year(kind, year_start, indicator.year_basis)
        year_start += 1
    for number, period in enumerate(all_periods[:periods], start=1):
        indicator_year = IndicatorYearFactory(
            indicator=indicator, year=year(period.year_start), floor=Decimal(floor) if floor else None
        )
        where = {"indicator_year": indicator_year, "period": period.kind, "period_start": period.start}
        TargetFactory(**where, value=Decimal("80"))
        ActualFactory(**where, value=Decimal(60 + number), numerator=Decimal(60 + number), denominator=Decimal(100))
        CommentaryFactory(**where)
        ComparatorFactory(indicator_year=indicator_year, council=f"Comparator {number}", value=Decimal(number))
        if indicator.kind == IndicatorKind.ACTIVITY and period.quarter:
            ExpectedRange.objects.get_or_create(
                indicator_year=indicator_year, quarter=period.quarter, defaults={"lower": 10, "upper": 90}
            )
    return indicator


def one_of_each():
    """One row of every performance model (for the admin pages' test)."""
    indicator = IndicatorFactory()
    indicator_year = IndicatorYearFactory(indicator=indicator)
    TargetFactory(indicator_year=indicator_year)
    ActualFactory(indicator_year=indicator_year)
    CommentaryFactory(indicator_year=indicator_year)
    ComparatorFactory(indicator_year=indicator_year, is_own_council=True)
    ExpectedRangeFactory()
    BandCountFactory(unit=indicator.unit)
