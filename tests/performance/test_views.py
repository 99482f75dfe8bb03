"""The indicator list, the indicator page and the entry page: who may see and do what, what they
show, and how many queries they take.

Roles (tests/conftest.py): unit_editor edits DIV, other_unit_editor edits OTHER, approver and
committee_member (a viewer) belong to the directorate above both.
"""

import csv
import datetime
import io
from decimal import Decimal
from urllib.parse import urlencode

import openpyxl
import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from performance.models import Actual, Commentary, Frequency, IndicatorKind, MeasureUnit
from performance.periods import PeriodKind
from performance.rag import Polarity
from plans.models import Plan
from tests.factories import PlanFactory, PriorityFactory, UserFactory, year
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

SIGN_IN = reverse("login")
LIST = reverse("performance:list")
Q1 = datetime.date(2013, 4, 1)


def detail_url(indicator):
    return reverse("performance:detail", args=[indicator.pk])


def entry_url(unit, period="FY2013-Q1"):
    return f"{reverse('performance:entry', args=[unit.pk])}?period={period}"


def listed(response):
    return {row.record for row in response.context["table"].rows}


def rated(unit, *, actual, target="80", floor="70", polarity=Polarity.HIGHER, **fields):
    """An indicator of the unit with Q1 2013-14 figures, so that it has a RAG."""
    indicator = IndicatorFactory(unit=unit, polarity=polarity, **fields)
    indicator_year = IndicatorYearFactory(indicator=indicator, floor=Decimal(floor) if floor else None)
    if target is not None:
        TargetFactory(indicator_year=indicator_year, value=Decimal(target))
    if actual is not None:
        ActualFactory(indicator_year=indicator_year, value=Decimal(actual))
    return indicator


# --- Who may see what ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST, reverse("performance:detail", args=[1]), LIST + "?_export=csv"])
def test_anonymous_visitor_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{SIGN_IN}?{urlencode({'next': url}, safe='/')}"


def test_anonymous_visitor_is_sent_to_sign_in_from_the_entry_page_and_its_post(client, division):
    indicator = IndicatorFactory(unit=division)
    url = entry_url(indicator.unit)
    assert client.get(url).url.startswith(SIGN_IN)
    assert client.post(url, {}).url.startswith(SIGN_IN)
    assert not Actual.objects.exists()


def test_editors_see_the_indicators_of_their_unit_only(division, other_division, client_for, unit_editor):
    mine, theirs = IndicatorFactory(unit=division), IndicatorFactory(unit=other_division)
    client = client_for(unit_editor)
    assert listed(client.get(LIST)) == {mine}
    assert client.get(detail_url(mine)).status_code == 200
    assert client.get(detail_url(theirs)).status_code == 404


def test_another_units_editor_gets_404_not_403(division, client_for, other_unit_editor):
    indicator = IndicatorFactory(unit=division)
    client = client_for(other_unit_editor)
    assert indicator not in listed(client.get(LIST))
    assert client.get(detail_url(indicator)).status_code == 404
    assert client.get(entry_url(division)).status_code == 404
    assert client.post(entry_url(division), {}).status_code == 404


def test_approvers_see_every_indicator_below_them(division, other_division, client_for, approver):
    indicators = {IndicatorFactory(unit=division), IndicatorFactory(unit=other_division)}
    assert listed(client_for(approver).get(LIST)) == indicators


def test_committee_members_see_indicators_of_units_with_a_published_plan_only(
    division, other_division, client_for, committee_member
):
    shown, hidden = IndicatorFactory(unit=division), IndicatorFactory(unit=other_division)
    PlanFactory(unit=division, status=Plan.Status.PUBLISHED)
    PlanFactory(unit=other_division, status=Plan.Status.APPROVED)
    client = client_for(committee_member)
    assert listed(client.get(LIST)) == {shown}
    assert client.get(detail_url(shown)).status_code == 200
    assert client.get(detail_url(hidden)).status_code == 404


def test_administrators_see_everything(division, other_division, client_for, admin_user):
    indicators = {IndicatorFactory(unit=division), IndicatorFactory(unit=other_division)}
    assert listed(client_for(admin_user).get(LIST)) == indicators


@pytest.mark.parametrize("role", ["committee_member", "approver"])
def test_readers_may_not_enter_figures(request, division, published_plan, client_for, role):
    indicator = IndicatorFactory(unit=division)
    client = client_for(request.getfixturevalue(role))
    assert client.get(detail_url(indicator)).status_code == 200
    assert client.get(entry_url(division)).status_code == 403
    assert client.post(entry_url(division), entry_data([indicator], [{"value": "85"}])).status_code == 403
    assert not Actual.objects.exists()
    assert "Enter actuals" not in client.get(LIST).content.decode()


def test_editors_and_administrators_may_enter_figures(division, client_for, unit_editor, admin_user):
    IndicatorFactory(unit=division)
    for user in (unit_editor, admin_user):
        client = client_for(user)
        assert client.get(entry_url(division)).status_code == 200
        assert f"Enter actuals for {division.name}" in client.get(LIST).content.decode()


def test_a_unit_without_indicators_has_no_entry_page(division, client_for, admin_user):
    assert client_for(admin_user).get(entry_url(division)).status_code == 404


def test_an_unknown_period_is_not_found(division, client_for, unit_editor):
    IndicatorFactory(unit=division)
    assert client_for(unit_editor).get(entry_url(division, "FY2013-Q9")).status_code == 404


# --- What the pages show ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "polarity", "rag"),
    [("85", Polarity.HIGHER, "Green"), ("75", Polarity.HIGHER, "Amber"), ("65", Polarity.HIGHER, "Red")],
)
def test_the_list_shows_the_rag_as_text_and_colour(division, client_for, unit_editor, actual, polarity, rag):
    indicator = rated(division, actual=actual, polarity=polarity, reference="NI 130")
    response = client_for(unit_editor).get(LIST)
    row = cells(page_text(response), "NI 130")
    assert row[-5:-1] == ["Q1 2013-14", actual, "80", rag]
    colour = {"Green": "green", "Amber": "orange", "Red": "red"}[rag]
    assert f'<strong class="govuk-tag govuk-tag--{colour}">{rag}</strong>' in response.content.decode()
    assert indicator in listed(response)


def test_the_indicator_page_shows_trend_chart_benchmarks_and_commentary(division, client_for, unit_editor):
    indicator = fill_indicator(IndicatorFactory(unit=division, reference="NI 130"), periods=3)
    response = client_for(unit_editor).get(detail_url(indicator))
    content = response.content.decode()
    text = page_text(response)
    assert f'aria-labelledby="trend-{indicator.pk}-title trend-{indicator.pk}-desc"' in content
    assert 'role="img"' in content
    # Figures by period: Period | Target | Actual | Floor | RAG | Direction of travel
    assert cells(text, "Q1 2013-14") == ["Q1 2013-14", "80", "61", "70", "Red", "No earlier figure"]
    assert cells(text, "Q2 2013-14") == ["Q2 2013-14", "80", "62", "70", "Red", "Improving"]
    assert "Comparison with other councils, 2013-14" in text
    assert "What is being done about it" in text
    # The forecast is shown apart from the current RAG.
    assert "Amber (forecast in the commentary on Q3 2013-14)" in " ".join(text.split())


def test_the_indicator_page_shows_year_to_date_and_rolling_12_months(division, client_for, unit_editor):
    indicator = fill_indicator(IndicatorFactory(unit=division, frequency=Frequency.MONTHLY), periods=14)
    text = " ".join(page_text(client_for(unit_editor).get(detail_url(indicator))).split())
    # Latest month May 2014 (74 of 100); year to date April-May 2014: (73 + 74) / 200.
    assert "Year to date 73.5" in text
    # Rolling 12 months June 2013 to May 2014: (63 + … + 74) / 1200 = 68.5%.
    assert "Rolling 12 months 68.5" in text


def test_an_activity_indicator_shows_where_it_stands_against_its_range(division, client_for, unit_editor):
    indicator = ActivityIndicatorFactory(unit=division, reference="ACT 1")
    indicator_year = IndicatorYearFactory(indicator=indicator)
    indicator_year.expected_ranges.create(quarter=1, lower=100, upper=200)
    ActualFactory(indicator_year=indicator_year, value=Decimal("250"))
    client = client_for(unit_editor)
    assert cells(page_text(client.get(detail_url(indicator))), "Q1 2013-14")[4].startswith("Above expected range")
    assert cells(page_text(client.get(LIST)), "ACT 1")[-2] == "Above expected range"


def test_a_relative_target_is_resolved_and_says_how(division, client_for, unit_editor):
    indicator = IndicatorFactory(unit=division, frequency=Frequency.ANNUAL)
    IndicatorYearFactory(indicator=indicator, previous_outturn=Decimal("86"), relative_target_percent=Decimal("5"))
    text = page_text(client_for(unit_editor).get(detail_url(indicator)))
    assert cells(text, "2013-14")[1] == "90.3 (+5% on the previous outturn (86))"


def test_the_plans_indicators_section_resolves_a_target_relative_to_the_year_before(division, client_for, unit_editor):
    """Section F reads the figures of the plan's year and the year before only: the year before's outturn
    is what a relative target is worked out from."""
    plan = PlanFactory(unit=division, year=year(2013))
    indicator = IndicatorFactory(unit=division, frequency=Frequency.ANNUAL)
    for start_year, value in ((2011, "50"), (2012, "80")):
        before = IndicatorYearFactory(indicator=indicator, year=year(start_year))
        ActualFactory(
            indicator_year=before, period=PeriodKind.YEAR, period_start=datetime.date(start_year, 4, 1), value=value
        )
    IndicatorYearFactory(indicator=indicator, year=year(2013), relative_target_percent=Decimal("5"))
    text = page_text(client_for(unit_editor).get(reverse("plans:section", args=[plan.pk, "F"])))
    assert cells(text, indicator.label)[1:] == ["No actual yet", "–", "84", "No RAG"]


def test_the_indicator_page_links_to_its_priority_on_the_plans_pages(division, client_for, unit_editor):
    priority = PriorityFactory(plan=PlanFactory(unit=division), number=3)
    indicator = IndicatorFactory(unit=division, priority=priority)
    client = client_for(unit_editor)
    link = reverse("plans:table", args=[priority.plan_id, "priorities"]) + "#priority-3"
    assert f'href="{link}"' in client.get(detail_url(indicator)).text
    assert 'id="priority-3"' in client.get(link, follow=True).text


# --- Filters ------------------------------------------------------------------------------------


def test_each_filter_narrows_the_list(division, other_division, client_for, approver):
    green = rated(division, actual="85", accountable_manager="Penny Southern")
    red = rated(
        other_division, actual="50", frequency=Frequency.MONTHLY, polarity=Polarity.LOWER, target="40", floor="45"
    )
    activity = ActivityIndicatorFactory(unit=division, frequency=Frequency.ANNUAL)
    client = client_for(approver)
    cases = {
        "unit": (division.pk, {green, activity}),
        "frequency": (Frequency.MONTHLY, {red}),
        "rag": ("green", {green}),
        "polarity": (Polarity.LOWER, {red}),
        "kind": (IndicatorKind.ACTIVITY, {activity}),
        "officer": ("southern", {green}),
    }
    for name, (value, expected) in cases.items():
        assert listed(client.get(LIST, {name: value})) == expected, name
    assert listed(client.get(LIST, {"rag": "red"})) == {red}
    assert listed(client.get(LIST, {"rag": "none"})) == {activity}  # activity indicators have no RAG


# --- Query counts -------------------------------------------------------------------------------


def count_queries(client, url):
    client.get(url)  # one-off caches (content types, templates) are filled first
    cache.clear()  # and pages that are cached are built afresh, as on the first read after a change
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def make_indicators(unit, count):
    for number in range(count):
        factory = ActivityIndicatorFactory if number % 3 == 2 else IndicatorFactory
        fill_indicator(factory(unit=unit, frequency=Frequency.MONTHLY), periods=count)


@pytest.mark.parametrize("export", ["", "?_export=csv", "?_export=xlsx"])
def test_the_list_takes_the_same_queries_for_n_and_3n_indicators_and_periods(
    division, other_division, client_for, approver, export
):
    client = client_for(approver)
    by_unit = f"{LIST}{export}{'&' if export else '?'}unit="
    make_indicators(division, 2)
    small, small_by_unit = count_queries(client, f"{LIST}{export}"), count_queries(client, f"{by_unit}{division.pk}")
    make_indicators(other_division, 4)  # 6 indicators of 6 periods in all: 3N
    assert count_queries(client, f"{LIST}{export}") == small
    assert count_queries(client, f"{by_unit}{other_division.pk}") == small_by_unit


def test_the_rag_filter_takes_the_same_queries_for_n_and_3n(division, other_division, client_for, approver):
    client = client_for(approver)
    make_indicators(division, 2)
    small = count_queries(client, f"{LIST}?rag=red")
    make_indicators(other_division, 6)
    assert count_queries(client, f"{LIST}?rag=red") == small


def test_the_indicator_page_takes_the_same_queries_for_n_and_3n_periods(division, client_for, unit_editor):
    client = client_for(unit_editor)
    small = fill_indicator(IndicatorFactory(unit=division, frequency=Frequency.MONTHLY), periods=4)
    large = fill_indicator(IndicatorFactory(unit=division, frequency=Frequency.MONTHLY), periods=12 + 4 * 3)
    assert count_queries(client, detail_url(small)) == count_queries(client, detail_url(large))


def test_the_entry_page_takes_the_same_queries_for_n_and_3n_indicators(
    division, other_division, client_for, admin_user
):
    client = client_for(admin_user)
    make_indicators(division, 2)
    make_indicators(other_division, 6)
    assert count_queries(client, entry_url(division, "2013-04")) == count_queries(
        client, entry_url(other_division, "2013-04")
    )


def test_the_plans_indicators_section_takes_the_same_queries_for_n_and_3n_indicators(
    division, other_division, client_for, approver
):
    client = client_for(approver)
    small_plan, large_plan = PlanFactory(unit=division), PlanFactory(unit=other_division)
    make_indicators(division, 2)
    make_indicators(other_division, 6)
    section_f = [reverse("plans:section", args=[plan.pk, "F"]) for plan in (small_plan, large_plan)]
    small = count_queries(client, section_f[0])
    large = count_queries(client, section_f[1])
    assert small == large
    assert page_text(client.get(section_f[1])).count("Indicator title") == 6


# --- Exports ------------------------------------------------------------------------------------


def export_rows(client, export_format, query=""):
    response = client.get(f"{LIST}?_export={export_format}{query}")
    assert response.status_code == 200
    if export_format == "csv":
        return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_exports_hold_the_figures_the_page_shows(division, client_for, unit_editor):
    rated(division, actual="96.3", reference="NI 1")
    rated(division, actual="2912", target="3000", floor="2500", measure=MeasureUnit.COUNT, reference="NI 2")
    rated(division, actual="65", reference="NI 3")
    client = client_for(unit_editor)
    text = page_text(client.get(LIST))
    csv_rows, xlsx_rows = export_rows(client, "csv"), export_rows(client, "xlsx")
    assert (
        csv_rows[0]
        == xlsx_rows[0]
        == [
            "Reference",
            "Indicator",
            "Unit",
            "Frequency",
            "Polarity",
            "Kind",
            "Accountable manager",
            "Latest period",
            "Actual",
            "Target",
            "RAG",
            "Direction of travel",
        ]
    )
    for csv_row, xlsx_row in zip(csv_rows[1:], xlsx_rows[1:], strict=True):
        page_row = cells(text, csv_row[0])
        # The page groups thousands (2,912); the export holds the number.
        assert [Decimal(page_row[i].replace(",", "")) for i in (8, 9)] == [Decimal(csv_row[i]) for i in (8, 9)]
        assert [Decimal(str(xlsx_row[i])) for i in (8, 9)] == [Decimal(csv_row[i]) for i in (8, 9)]
        assert isinstance(xlsx_row[8], int | float)  # a number in the spreadsheet, not text
        assert page_row[10] == csv_row[10] == xlsx_row[10]
        assert page_row[7] == csv_row[7] == xlsx_row[7]
    assert [row[0] for row in csv_rows[1:]] == ["NI 1", "NI 2", "NI 3"]


def test_exports_follow_the_filters_and_the_users_rights(division, other_division, client_for, unit_editor):
    rated(division, actual="85", reference="NI 1")
    rated(division, actual="65", reference="NI 2")
    rated(other_division, actual="85", reference="NI 9")
    client = client_for(unit_editor)
    assert [row[0] for row in export_rows(client, "csv")[1:]] == ["NI 1", "NI 2"]
    assert [row[0] for row in export_rows(client, "csv", "&rag=red")[1:]] == ["NI 2"]


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1"])
def test_exports_never_let_a_spreadsheet_run_a_cell_as_a_formula(division, client_for, unit_editor, text):
    rated(division, actual="-5", target="1", reference="NI 1", title=text, accountable_manager=text)
    client = client_for(unit_editor)
    for export_format in ("csv", "xlsx"):
        _header, row = export_rows(client, export_format)
        assert row[1] == row[6] == "'" + text, export_format
        assert Decimal(str(row[8])) == Decimal("-5")  # numbers stay numbers
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(f"{LIST}?_export=xlsx").content)).active
    assert {cell.data_type for cell in sheet[2]} <= {"s", "n"}  # no cell of type "f" (formula)


def test_plain_text_is_exported_as_it_is(division, client_for, unit_editor):
    rated(division, actual="5", reference="NI 1", title="Timeliness of social care assessment")
    assert export_rows(client_for(unit_editor), "csv")[1][1] == "Timeliness of social care assessment"


# --- Entering a period's actuals ----------------------------------------------------------------


def entry_data(indicators, rows, total=None):
    data = {
        "form-TOTAL_FORMS": str(total if total is not None else len(indicators)),
        "form-INITIAL_FORMS": str(len(indicators)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"form-{index}-{name}"] = value
    return data


def test_an_editor_enters_a_periods_figures_for_all_the_units_indicators(division, client_for, unit_editor):
    percentage = rated(division, actual=None, reference="NI 1")
    count = IndicatorFactory(unit=division, reference="NI 2", aggregation="cumulative", measure=MeasureUnit.COUNT)
    client = client_for(unit_editor)
    page = client.get(entry_url(division))
    assert [form.indicator for form in page.context["formset"]] == [percentage, count]
    response = client.post(
        entry_url(division),
        entry_data(
            [percentage, count],
            [{"value": "", "numerator": "45", "denominator": "50"}, {"value": "1,200".replace(",", "")}],
        ),
    )
    assert response.status_code == 302
    assert response.url == entry_url(division)
    saved = {a.indicator_year.indicator: a for a in Actual.objects.select_related("indicator_year__indicator")}
    assert saved[percentage].value == Decimal("90")  # worked out from 45 of 50
    assert (saved[percentage].numerator, saved[percentage].denominator) == (45, 50)
    assert saved[count].value == 1200
    assert saved[count].entered_by == unit_editor
    follow = client.get(response.url)
    assert "Q1 2013-14: 2 figures saved." in follow.content.decode()


def test_one_invalid_figure_saves_nothing_and_the_error_summary_links_to_it(division, client_for, unit_editor):
    first, second = IndicatorFactory(unit=division, reference="NI 1"), IndicatorFactory(unit=division, reference="NI 2")
    client = client_for(unit_editor)
    response = client.post(entry_url(division), entry_data([first, second], [{"value": "85"}, {"value": "eighty"}]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert "Nothing has been saved" in content
    assert '<a href="#id_form-1-value">NI 2, actual: Actual must be a number, like 85 or 96.3</a>' in content
    assert "<title>Error: " in content
    assert 'value="85"' in content  # what the officer typed is kept
    assert not Actual.objects.exists()


@pytest.mark.parametrize(
    ("row", "error"),
    [
        ({"value": "", "numerator": "45", "denominator": ""}, "Enter the denominator too, or neither"),
        ({"value": "", "numerator": "", "denominator": "50"}, "Enter the numerator too, or neither"),
        ({"value": "", "numerator": "45", "denominator": "0"}, "The denominator must be more than 0"),
        ({"value": "80", "numerator": "45", "denominator": "50"}, "which give 90"),
    ],
)
def test_numerators_and_denominators_are_checked(division, client_for, unit_editor, row, error):
    indicator = IndicatorFactory(unit=division)
    response = client_for(unit_editor).post(entry_url(division), entry_data([indicator], [row]))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Actual.objects.exists()


def test_a_post_without_its_management_form_saves_nothing(division, client_for, unit_editor):
    indicator = IndicatorFactory(unit=division)
    response = client_for(unit_editor).post(entry_url(division), {"form-0-value": "85"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Actual.objects.filter(indicator_year__indicator=indicator).exists()


def test_clearing_a_figure_removes_it_and_the_history_keeps_it(division, client_for, unit_editor):
    indicator = rated(division, actual="85")
    response = client_for(unit_editor).post(entry_url(division), entry_data([indicator], [{"value": ""}]))
    assert response.status_code == 302
    assert not Actual.objects.exists()
    assert Actual.history.filter(history_type="-").count() == 1


def test_the_entry_page_shows_what_is_entered_already(division, client_for, unit_editor):
    indicator = rated(division, actual="85.5")
    content = client_for(unit_editor).get(entry_url(division)).content.decode()
    assert 'name="form-0-value" type="text" inputmode="decimal" spellcheck="false" value="85.5000"' in content
    assert "Target: 80 · Floor: 70" in content
    assert indicator.title in content


def test_commentary_is_saved_with_the_figure_and_shown_beside_it(division, client_for, unit_editor, published_plan):
    indicator = rated(division, actual=None)
    client = client_for(unit_editor)
    row = {
        "value": "72",
        "what_is_happening": "Reviews are behind.",
        "why": "Vacancies.",
        "what_is_being_done": "Recruiting.",
        "forecast_rag": "green",
    }
    assert client.post(entry_url(division), entry_data([indicator], [row])).status_code == 302
    commentary = Commentary.objects.get()
    assert (commentary.why, commentary.forecast_rag, commentary.author) == ("Vacancies.", "green", unit_editor)
    text = " ".join(page_text(client.get(detail_url(indicator))).split())
    assert "Current RAG Amber" in text
    assert "Forecast year-end RAG Green (forecast in the commentary on Q1 2013-14)" in text
    assert "What is happening Reviews are behind." in text


# --- Red alerts by email ------------------------------------------------------------------------


def test_the_owner_is_emailed_when_a_figure_turns_red(division, client_for, unit_editor):
    owner = UserFactory(username="owner", email="owner@example.org")
    indicator = rated(division, actual=None, reference="NI 130", title="Self directed support", owner=owner)
    client = client_for(unit_editor)
    response = client.post(entry_url(division), entry_data([indicator], [{"value": "60"}]), follow=True)
    assert "Now red: NI 130. Emailed the owner of NI 130." in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["owner@example.org"]
    assert message.subject == "Red: NI 130: Self directed support – Q1 2013-14"
    assert "Actual: 60\nTarget: 80\nFloor: 70" in message.body
    assert detail_url(indicator) in message.body

    response = client.post(entry_url(division), entry_data([indicator], [{"value": "59"}]), follow=True)
    assert len(mail.outbox) == 1  # still red: no second email
    assert "Now red" not in response.content.decode()


@pytest.mark.parametrize(("value", "owner_email"), [("75", "owner@example.org"), ("60", ""), ("85", "x@example.org")])
def test_no_email_for_amber_green_or_an_owner_without_an_address(division, client_for, unit_editor, value, owner_email):
    indicator = rated(division, actual=None, owner=UserFactory(username="owner", email=owner_email))
    client_for(unit_editor).post(entry_url(division), entry_data([indicator], [{"value": value}]))
    assert mail.outbox == []


def test_no_email_without_an_owner(division, client_for, unit_editor):
    indicator = rated(division, actual=None)
    response = client_for(unit_editor).post(
        entry_url(division), entry_data([indicator], [{"value": "60"}]), follow=True
    )
    assert mail.outbox == []
    content = response.content.decode()
    assert "Now red: NI " in content
    assert "Emailed" not in content


def test_a_red_figure_keyed_in_the_admin_emails_the_owner_too(division, client_for, admin_user):
    owner = UserFactory(username="owner", email="owner@example.org")
    indicator = rated(division, actual=None, owner=owner)
    indicator_year = indicator.years.get()
    response = client_for(admin_user).post(
        reverse("admin:performance_actual_add"),
        {
            "indicator_year": indicator_year.pk,
            "period": PeriodKind.QUARTER,
            "period_start": "2013-04-01",
            "value": "50",
            "source_note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert [m.to for m in mail.outbox] == [["owner@example.org"]]


def test_the_entry_page_opens_on_the_period_of_the_latest_figure(division, client_for, unit_editor):
    fill_indicator(IndicatorFactory(unit=division, frequency=Frequency.MONTHLY), periods=3)
    response = client_for(unit_editor).get(reverse("performance:entry", args=[division.pk]))
    assert response.context["period"].label == "June 2013"
    assert 'option value="2013-06" selected' in response.content.decode()


def test_an_amber_or_red_figure_opens_its_commentary(division, client_for, unit_editor):
    rated(division, actual="75")
    content = client_for(unit_editor).get(entry_url(division)).content.decode()
    assert '<details class="govuk-details" open>' in content
