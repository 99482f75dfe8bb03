"""Setting an indicator's floor and targets for a year in the browser (performance.views.targets_edit):
who may, what is saved (all or nothing, a blank target removed), a change made meanwhile by someone
else, and the queries the page takes.

Roles (tests/conftest.py): unit_editor edits DIV, other_unit_editor edits OTHER, approver and
committee_member (a viewer) belong to the directorate above both.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from performance import services
from performance.models import Frequency, IndicatorYear, Target
from performance.periods import PeriodKind
from tests.performance.factories import ActivityIndicatorFactory, IndicatorFactory, IndicatorYearFactory, TargetFactory
from tests.performance.helpers import page_text

pytestmark = pytest.mark.django_db

Q1, Q2 = datetime.date(2013, 4, 1), datetime.date(2013, 7, 1)


def targets_url(indicator, year=2013):
    return reverse("performance:targets", args=[indicator.pk, year])


@pytest.fixture
def indicator(division):
    """A quarterly indicator of DIV with 2013-14 figures: floor 70, a Q1 target of 80."""
    indicator = IndicatorFactory(unit=division, reference="NI 130", title="Social care clients receiving SDS")
    year = IndicatorYearFactory(indicator=indicator, floor=Decimal("70"))
    TargetFactory(indicator_year=year, period=PeriodKind.QUARTER, period_start=Q1, value=Decimal("80"))
    return indicator


def form_data(client, indicator, year=2013, **changes):
    """The form as the page shows it, with `changes` typed in."""
    form = client.get(targets_url(indicator, year)).context["form"]
    data = {name: "" if value is None else str(value) for name, value in form.initial.items()}
    return {**data, **changes}


def stored(indicator, year=2013):
    indicator_year = IndicatorYear.objects.get(indicator=indicator, year_id=year)
    targets = {(t.period, t.period_start): t.value for t in Target.objects.filter(indicator_year=indicator_year)}
    return indicator_year.floor, indicator_year.target_note, targets


def test_the_form_shows_the_years_floor_and_a_target_for_the_year_and_each_quarter(indicator, client_for, unit_editor):
    response = client_for(unit_editor).get(targets_url(indicator))
    assert response.status_code == 200
    form = response.context["form"]
    labels = [field.label for field in form.target_fields()]
    assert labels == [
        "Target for the year 2013-14",
        "Q1 2013-14",
        "Q2 2013-14",
        "Q3 2013-14",
        "Q4 2013-14",
    ]
    assert form.initial["floor"] == Decimal("70")
    assert form.initial["target_FY2013-Q1"] == Decimal("80")
    assert form.initial["target_FY2013-Q2"] is None


def test_a_monthly_indicator_has_a_target_for_each_month(division, client_for, unit_editor):
    monthly = IndicatorFactory(unit=division, frequency=Frequency.MONTHLY)
    IndicatorYearFactory(indicator=monthly)
    form = client_for(unit_editor).get(targets_url(monthly)).context["form"]
    assert len(form.target_fields()) == 13
    assert form.target_fields()[1].label == "April 2013"


def test_saving_sets_the_floor_and_targets_and_a_blank_target_removes_it(indicator, client_for, unit_editor):
    client = client_for(unit_editor)
    data = form_data(
        client, indicator, floor="72.5", target_note="Stretch target agreed by DMT", **{"target_FY2013-Q1": ""}
    )
    data["target_FY2013-Q2"] = "82"
    data["target_FY2013"] = "85"
    response = client.post(targets_url(indicator), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("performance:detail", args=[indicator.pk]) + "#targets"
    floor, note, targets = stored(indicator)
    assert floor == Decimal("72.5")
    assert note == "Stretch target agreed by DMT"
    assert targets == {(PeriodKind.QUARTER, Q2): Decimal("82"), (PeriodKind.YEAR, Q1): Decimal("85")}
    page = page_text(client.get(reverse("performance:detail", args=[indicator.pk])))
    assert "floor and targets saved (3 targets changed)" in page


def test_who_changed_a_target_is_in_its_history(indicator, client_for, unit_editor):
    client = client_for(unit_editor)
    client.post(targets_url(indicator), form_data(client, indicator, **{"target_FY2013-Q1": "81"}))
    target = Target.objects.get(indicator_year__indicator=indicator, period_start=Q1, period=PeriodKind.QUARTER)
    assert target.history.first().history_user == unit_editor


def test_a_year_with_no_figures_yet_is_created_when_saved(indicator, client_for, unit_editor):
    client = client_for(unit_editor)
    response = client.post(targets_url(indicator, 2014), form_data(client, indicator, 2014, floor="71"))
    assert response.status_code == 302
    assert stored(indicator, 2014) == (Decimal("71"), "", {})


def test_a_figure_that_is_not_a_number_saves_nothing_and_says_which(indicator, client_for, unit_editor):
    client = client_for(unit_editor)
    data = form_data(client, indicator, floor="75", **{"target_FY2013-Q2": "eighty"})
    response = client.post(targets_url(indicator), data)
    assert response.status_code == 200
    text = page_text(response)
    assert "There is a problem" in text
    assert "Q2 2013-14 must be a number, like 85 or 96.3" in text
    assert stored(indicator) == (Decimal("70"), "", {(PeriodKind.QUARTER, Q1): Decimal("80")})


def test_a_change_saved_meanwhile_by_someone_else_is_not_overwritten(indicator, client_for, unit_editor, admin_user):
    mine = client_for(unit_editor)
    my_form = form_data(mine, indicator, **{"target_FY2013-Q1": "90"})
    theirs = client_for(admin_user)
    theirs.post(targets_url(indicator), form_data(theirs, indicator, **{"target_FY2013-Q1": "85"}))

    response = mine.post(targets_url(indicator), my_form)
    assert response.status_code == 200
    text = page_text(response)
    assert "Someone else changed these targets while you were editing them" in text
    assert "Saved by someone else" in text
    assert response.context["form"]["target_FY2013-Q1"].value() == "90"  # mine, still in the form
    assert stored(indicator)[2][(PeriodKind.QUARTER, Q1)] == Decimal("85")  # theirs, kept

    # Saving again, having seen theirs, saves mine.
    again = mine.post(targets_url(indicator), {**my_form, "version": response.context["form"]["version"].value()})
    assert again.status_code == 302
    assert stored(indicator)[2][(PeriodKind.QUARTER, Q1)] == Decimal("90")


def test_the_service_refuses_a_stale_version(indicator, unit_editor):
    with pytest.raises(services.TargetsChanged):
        services.targets_set(
            indicator=indicator,
            start_year=2013,
            floor=None,
            target_note="",
            targets={},
            version="not-the-stored-one",
            user=unit_editor,
        )
    assert stored(indicator)[0] == Decimal("70")


def test_the_indicator_page_links_to_the_targets_of_each_year_for_editors_only(
    indicator, published_plan, client_for, unit_editor, committee_member
):
    url = reverse("performance:detail", args=[indicator.pk])
    editor_page = client_for(unit_editor).get(url).content.decode()
    assert targets_url(indicator, 2013) in editor_page
    assert targets_url(indicator, 2014) in editor_page  # the year after the latest
    assert "/targets/" not in client_for(committee_member).get(url).content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("unit_editor", 200),
        ("admin_user", 200),
        ("approver", 403),
        ("committee_member", 403),
        ("other_unit_editor", 404),
    ],
)
def test_who_may_set_targets(request, indicator, published_plan, client_for, role, expected):
    client = client_for(request.getfixturevalue(role))
    assert client.get(targets_url(indicator)).status_code == expected
    data = {"version": "x", "floor": "1", "target_FY2013-Q1": "1"}
    response = client.post(targets_url(indicator), data)
    assert response.status_code == (200 if expected == 200 else expected)
    assert stored(indicator)[0] == Decimal("70")  # a reader's post changes nothing; the editor's is stale


def test_anonymous_visitors_are_sent_to_sign_in(indicator, client):
    response = client.get(targets_url(indicator))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_activity_indicators_and_years_outside_the_unit_have_no_targets_page(
    division, indicator, client_for, unit_editor
):
    client = client_for(unit_editor)
    assert client.get(targets_url(ActivityIndicatorFactory(unit=division))).status_code == 404
    assert client.get(targets_url(indicator, 2030)).status_code == 404
    assert client.get(targets_url(indicator, 1990)).status_code == 404


def test_the_note_is_shown_as_text(indicator, client_for, unit_editor):
    client = client_for(unit_editor)
    client.post(targets_url(indicator), form_data(client, indicator, target_note="<script>alert(1)</script>"))
    page = client.get(reverse("performance:detail", args=[indicator.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_page_takes_the_same_queries_however_many_targets(division, client_for, unit_editor):
    monthly = IndicatorFactory(unit=division, frequency=Frequency.MONTHLY)
    year = IndicatorYearFactory(indicator=monthly)
    client = client_for(unit_editor)
    client.get(targets_url(monthly))
    with CaptureQueriesContext(connection) as few:
        client.get(targets_url(monthly))
    for month in range(4, 13):
        TargetFactory(indicator_year=year, period=PeriodKind.MONTH, period_start=datetime.date(2013, month, 1))
    with CaptureQueriesContext(connection) as many:
        client.get(targets_url(monthly))
    assert len(many) == len(few)
    assert len(few) <= 15
