"""Reporting periods (performance/periods.py): labels, codes, ends and previous periods."""

import datetime

import pytest

from performance.periods import Period, PeriodKind, YearBasis, parse_code, periods_in_year, year_period

d = datetime.date
MONTH, QUARTER, TERM, YEAR = PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.TERM, PeriodKind.YEAR


@pytest.mark.parametrize(
    ("period", "label", "code", "end", "year_start"),
    [
        (Period(d(2013, 4, 1), MONTH), "April 2013", "2013-04", d(2013, 5, 1), 2013),
        (Period(d(2014, 3, 1), MONTH), "March 2014", "2014-03", d(2014, 4, 1), 2013),
        (Period(d(2013, 4, 1), QUARTER), "Q1 2013-14", "FY2013-Q1", d(2013, 7, 1), 2013),
        (Period(d(2014, 1, 1), QUARTER), "Q4 2013-14", "FY2013-Q4", d(2014, 4, 1), 2013),
        (Period(d(2013, 9, 1), TERM), "Autumn term 2013", "AY2013-autumn", d(2014, 1, 1), 2013),
        (Period(d(2014, 1, 1), TERM), "Spring term 2014", "AY2013-spring", d(2014, 4, 1), 2013),
        (Period(d(2014, 4, 1), TERM), "Summer term 2014", "AY2013-summer", d(2014, 9, 1), 2013),
        (Period(d(2008, 4, 1), YEAR), "2008-09", "FY2008", d(2009, 4, 1), 2008),
        (Period(d(2013, 9, 1), YEAR), "Academic year 2013/14", "AY2013", d(2014, 9, 1), 2013),
    ],
)
def test_period_label_code_end_and_year(period, label, code, end, year_start):
    assert (period.label, period.code, period.end, period.year_start) == (label, code, end, year_start)
    assert parse_code(code) == period


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        (Period(d(2013, 4, 1), MONTH), Period(d(2013, 3, 1), MONTH)),
        (Period(d(2013, 4, 1), QUARTER), Period(d(2013, 1, 1), QUARTER)),
        (Period(d(2013, 9, 1), TERM), Period(d(2013, 4, 1), TERM)),
        (Period(d(2014, 1, 1), TERM), Period(d(2013, 9, 1), TERM)),
        (Period(d(2014, 4, 1), TERM), Period(d(2014, 1, 1), TERM)),
        (Period(d(2006, 4, 1), YEAR), Period(d(2005, 4, 1), YEAR)),
    ],
)
def test_previous_period(period, previous):
    assert period.previous() == previous


@pytest.mark.parametrize(("start", "kind"), [(d(2013, 5, 1), QUARTER), (d(2013, 4, 2), MONTH), (d(2013, 10, 1), TERM)])
def test_a_period_cannot_start_on_a_day_its_kind_never_starts(start, kind):
    with pytest.raises(ValueError, match="cannot start"):
        Period(start, kind)


@pytest.mark.parametrize("code", ["", "2013", "FY13", "FY2013-Q5", "2013-13", "AY2013-winter"])
def test_codes_that_are_not_periods_are_refused(code):
    with pytest.raises(ValueError, match="not a period"):
        parse_code(code)


def test_periods_in_a_year():
    assert [p.label for p in periods_in_year(QUARTER, 2013)] == ["Q1 2013-14", "Q2 2013-14", "Q3 2013-14", "Q4 2013-14"]
    months = periods_in_year(MONTH, 2013)
    assert (len(months), months[0].label, months[-1].label) == (12, "April 2013", "March 2014")
    assert [p.label for p in periods_in_year(TERM, 2013, YearBasis.ACADEMIC)] == [
        "Autumn term 2013",
        "Spring term 2014",
        "Summer term 2014",
    ]
    assert periods_in_year(YEAR, 2013) == [year_period(2013)]


def test_quarter_of_months_and_quarters():
    assert [Period(d(2013, m, 1), MONTH).quarter for m in (4, 6, 7, 12, 1, 3)] == [1, 1, 2, 3, 4, 4]
    assert Period(d(2013, 9, 1), TERM).quarter is None
