"""Year to date and rolling 12 months (performance/aggregation.py), per aggregation."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from performance.aggregation import Aggregation, Point, combine, rolling_12_months, year_to_date
from performance.periods import Period, PeriodKind, add_months

D = Decimal
SNAPSHOT, CUMULATIVE, RATIO = Aggregation.SNAPSHOT, Aggregation.CUMULATIVE, Aggregation.RATIO


def month(year, number, value, numerator=None, denominator=None):
    period = Period(datetime.date(year, number, 1), PeriodKind.MONTH)
    return Point(
        period.start,
        period.end,
        D(value),
        None if numerator is None else D(numerator),
        None if denominator is None else D(denominator),
    )


APRIL_TO_JUNE = [month(2013, 4, "50", 5, 10), month(2013, 5, "20", 2, 10), month(2013, 6, "90", 90, 100)]


@pytest.mark.parametrize(
    ("points", "aggregation", "scale", "expected"),
    [
        (APRIL_TO_JUNE, SNAPSHOT, 1, D("90")),  # the latest month, whatever the order given
        (list(reversed(APRIL_TO_JUNE)), SNAPSHOT, 1, D("90")),
        (APRIL_TO_JUNE, CUMULATIVE, 1, D("160")),  # the sum
        # Recomputed: 97 of 120 is 80.8333%, not the mean of 50%, 20% and 90% (53.3%).
        (APRIL_TO_JUNE, RATIO, 100, D("80.8333")),
        ([month(2013, 4, "1.9", 19, 100_000)], RATIO, 10_000, D("1.9000")),  # a rate per 10,000
        ([month(2013, 4, "50", 5, 10), month(2013, 5, "20")], RATIO, 100, None),  # a missing denominator
        ([month(2013, 4, "85")], RATIO, 100, D("85")),  # one period is its own aggregate
        ([], SNAPSHOT, 1, None),
        ([], CUMULATIVE, 1, None),
        ([], RATIO, 100, None),
    ],
)
def test_combine(points, aggregation, scale, expected):
    assert combine(points, aggregation, scale) == expected


def test_year_to_date_counts_from_april_to_the_period_given():
    points = [month(2013, 3, "100"), *APRIL_TO_JUNE]  # March 2013 belongs to 2012-13
    first = datetime.date(2013, 4, 1)
    assert year_to_date(points, aggregation=CUMULATIVE, year_first_day=first, up_to=datetime.date(2013, 6, 1)) == 70
    assert year_to_date(points, aggregation=CUMULATIVE, year_first_day=first, up_to=datetime.date(2013, 7, 1)) == 160
    assert year_to_date(points, aggregation=SNAPSHOT, year_first_day=first, up_to=datetime.date(2013, 6, 1)) == 20


def test_rolling_12_months_reaches_back_into_the_previous_year():
    points = [month(2012, m, "10") for m in range(5, 13)] + [month(2013, m, "10") for m in range(1, 7)]
    assert rolling_12_months(points, aggregation=CUMULATIVE, up_to=datetime.date(2013, 7, 1)) == 120  # Jul-Jun
    assert rolling_12_months(points, aggregation=CUMULATIVE, up_to=datetime.date(2013, 4, 1)) == 110  # May-Mar
    assert rolling_12_months(points, aggregation=SNAPSHOT, up_to=datetime.date(2013, 4, 1)) == 10


counts = st.integers(min_value=0, max_value=1000)


@given(st.lists(st.tuples(counts, st.integers(min_value=1, max_value=1000)), min_size=1, max_size=12))
def test_a_ratio_is_the_share_of_the_whole_however_the_months_fall(rows):
    first = datetime.date(2013, 4, 1)
    points = [Point(add_months(first, i), add_months(first, i + 1), D(0), D(n), D(d)) for i, (n, d) in enumerate(rows)]
    total = D(sum(n for n, _ in rows)) * 100 / D(sum(d for _, d in rows))
    assert abs(combine(points, RATIO, 100) - total) <= D("0.00005")


@given(st.lists(counts, min_size=1, max_size=12))
def test_cumulative_is_the_sum_and_snapshot_the_last(values):
    first = datetime.date(2013, 4, 1)
    points = [Point(add_months(first, i), add_months(first, i + 1), D(v)) for i, v in enumerate(values)]
    assert combine(points, CUMULATIVE) == sum(values)
    assert combine(points, SNAPSHOT) == values[-1]
