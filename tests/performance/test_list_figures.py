"""The indicator list works out each indicator's latest figure from plain tuples (selectors.list_figures,
status.latest_summary) and prints its rows without django-tables2's per-cell machinery
(IndicatorTable.page_cells). Both must give exactly what the indicator's own page and django-tables2 give."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from performance import selectors, status
from performance.models import Actual, ExpectedRange, Frequency, Indicator, IndicatorKind, IndicatorYear, Target
from performance.periods import PeriodKind, periods_in_year, year_period
from performance.rag import Direction, Polarity, Rag, RangeStatus
from performance.tables import IndicatorTable, rag_tag
from tests.factories import DivisionFactory, year
from tests.performance.factories import ActivityIndicatorFactory, IndicatorFactory, fill_indicator

pytestmark = pytest.mark.django_db

YEARS = (2012, 2013, 2014)
PERIODS = [
    period
    for start_year in YEARS
    for kind in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)
    for period in periods_in_year(kind, start_year)
]
small = st.integers(min_value=0, max_value=6).map(lambda n: Decimal(n * 10))
maybe = st.none() | small
figure = st.tuples(
    st.sampled_from(PERIODS), small, st.sampled_from(YEARS)
)  # a period, a value, the year it is filed in


def latest_fields(latest):
    if latest is None:
        return None
    return (
        latest.period,
        latest.value,
        latest.target,
        latest.floor,
        latest.previous_value,
        latest.rag,
        latest.direction,
        latest.range_status,
        latest.alert,
    )


def assert_same_latest(indicators):
    """latest_summary() gives what summary() gives, for every indicator."""
    indicators = list(indicators)
    years = selectors.list_figures(indicators)
    for indicator in Indicator.objects.with_figures().filter(pk__in=[i.pk for i in indicators]):
        expected, got = status.summary(indicator), status.latest_summary(indicator, years.get(indicator.pk, []))
        assert latest_fields(got.latest) == latest_fields(expected.latest)
        assert (got.alert, got.direction, got.rag) == (expected.alert, expected.direction, expected.rag)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    kind=st.sampled_from([IndicatorKind.PERFORMANCE, IndicatorKind.ACTIVITY]),
    polarity=st.sampled_from([Polarity.HIGHER, Polarity.LOWER, Polarity.NONE]),
    years=st.lists(st.tuples(st.sampled_from(YEARS), maybe, maybe, maybe), min_size=1, max_size=3),
    actuals=st.lists(figure, min_size=1, max_size=8),
    targets=st.lists(figure, max_size=8),
    ranges=st.lists(st.tuples(st.sampled_from(YEARS), st.integers(1, 4), maybe, maybe), max_size=4),
)
def test_the_lists_latest_figure_is_the_indicator_pages(division, kind, polarity, years, actuals, targets, ranges):
    """Any mix of monthly, quarterly and annual figures over three years, set and relative targets, floors,
    expected ranges, and figures filed under another year than their own (the database allows it)."""
    with transaction.atomic():  # each example on its own, rolled back
        check_example(division, kind, polarity, years, actuals, targets, ranges)
        transaction.set_rollback(True)


def check_example(division, kind, polarity, years, actuals, targets, ranges):
    if kind == IndicatorKind.ACTIVITY:
        polarity = Polarity.NONE  # activity indicators have no polarity
    indicator = IndicatorFactory(unit=division, kind=kind, polarity=polarity, frequency=Frequency.MONTHLY)
    rows = {}
    for start_year, floor, percent, outturn in years:
        if start_year not in rows:
            rows[start_year] = IndicatorYear.objects.create(
                indicator=indicator,
                year=year(start_year),
                floor=floor,
                relative_target_percent=percent,
                previous_outturn=outturn,
            )
    for model, chosen in ((Actual, actuals), (Target, targets)):
        for period, value, start_year in chosen:
            indicator_year = rows.get(start_year) or rows[next(iter(rows))]
            model.objects.get_or_create(
                indicator_year=indicator_year,
                period=period.kind,
                period_start=period.start,
                defaults={"value": value},
            )
    for start_year, quarter, lower, upper in ranges:
        if lower is not None and upper is not None and lower > upper:
            lower, upper = upper, lower
        if start_year in rows:
            ExpectedRange.objects.get_or_create(
                indicator_year=rows[start_year], quarter=quarter, defaults={"lower": lower, "upper": upper}
            )
    assert_same_latest([indicator])
    latest = status.summary(Indicator.objects.with_figures().get(pk=indicator.pk)).latest
    event("no figure" if latest is None else f"{latest.period.kind}, target {latest.target.how}, {latest.alert}")


def test_a_relative_annual_target_and_the_actual_it_rates(division):
    """The year's relative target resolved on the previous year's annual actual, as the indicator page does."""
    indicator = IndicatorFactory(unit=division, frequency=Frequency.ANNUAL)
    previous = IndicatorYear.objects.create(indicator=indicator, year=year(2012))
    current = IndicatorYear.objects.create(
        indicator=indicator, year=year(2013), relative_target_percent=Decimal("5"), floor=Decimal("90")
    )
    Actual.objects.create(
        indicator_year=previous, period=PeriodKind.YEAR, period_start=year_period(2012).start, value=100
    )
    Actual.objects.create(
        indicator_year=current, period=PeriodKind.YEAR, period_start=year_period(2013).start, value=104
    )
    latest = status.latest_summary(indicator, selectors.list_figures([indicator])[indicator.pk]).latest
    assert (latest.period, latest.target.value, latest.target.how) == (year_period(2013), Decimal("105.00"), "relative")
    assert latest.rag == Rag.AMBER
    assert_same_latest([indicator])


def test_an_indicator_without_figures_has_no_latest_figure(division):
    bare = IndicatorFactory(unit=division)
    only_targets = IndicatorFactory(unit=division)
    Target.objects.create(
        indicator_year=IndicatorYear.objects.create(indicator=only_targets, year=year(2013)),
        period=PeriodKind.QUARTER,
        period_start=datetime.date(2013, 4, 1),
        value=80,
    )
    figures = selectors.list_figures([bare, only_targets])
    assert bare.pk not in figures
    assert status.latest_summary(bare, []).latest is None
    assert status.latest_summary(only_targets, figures[only_targets.pk]).latest is None
    assert_same_latest([bare, only_targets])


def test_the_figures_of_a_page_are_read_in_four_queries(division):
    indicators = [fill_indicator(IndicatorFactory(unit=division), periods=6) for _ in range(3)]
    indicators.append(fill_indicator(ActivityIndicatorFactory(unit=division), periods=6))
    with CaptureQueriesContext(connection) as queries:
        selectors.list_figures(indicators)
    assert len(queries) == 4  # years, actuals, targets, expected ranges
    with CaptureQueriesContext(connection) as queries:
        assert selectors.list_figures([]) == {}
    assert len(queries) == 0


def test_the_page_prints_the_cells_django_tables2_would(client_for, admin_user):
    """page_cells gives, cell for cell, what BoundRow.get_cell gives: defaults for blanks, choice labels,
    links, figures and the RAG and direction tags."""
    division = DivisionFactory()
    fill_indicator(IndicatorFactory(unit=division, reference="", accountable_manager=""), periods=5)
    fill_indicator(IndicatorFactory(unit=division, title="<Rates> & “quotes”", polarity=Polarity.LOWER), periods=2)
    fill_indicator(ActivityIndicatorFactory(unit=division, frequency=Frequency.MONTHLY), periods=4)
    IndicatorFactory(unit=division, polarity=Polarity.NONE)  # no figures at all
    for query in ("", "?sort=-title", "?sort=kind"):
        response = client_for(admin_user).get(reverse("performance:list") + query)
        table = response.context["table"]
        expected = [[row.get_cell(column.name) for column in table.columns] for row in table.paginated_rows]
        assert list(table.page_cells()) == expected
        assert len(expected) == 4
    assert "&lt;Rates&gt; &amp; “quotes”" in response.content.decode()


def test_an_unpaginated_table_works_out_every_rows_figure(division):
    indicators = [fill_indicator(IndicatorFactory(unit=division), periods=n) for n in (1, 2, 3)]
    table = IndicatorTable(Indicator.objects.filter(pk__in=[i.pk for i in indicators]).select_related("unit"))
    with CaptureQueriesContext(connection) as queries:
        values = list(table.as_values())
    assert len(values) == 4  # the header and three rows
    assert len(queries) == 5  # the indicators, then their figures once for all of them
    shown = {row[1]: row[7] for row in values[1:]}  # title: latest period
    for indicator in Indicator.objects.with_figures().filter(pk__in=[i.pk for i in indicators]):
        assert shown[indicator.title] == status.summary(indicator).latest.period.label


@pytest.mark.parametrize("value", [*Rag, *Direction, *RangeStatus, "", None])
def test_the_lists_tags_are_those_of_the_shared_template(value):
    """tables.rag_tag writes what templates/includes/rag_tag.html prints elsewhere: keep the two alike."""
    assert rag_tag(value) == render_to_string("includes/rag_tag.html", {"status": value})
