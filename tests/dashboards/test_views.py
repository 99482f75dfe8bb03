"""The dashboard pages: numbers, exports, permissions, read-only for viewers, fixed query counts."""

import csv
import io
import re
from decimal import Decimal
from html import unescape

import openpyxl
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards import views
from dashboards.models import RollupRule
from monitoring import services
from monitoring.models import ActionReturn
from plans.models import Action, Plan
from tests.dashboards.conftest import ROLES, return_all
from tests.factories import (
    DirectorateFactory,
    DivisionFactory,
    MembershipFactory,
    ServiceUnitFactory,
    UserFactory,
    year,
)
from tests.monitoring.conftest import DEADLINE, entry, published_plan, row_cells

PAGES = ["round", "division", "exceptions"]
EXPECTED = {"admin_user": 200, "unit_editor": 200, "other_unit_editor": 200, "approver": 200,
            "committee_member": 200, "anonymous": 302}  # fmt: skip


def url(page, round_, unit=None, query=""):
    if page == "division":
        return reverse("dashboards:division", args=[round_.pk, unit.pk]) + query
    return reverse(f"dashboards:{page}", args=[round_.pk]) + query


def test_dashboard_counts_headline_actions_per_division_and_rolls_up(client_as, round_):
    page = client_as("committee_member").get(url("round", round_)).content.decode()
    assert row_cells(page, "row-DIV") == ["DIV : Learning Disability/Mental Health priorities and actions",
                                          "2", "4", "1", "3", "0", "Amber"]  # fmt: skip
    assert row_cells(page, "row-OTHER")[1:] == ["1", "3", "1", "1", "1", "Red"]  # 1 of 3 delayed >= 10%
    assert row_cells(page, "row-totals") == ["Directorate totals", "3", "7", "2", "4", "1", "Red"]  # 14% >= 10%
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert "Green = Completed" in text
    assert "Amber = Partially complete / on course" in text
    assert "Red = Stopped or will not be delivered" in text
    assert "Red: delayed or cancelled actions are 10% or more" in page


def test_the_rule_is_data_an_administrator_changes(client_as, round_, directorate):
    RollupRule.objects.filter(directorate=None).update(red_percent=Decimal(50))  # the default row
    page = client_as("committee_member").get(url("round", round_)).content.decode()
    assert row_cells(page, "row-OTHER")[-1] == "Amber"  # 33% < 50%
    assert row_cells(page, "row-totals")[-1] == "Amber"
    RollupRule.objects.create(directorate=directorate, red_percent=Decimal(50), directorate_method="worst")
    page = client_as("committee_member").get(url("round", round_)).content.decode()
    assert row_cells(page, "row-totals")[-1] == "Amber"
    RollupRule.objects.filter(directorate=directorate).update(red_percent=Decimal(20))
    page = client_as("committee_member").get(url("round", round_)).content.decode()
    assert row_cells(page, "row-OTHER")[-1] == "Red"
    assert row_cells(page, "row-totals")[-1] == "Red"  # the worst division
    assert "as set by an administrator" in page


def test_without_any_rule_row_the_built_in_default_applies(client_as, round_):
    RollupRule.objects.all().delete()
    page = client_as("committee_member").get(url("round", round_)).content.decode()
    assert row_cells(page, "row-totals")[-1] == "Red"
    assert "by default (no rule has been set for this directorate)" in page


def test_withdrawn_actions_are_footnotes_and_not_counted(client_as, round_, plans, admin_user):
    div_plan = plans[0]
    headline = Action.objects.filter(priority__plan=div_plan, sub_number=0).order_by("priority__number", "number")[3]
    ret = ActionReturn.objects.get(round=round_, action=headline)
    services.return_save(
        round_=round_, plan=div_plan, user=admin_user,
        actions={headline.pk: entry(version=ret.version, withdrawn="withdrawn",
                                    withdrawn_note="The published report has no return for it.")},
    )  # fmt: skip
    page = client_as("committee_member").get(url("round", round_)).content.decode()
    assert row_cells(page, "row-DIV")[1:] == ["2", "3", "1", "2", "0", "Amber"]
    note = f"Priority {headline.priority.number}, action {headline.label} was withdrawn."
    assert f"{note} The published report has no return for it." in page


def test_a_closed_round_reads_its_snapshot(client_as, round_, plans, admin_user):
    services.round_close(round_=round_, user=admin_user)
    Action.objects.filter(priority__plan=plans[1]).delete()  # later changes do not reach a closed round
    round_.refresh_from_db()
    page = client_as("committee_member").get(url("round", round_)).content.decode()
    assert row_cells(page, "row-OTHER")[1:] == ["1", "3", "1", "1", "1", "Red"]


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_exports_have_the_numbers_of_the_page(client_as, round_):
    client = client_as("committee_member")
    page = client.get(url("round", round_)).content.decode()
    on_page = [row_cells(page, "row-DIV")[1:], row_cells(page, "row-OTHER")[1:], row_cells(page, "row-totals")[1:]]
    response = client.get(url("round", round_, query="?export=csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0] == ["Division", "Total priorities", "Total actions", "Actions completed", "Actions on course",
                       "Actions delayed or cancelled", "Overall RAG"]  # fmt: skip
    assert [row[0] for row in rows[1:]] == ["DIV", "OTHER", "Directorate totals"]
    assert [row[1:] for row in rows[1:]] == on_page
    response = client.get(url("round", round_, query="?export=xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert values == rows
    assert client.get(url("round", round_, query="?export=pdf")).status_code == 404


def test_exports_neutralise_formulas(client_as, round_, division):
    division.code = "=HYPERLINK(1)"
    division.save()
    rows = _csv(client_as("committee_member").get(url("round", round_, query="?export=csv")))
    assert rows[1][0] == "'=HYPERLINK(1)"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_page_permissions(client_as, round_, division, page, role):
    response = client_as(role).get(url(page, round_, division))
    expected = EXPECTED[role]
    if page == "division" and role == "other_unit_editor":
        expected = 404  # DIV's plan is not one this editor may read
    assert response.status_code == expected
    if role == "anonymous":
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES[:-1])
@pytest.mark.parametrize("page", PAGES)
def test_another_directorates_round_is_not_found(client_as, admin_user, council, role, page):
    elsewhere = DirectorateFactory(council=council, code="ELSE")
    unit = DivisionFactory(parent=elsewhere, code="EDIV")
    published_plan(unit, priorities=1, actions=1)
    other_round = services.round_open(
        user=admin_user, directorate=elsewhere, year=year(2013), kind="mid_year", deadline=DEADLINE
    )
    expected = 200 if role == "admin_user" else 404
    assert client_as(role).get(url(page, other_round, unit)).status_code == expected


@pytest.mark.parametrize("page", PAGES)
def test_a_committee_member_sees_no_edit_controls(client_as, round_, division, page):
    html = client_as("committee_member").get(url(page, round_, division)).content.decode()
    assert "Enter returns" not in html
    assert 'method="post"' not in html.split('id="main-content"')[-1]
    assert "Close the round" not in html


# Drill-down


def test_drill_down_shows_priorities_actions_and_commentary(client_as, round_, division, plans):
    html = client_as("committee_member").get(url("division", round_, division)).content.decode()
    for action in Action.objects.filter(priority__plan=plans[0]):
        assert f'id="action-{action.pk}"' in html
        assert f"Commentary {action.label}" in html
    assert "Key achievements" in html
    assert "Key issues" in html


def test_drill_down_filters_are_in_the_url(client_as, round_, other_division, plans):
    client = client_as("committee_member")
    headlines = list(Action.objects.filter(priority__plan=plans[1], sub_number=0).order_by("number"))
    html = client.get(url("division", round_, other_division, "?status=delayed")).content.decode()
    assert f'id="action-{headlines[2].pk}"' in html
    assert f'id="action-{headlines[0].pk}"' not in html
    html = client.get(url("division", round_, other_division, "?rag=green")).content.decode()
    assert f'id="action-{headlines[0].pk}"' in html
    assert f'id="action-{headlines[2].pk}"' not in html
    html = client.get(url("division", round_, other_division, "?officer=nobody")).content.decode()
    assert "No action matches these filters." in html
    html = client.get(url("division", round_, other_division, "?officer=head+of")).content.decode()
    assert f'id="action-{headlines[1].pk}"' in html


def test_drill_down_filters_by_theme(client_as, round_, other_division, plans):
    from plans.models import Priority, Theme

    theme = Theme.objects.create(slug="prevention", name="Prevention")
    priority = Priority.objects.filter(plan=plans[1]).first()
    priority.themes.add(theme)
    client = client_as("committee_member")
    html = client.get(url("division", round_, other_division, "?theme=Prevention")).content.decode()
    assert f'id="priority-{priority.pk}"' in html
    assert "Themes: Prevention" in html


def test_drill_down_is_drawn_once_for_readers_who_see_the_same_units(client_as, round_, division, monkeypatch):
    drawn = []
    real = views._priorities_html
    monkeypatch.setattr(views, "_priorities_html", lambda row, priorities: drawn.append(row) or real(row, priorities))
    readers = ["admin_user", "unit_editor", "approver", "committee_member"]  # each sees DIV's plan
    clients = {role: client_as(role) for role in readers}  # users made first: a new user is a change
    pages = {role: client.get(url("division", round_, division)) for role, client in clients.items()}
    assert {response.status_code for response in pages.values()} == {200}
    assert len(drawn) == 1
    assert len({_priorities_section(response.content.decode()) for response in pages.values()}) == 1
    clients["committee_member"].get(url("division", round_, division, "?status=delayed"))
    assert len(drawn) == 2  # a filtered page is drawn for its reader


def test_drill_down_shows_each_reader_only_the_units_they_may_see_whoever_read_it_first(
    client_as, client_for, round_, directorate
):
    # A division with no plan of its own, and two service units with plans, one of which the reader edits.
    third = DivisionFactory(parent=directorate, code="THIRD")
    mine, theirs = (ServiceUnitFactory(parent=third, code=code) for code in ("MINE", "THEIRS"))
    plans = {unit.code: published_plan(unit, priorities=1, actions=1) for unit in (mine, theirs)}
    reader = client_for(MembershipFactory(user=UserFactory(username="mine.editor"), unit=mine, role="editor").user)
    everyone = client_as("committee_member").get(url("division", round_, third)).content.decode()
    html = reader.get(url("division", round_, third)).content.decode()
    for code, plan in plans.items():
        priority = plan.priorities.get()
        assert f'id="priority-{priority.pk}"' in everyone
        assert (f'id="priority-{priority.pk}"' in html) is (code == "MINE")


def _priorities_section(html: str) -> str:
    return html[html.index('<section class="govuk-!-margin-bottom-8"') : html.rindex("</section>")]


def test_exceptions_lists_only_delayed_or_cancelled(client_as, round_, plans):
    html = client_as("committee_member").get(url("exceptions", round_)).content.decode()
    delayed = Action.objects.filter(priority__plan=plans[1], sub_number=0).order_by("number")[2]
    assert f"Commentary {delayed.label}" in html
    assert html.count('<tr class="govuk-table__row">') == 2  # the header row and the one exception


# Query counts


def _queries(client, path):
    client.get(path)  # warm caches (content types)
    cache.clear()  # counted as read afresh: nothing of the app's cache (common/cache.py)
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context)


def _grow(round_, directorate, admin_user):
    for code in ("BIG1", "BIG2", "BIG3"):
        plan = published_plan(DivisionFactory(parent=directorate, code=code), priorities=4, actions=4, sub_actions=2)
        return_all(round_, plan, admin_user, ["completed", "delayed", "cancelled", "on_course"])


@pytest.mark.parametrize("role", ["admin_user", "committee_member"])
@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow_with_the_data(request, client_as, round_, directorate, division, admin_user,
                                                 role, page):  # fmt: skip
    client = client_as(role)
    path = url(page, round_, division)
    small = _queries(client, path)
    _grow(round_, directorate, admin_user)
    more = published_plan(division, priorities=3, actions=5)  # a later version: DIV's plan in force grows
    more.version_date = None
    large = _queries(client, path)
    assert large == small, (small, large)
    request.node.user_properties.append((f"{page} queries", small))


# Read afresh: session, user (with its memberships, accounts/backends.py), the round, the report (covered
# plans, divisions, the seven reads of report_rows), the plans the user may read, the roll-up rule; the
# dashboard adds the other rounds to compare with, the drill-down the priorities' themes, the exceptions
# the indicators (one query while there are none; the prefetches of their figures once there are).
# Read again, the session and the open round's report come from the cache (common/cache.py), and the
# drill-down's priorities with their themes.
QUERIES = {"round": 15, "division": 15, "exceptions": 15}
QUERIES_AGAIN = {"round": 5, "division": 4, "exceptions": 5}


@pytest.mark.parametrize("afresh", [True, False], ids=["afresh", "again"])
@pytest.mark.parametrize("size", ["small", "large"])
@pytest.mark.parametrize("page", PAGES)
def test_query_count_is_pinned_at_two_sizes(client_as, round_, directorate, division, admin_user, page, size,
                                            afresh, django_assert_num_queries):  # fmt: skip
    if size == "large":
        _grow(round_, directorate, admin_user)
    client = client_as("committee_member")
    client.get(url(page, round_, division))
    if afresh:
        cache.clear()
    with django_assert_num_queries((QUERIES if afresh else QUERIES_AGAIN)[page]):
        client.get(url(page, round_, division))


# Comparison of two rounds


@pytest.fixture
def year_end(round_, directorate, plans, admin_user):
    later = services.round_open(
        user=admin_user, directorate=directorate, year=year(2013), kind="year_end", deadline=DEADLINE
    )
    div_plan, other_plan = plans
    # DIV: action 2 completed now (was on course); OTHER: the delayed action is withdrawn.
    return_all(later, div_plan, admin_user, ["completed", "completed", "on_course", "on_course"])
    headlines = return_all(later, other_plan, admin_user, ["completed", "on_course", "delayed"])
    ret = ActionReturn.objects.get(round=later, action=headlines[2])
    services.return_save(
        round_=later, plan=other_plan, user=admin_user,
        actions={headlines[2].pk: entry(version=ret.version, withdrawn="withdrawn", withdrawn_note="Stopped.")},
    )  # fmt: skip
    return later


def test_comparison_shows_what_moved_side_by_side(client_as, round_, year_end, plans):
    client = client_as("committee_member")
    html = client.get(reverse("dashboards:compare", args=[year_end.pk, round_.pk])).content.decode()
    moved = html.split('id="moved"')[1]
    div_second = Action.objects.filter(priority__plan=plans[0], sub_number=0).order_by("priority__number", "number")[1]
    assert f"DIV {div_second.priority.number}.{div_second.label}" in moved
    assert "Status changed" in moved
    assert "Withdrawn" in moved
    assert moved.count('<tr class="govuk-table__row">') == 3  # header, the changed action and the withdrawn one
    assert row_cells(html, "compare-OTHER")[1:] == ["3 actions: 1 / 1 / 1 Red", "2 actions: 1 / 1 / 0 Amber"]
    # The same page whichever round the URL starts from.
    again = client.get(reverse("dashboards:compare", args=[round_.pk, year_end.pk])).content.decode()
    assert row_cells(again, "compare-OTHER") == row_cells(html, "compare-OTHER")
    dashboard = client.get(url("round", year_end)).content.decode()
    assert reverse("dashboards:compare", args=[year_end.pk, round_.pk]) in dashboard


@pytest.mark.parametrize("role", ROLES)
def test_comparison_permissions(client_as, round_, year_end, role):
    response = client_as(role).get(reverse("dashboards:compare", args=[year_end.pk, round_.pk]))
    assert response.status_code == EXPECTED[role]


def test_comparison_of_rounds_of_two_directorates_is_not_found(client_as, round_, council, admin_user):
    elsewhere = DirectorateFactory(council=council, code="ELSE")
    published_plan(DivisionFactory(parent=elsewhere, code="EDIV"), priorities=1, actions=1)
    other_round = services.round_open(
        user=admin_user, directorate=elsewhere, year=year(2013), kind="mid_year", deadline=DEADLINE
    )
    response = client_as("admin_user").get(reverse("dashboards:compare", args=[round_.pk, other_round.pk]))
    assert response.status_code == 404


# The index and the home page


def test_index_lists_the_rounds_the_user_may_see(client_as, round_):
    html = client_as("committee_member").get(reverse("dashboards:index")).content.decode()
    assert reverse("dashboards:round", args=[round_.pk]) in html
    assert 'href="/dashboards/"' in html  # the navigation link


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("committee_member", "dashboard"),
        ("unit_editor", "returns"),
        ("approver", "plans"),
        ("admin_user", "plans"),
    ],
)
def test_home_leads_each_role_to_its_page(client_as, round_, role, expected):
    response = client_as(role).get(reverse("home"))
    assert (
        response.url
        == {
            "dashboard": reverse("dashboards:round", args=[round_.pk]),
            "returns": reverse("monitoring:detail", args=[round_.pk]),
            "plans": reverse("plans:list"),
        }[expected]
    )


def test_home_leads_a_committee_member_to_the_round_reported_to_committee_not_a_newer_open_one(
    client_as, round_, directorate, admin_user
):
    services.round_close(round_=round_, user=admin_user)
    services.round_open(user=admin_user, directorate=directorate, year=year(2013), kind="year_end", deadline=DEADLINE)
    response = client_as("committee_member").get(reverse("home"))
    assert response.url == reverse("dashboards:round", args=[round_.pk])


def test_home_without_a_round_is_the_plan_list(client_as, committee_member, unit_editor):
    for role in ("committee_member", "unit_editor"):
        assert client_as(role).get(reverse("home")).url == reverse("plans:list")


def test_only_one_default_rule(db):
    from django.core.exceptions import ValidationError

    assert RollupRule.objects.filter(directorate=None).count() == 1  # the default row, from a migration
    with pytest.raises(ValidationError):
        RollupRule(directorate=None).full_clean()


def _rated(unit, actual, *, commentary=True):
    """A quarterly indicator of `unit` with target 80 and floor 70, and one actual in Q1 2013-14."""
    from tests.performance.factories import (
        ActualFactory,
        CommentaryFactory,
        IndicatorFactory,
        IndicatorYearFactory,
        TargetFactory,
    )

    indicator = IndicatorFactory(unit=unit)
    indicator_year = IndicatorYearFactory(indicator=indicator, floor=Decimal("70"))
    TargetFactory(indicator_year=indicator_year, value=Decimal("80"))
    ActualFactory(indicator_year=indicator_year, value=Decimal(actual))
    if commentary:
        CommentaryFactory(indicator_year=indicator_year)
    return indicator


def test_exceptions_list_amber_and_red_indicators_with_their_commentary(client_as, round_, division, other_division):
    green = _rated(division, "85")
    amber = _rated(division, "75")
    red = _rated(other_division, "60", commentary=False)
    html = client_as("committee_member").get(url("exceptions", round_)).content.decode()
    table = html[html.index('id="indicator-exceptions"') :]
    assert f'id="indicator-{amber.pk}"' in table
    assert f'id="indicator-{red.pk}"' in table
    assert f'id="indicator-{green.pk}"' not in table
    assert "Two posts were vacant." in table  # the amber one's commentary: why
    assert "No commentary yet." in table  # the red one has none
    assert ">Amber<" in table
    assert ">Red<" in table  # RAG as words, not colour alone


def test_exceptions_show_no_indicator_the_user_may_not_see(client_as, round_, directorate):
    elsewhere = DivisionFactory(parent=DirectorateFactory(code="OTHER"), code="ELSE")
    hidden = _rated(elsewhere, "60")
    html = client_as("committee_member").get(url("exceptions", round_)).content.decode()
    assert f'id="indicator-{hidden.pk}"' not in html
    assert 'id="no-indicator-exceptions"' in html


def test_exceptions_query_count_does_not_grow_with_indicators(client_as, round_, division, other_division):
    _rated(division, "75")
    client = client_as("committee_member")
    small = _queries(client, url("exceptions", round_))
    for actual in ("60", "65", "75", "90"):
        _rated(division, actual)
        _rated(other_division, actual, commentary=False)
    assert _queries(client, url("exceptions", round_)) == small


@pytest.mark.parametrize("role", ["admin_user", "committee_member"])
def test_comparison_query_count_does_not_grow_with_the_data(client_as, round_, year_end, directorate, admin_user, role):
    client = client_as(role)
    path = reverse("dashboards:compare", args=[year_end.pk, round_.pk])
    small = _queries(client, path)
    _grow(round_, directorate, admin_user)
    for plan in Plan.objects.filter(unit__code__startswith="BIG"):
        return_all(year_end, plan, admin_user, ["on_course", "completed", "completed", "delayed"])
    assert _queries(client, path) == small


def test_the_dashboard_table_names_the_kind_of_round(client_as, round_, year_end):
    reader = client_as("committee_member")
    mid_year = reader.get(reverse("dashboards:round", args=[round_.pk])).content.decode()
    later = reader.get(reverse("dashboards:round", args=[year_end.pk])).content.decode()
    assert "Mid-year monitoring – business plan dashboard" in mid_year
    assert "Year-end monitoring – business plan dashboard" in later
    assert "Mid-year monitoring" not in later
