"""The KPI dashboard (performance/kpi.py): what each indicator counts as, the figure it is shown as
(latest month and year to date, or rolling 12 months), the selector's fixed query count, the page,
its CSV and XLSX downloads and who may read it."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Membership
from performance import kpi, status
from performance.aggregation import Aggregation
from performance.kpi import Category, category, category_counts, kpi_dashboard, shown_figure
from performance.models import Display, Frequency, Indicator, IndicatorKind, MeasureUnit
from performance.periods import Period, PeriodKind
from performance.rag import Polarity, Rag
from plans.models import Plan
from tests.factories import MembershipFactory, PlanFactory, ServiceUnitFactory, UserFactory, year
from tests.performance.factories import (
    ActivityIndicatorFactory,
    ActualFactory,
    IndicatorFactory,
    IndicatorYearFactory,
    TargetFactory,
    fill_indicator,
)
from tests.performance.helpers import cells, page_text

pytestmark = pytest.mark.django_db


# --- What an indicator counts as ------------------------------------------------------------------

CATEGORY_CASES = [
    # (kind, polarity, RAG of the latest figure, counted as)
    ("performance", Polarity.HIGHER, Rag.GREEN, Category.GREEN),
    ("performance", Polarity.LOWER, Rag.AMBER, Category.AMBER),
    ("performance", Polarity.HIGHER, Rag.RED, Category.RED),
    ("performance", Polarity.HIGHER, Rag.NONE, Category.NO_RAG),  # no target, or no figure
    ("performance", Polarity.NONE, Rag.NONE, Category.DATA_ONLY),
    ("performance", "", Rag.NONE, Category.DATA_ONLY),  # polarity not stated in the source
    ("activity", Polarity.NONE, Rag.NONE, Category.DATA_ONLY),
]


@pytest.mark.parametrize(("kind", "polarity", "rag", "expected"), CATEGORY_CASES)
def test_what_an_indicator_counts_as(kind, polarity, rag, expected):
    assert category(Indicator(kind=kind, polarity=polarity), rag) == expected


def test_counts_list_every_category_in_order_even_when_none():
    counts = category_counts([Category.RED, Category.GREEN, Category.RED])
    assert [(c.category, c.count) for c in counts] == [
        (Category.GREEN, 1),
        (Category.AMBER, 0),
        (Category.RED, 2),
        (Category.DATA_ONLY, 0),
        (Category.NO_RAG, 0),
    ]
    assert [c.tag_class for c in counts][:3] == ["govuk-tag--green", "govuk-tag--orange", "govuk-tag--red"]


# --- The figure shown: year to date or rolling 12 months (report 3.4) -----------------------------


def _monthly(aggregation, display, figures):
    """A monthly count indicator with the given (year, month, value[, numerator, denominator]) figures."""
    indicator = IndicatorFactory(
        frequency=Frequency.MONTHLY,
        measure=MeasureUnit.PERCENTAGE if aggregation == Aggregation.RATIO else MeasureUnit.COUNT,
        aggregation=aggregation,
        display=display,
    )
    for y, m, value, *parts in figures:
        period = Period(datetime.date(y, m, 1), PeriodKind.MONTH)
        ActualFactory(
            indicator_year=IndicatorYearFactory(indicator=indicator, year=year(period.year_start)),
            period=PeriodKind.MONTH,
            period_start=period.start,
            value=Decimal(value),
            numerator=Decimal(parts[0]) if parts else None,
            denominator=Decimal(parts[1]) if parts else None,
        )
    return Indicator.objects.with_figures().get(pk=indicator.pk)


# Two months of 2012-13 and three of 2013-14: Feb 2013 10, Mar 2013 20, Apr 2013 30, May 2013 40, Jun 2013 50.
COUNTS = [(2013, 2, "10"), (2013, 3, "20"), (2013, 4, "30"), (2013, 5, "40"), (2013, 6, "50")]
RATIOS = [(2013, 3, "50", "1", "2"), (2013, 4, "25", "1", "4"), (2013, 5, "75", "3", "4")]

SHOWN_CASES = [
    # (aggregation, display, figures, label, value)
    (Aggregation.CUMULATIVE, Display.LATEST_AND_YEAR_TO_DATE, COUNTS, "Year to date 2013-14, to June 2013", "120"),
    (Aggregation.CUMULATIVE, Display.ROLLING_12_MONTHS, COUNTS, "Rolling 12 months to June 2013", "150"),
    (Aggregation.SNAPSHOT, Display.LATEST_AND_YEAR_TO_DATE, COUNTS, "Year to date 2013-14, to June 2013", "50"),
    (Aggregation.SNAPSHOT, Display.ROLLING_12_MONTHS, COUNTS, "Rolling 12 months to June 2013", "50"),
    # Ratios are recomputed from numerators and denominators: (1 + 3) / (4 + 4) and (1 + 1 + 3) / (2 + 4 + 4).
    (Aggregation.RATIO, Display.LATEST_AND_YEAR_TO_DATE, RATIOS, "Year to date 2013-14, to May 2013", "50"),
    (Aggregation.RATIO, Display.ROLLING_12_MONTHS, RATIOS, "Rolling 12 months to May 2013", "50"),
    (Aggregation.RATIO, Display.ROLLING_12_MONTHS, RATIOS[:1], "Rolling 12 months to March 2013", "50"),
    (Aggregation.RATIO, Display.LATEST_AND_YEAR_TO_DATE, RATIOS[1:2], "Year to date 2013-14, to April 2013", "25"),
]


@pytest.mark.parametrize(("aggregation", "display", "figures", "label", "value"), SHOWN_CASES)
def test_the_figure_shown_follows_the_display_choice(aggregation, display, figures, label, value):
    indicator = _monthly(aggregation, display, figures)
    shown = shown_figure(status.summary(indicator), indicator.display)
    assert (shown.label, shown.value, shown.applies) == (label, Decimal(value), True)


def test_a_ratio_without_numerators_cannot_be_worked_out_over_several_months():
    indicator = _monthly(Aggregation.RATIO, Display.ROLLING_12_MONTHS, [(2013, 4, "25"), (2013, 5, "75")])
    shown = shown_figure(status.summary(indicator), indicator.display)
    assert (shown.label, shown.value) == ("Rolling 12 months to May 2013", None)


@pytest.mark.parametrize("display", Display.values)
def test_a_yearly_figure_is_shown_as_it_is_whatever_the_display_choice(display):
    indicator = IndicatorFactory(frequency=Frequency.ANNUAL, display=display)
    indicator_year = IndicatorYearFactory(indicator=indicator, year=year(2012))
    ActualFactory(indicator_year=indicator_year, period=PeriodKind.YEAR, period_start=datetime.date(2012, 4, 1))
    indicator = Indicator.objects.with_figures().get(pk=indicator.pk)
    shown = shown_figure(status.summary(indicator), indicator.display)
    assert (shown.label, shown.value, shown.applies) == ("Reported yearly: 2012-13", None, False)


def test_no_figure_yet_shows_nothing():
    indicator = Indicator.objects.with_figures().get(pk=IndicatorFactory().pk)
    assert shown_figure(status.summary(indicator), indicator.display) == kpi.Shown("No figures yet", None, False)


# --- The selector ---------------------------------------------------------------------------------


def _annual_target_only(unit, value="70"):
    indicator = IndicatorFactory(unit=unit, frequency=Frequency.ANNUAL)
    TargetFactory(
        indicator_year=IndicatorYearFactory(indicator=indicator, year=year(2013)),
        period=PeriodKind.YEAR,
        period_start=datetime.date(2013, 4, 1),
        value=Decimal(value),
    )
    return indicator


def test_the_dashboard_covers_the_unit_and_its_units_below_with_counts(division, other_division):
    service_unit = ServiceUnitFactory(parent=division)
    green = fill_indicator(IndicatorFactory(unit=division, polarity=Polarity.HIGHER), periods=1, floor="")
    TargetFactory._meta.model.objects.filter(indicator_year__indicator=green).update(value=Decimal("50"))
    amber = fill_indicator(IndicatorFactory(unit=service_unit), periods=2, floor="")  # 62 against 80
    red = fill_indicator(IndicatorFactory(unit=division), periods=1)  # 61 against 80, floor 70
    data = fill_indicator(ActivityIndicatorFactory(unit=division), periods=1)
    no_rag = _annual_target_only(division)
    IndicatorFactory(unit=other_division)  # not below the division

    dashboard = kpi_dashboard(division)

    assert {row.indicator for row in dashboard["rows"]} == {green, amber, red, data, no_rag}
    assert {row.indicator: row.category for row in dashboard["rows"]} == {
        green: Category.GREEN,
        amber: Category.AMBER,
        red: Category.RED,
        data: Category.DATA_ONLY,
        no_rag: Category.NO_RAG,
    }
    assert [c.count for c in dashboard["counts"]] == [1, 1, 1, 1, 1]
    assert dashboard["total"] == 5
    row = next(row for row in dashboard["rows"] if row.indicator == no_rag)
    assert (row.target, row.year_target, row.target_text) == (None, Decimal("70"), "2013-14 target 70")


def test_a_users_dashboard_lists_only_the_indicators_they_may_see(division, committee_member):
    IndicatorFactory(unit=division)
    assert kpi_dashboard(division.parent, user=committee_member)["rows"] == []
    PlanFactory(unit=division, status=Plan.Status.PUBLISHED)
    assert len(kpi_dashboard(division.parent, user=committee_member)["rows"]) == 1


def test_a_year_leaves_out_later_figures(division):
    indicator = fill_indicator(IndicatorFactory(unit=division), periods=6)  # Q1 2013-14 to Q2 2014-15
    rows = kpi_dashboard(division, year=2013)["rows"]
    assert rows[0].indicator == indicator
    assert rows[0].latest.period.label == "Q4 2013-14"
    assert kpi_dashboard(division)["rows"][0].latest.period.label == "Q2 2014-15"


def test_the_trend_is_a_labelled_image_with_its_first_and_last_figures(division):
    indicator = fill_indicator(IndicatorFactory(unit=division, title="Reviews <done>"), periods=3)
    row = kpi_dashboard(division)["rows"][0]
    assert row.indicator == indicator
    assert 'role="img"' in row.trend
    assert f'aria-labelledby="kpi-trend-{indicator.pk}-title"' in row.trend
    assert f'aria-describedby="kpi-trend-{indicator.pk}-desc"' in row.trend
    assert "Reviews &lt;done&gt;" in row.trend
    assert "<done>" not in row.trend
    assert row.trend_text == "3 figures of Reviews <done>, from 61 in Q1 2013-14 to 63 in Q3 2013-14."


def _fill_unit(unit, count, periods):
    for _ in range(count):
        fill_indicator(IndicatorFactory(unit=unit), periods=periods)
        fill_indicator(ActivityIndicatorFactory(unit=unit, frequency=Frequency.MONTHLY), periods=periods)


def test_the_selector_runs_a_fixed_number_of_queries(division, committee_member, django_assert_num_queries):
    PlanFactory(unit=division, status=Plan.Status.PUBLISHED)
    _fill_unit(division, 1, 2)
    committee_member = type(committee_member).objects.get(pk=committee_member.pk)
    with django_assert_num_queries(7):  # memberships, indicators, years and their four kinds of figures
        small = kpi_dashboard(division.parent, user=committee_member)
    _fill_unit(division, 3, 8)
    committee_member = type(committee_member).objects.get(pk=committee_member.pk)
    with django_assert_num_queries(7):
        large = kpi_dashboard(division.parent, user=committee_member)
    assert (len(small["rows"]), len(large["rows"])) == (2, 8)


# --- The page and its downloads -------------------------------------------------------------------


@pytest.fixture
def dashboard_data(division, published_plan):
    indicator = fill_indicator(IndicatorFactory(unit=division, reference="NI 130", title="Reviews"), periods=2)
    formula = IndicatorFactory(unit=division, reference="", title="=HYPERLINK(1)", kind=IndicatorKind.PERFORMANCE)
    return indicator, formula


def _url(unit, **query):
    url = reverse("performance:kpi", args=[unit.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_page_shows_counts_and_each_indicators_figures(dashboard_data, division, client_for, committee_member):
    response = client_for(committee_member).get(_url(division))
    assert response.status_code == 200
    text = page_text(response)
    assert cells(text, "Green") == ["Green", "0"]
    assert cells(text, "Amber") == ["Amber", "0"]
    assert cells(text, "Red") == ["Red", "1"]  # 62 against a target of 80 and a floor of 70
    assert cells(text, "No RAG yet (no target or no figure)") == ["No RAG yet (no target or no figure)", "1"]
    row = cells(text, "NI 130: Reviews (DIV)")
    assert row[:6] == ["NI 130: Reviews (DIV)", "Q2 2013-14", "62", "80", "Red", "Improving"]
    assert row[6].rstrip(" |") == "Latest month and year to date: Year to date 2013-14, to Q2 2013-14, 61.5"
    assert "=HYPERLINK(1)" in text


def test_a_committee_member_sees_no_edit_controls_and_an_editor_does(
    dashboard_data, division, client_for, committee_member, unit_editor
):
    entry = reverse("performance:entry", args=[division.pk])
    assert entry not in client_for(committee_member).get(_url(division)).content.decode()
    assert entry in client_for(unit_editor).get(_url(division)).content.decode()


def _csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_holds_the_same_figures_with_formulas_neutralised(dashboard_data, division, client_for, approver):
    response = client_for(approver).get(_url(division, export="csv"))
    assert response.status_code == 200
    rows = _csv_rows(response)
    assert rows[0][:8] == [
        "Unit",
        "Reference",
        "Indicator",
        "Latest period",
        "Latest figure",
        "Target",
        "Annual target",
        "Year of the annual target",
    ]
    by_title = {row[2]: row for row in rows[1:]}
    assert by_title["Reviews"][3:6] == ["Q2 2013-14", "62", "80"]
    assert by_title["Reviews"][rows[0].index("RAG")] == "Red"
    assert by_title["Reviews"][rows[0].index("Value shown")] == "61.5"
    assert "'=HYPERLINK(1)" in by_title


def test_the_counts_download_as_csv_and_xlsx(dashboard_data, division, client_for, approver):
    rows = _csv_rows(client_for(approver).get(_url(division, export="csv", table="counts")))
    assert rows == [
        ["RAG", "Indicators"],
        ["Green", "0"],
        ["Amber", "0"],
        ["Red", "1"],
        ["Data only", "0"],
        ["No RAG yet (no target or no figure)", "1"],
    ]
    response = client_for(approver).get(_url(division, export="xlsx", table="counts"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()][3] == ["Red", 1]


def test_the_xlsx_holds_the_same_figures(dashboard_data, division, client_for, approver):
    response = client_for(approver).get(_url(division, export="xlsx"))
    rows = [[cell.value for cell in row] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows()]
    reviews = next(row for row in rows if row[2] == "Reviews")
    assert reviews[3:6] == ["Q2 2013-14", 62, 80]
    assert any(row[2] == "'=HYPERLINK(1)" for row in rows)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin_user", 200),
        ("unit_editor", 200),
        ("approver", 200),
        ("committee_member", 200),
        ("other_unit_editor", 404),
    ],
)
@pytest.mark.parametrize("query", [{}, {"export": "csv"}, {"export": "xlsx", "table": "counts"}])
def test_who_may_read_a_divisions_kpi_dashboard(request, dashboard_data, division, client_for, role, expected, query):
    response = client_for(request.getfixturevalue(role)).get(_url(division, **query))
    assert response.status_code == expected


def test_a_division_member_may_not_read_the_directorates_dashboard(
    directorate, dashboard_data, client_for, unit_editor
):
    assert client_for(unit_editor).get(_url(directorate)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, division):
    response = client.get(_url(division))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("query", [{"year": "1800"}, {"year": "x"}, {"export": "pdf"}])
def test_unknown_years_and_formats_are_not_found(dashboard_data, division, client_for, admin_user, query):
    assert client_for(admin_user).get(_url(division, **query)).status_code == 404


def test_the_index_lists_the_units_the_user_may_read(division, other_division, client_for, unit_editor):
    page = client_for(unit_editor).get(reverse("performance:kpi_index")).content.decode()
    assert reverse("performance:kpi", args=[division.pk]) in page
    assert reverse("performance:kpi", args=[other_division.pk]) not in page
    assert reverse("performance:kpi", args=[division.parent.pk]) not in page


def test_the_dashboards_index_links_to_the_kpi_dashboards(client_for, committee_member):
    page = client_for(committee_member).get(reverse("dashboards:index")).content.decode()
    assert reverse("performance:kpi_index") in page


def test_the_page_runs_the_same_number_of_queries_for_more_data(division, published_plan, client_for, committee_member):
    client = client_for(committee_member)
    _fill_unit(division, 1, 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(_url(division.parent)).status_code == 200
    _fill_unit(division, 3, 8)
    with CaptureQueriesContext(connection) as large:
        assert client.get(_url(division.parent)).status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)


def test_a_viewer_of_a_unit_reads_its_service_units_but_a_stranger_does_not(division, client_for):
    service_unit = ServiceUnitFactory(parent=division)
    viewer = MembershipFactory(user=UserFactory(), unit=division, role=Membership.Role.VIEWER).user
    stranger = UserFactory()
    assert client_for(viewer).get(_url(service_unit)).status_code == 200
    assert client_for(stranger).get(_url(service_unit)).status_code == 404


@pytest.mark.parametrize(
    ("display", "shown"),
    [
        (Display.LATEST_AND_YEAR_TO_DATE, "Latest month and year to date: Year to date 2013-14, to May 2013, 70"),
        (Display.ROLLING_12_MONTHS, "Rolling 12 months: Rolling 12 months to May 2013, 70"),
    ],
)
def test_the_indicator_page_shows_the_figure_its_dashboard_shows(division, client_for, admin_user, display, shown):
    indicator = _monthly(Aggregation.CUMULATIVE, display, [(2013, 4, "30"), (2013, 5, "40")])
    text = page_text(client_for(admin_user).get(reverse("performance:detail", args=[indicator.pk])))
    assert f"Shown on dashboards as {shown}" in " ".join(text.split())
