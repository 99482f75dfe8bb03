"""The budget grid (/plans/<pk>/budget/): who may open it, per-cell validation, all or nothing on
save, totals without JavaScript, and a fixed number of queries however many lines."""

from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import BudgetLine
from plans.models import Plan
from tests.budgets.factories import (
    DIVISIONAL,
    BudgetCategoryFactory,
    BudgetLineFactory,
    fill_budget,
    use_columns,
)
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db
D = Decimal


def grid_url(plan):
    return reverse("budgets:grid", kwargs={"pk": plan.pk})


@pytest.fixture
def draft(division):
    plan = PlanFactory(unit=division, status=Plan.Status.DRAFT)
    use_columns(plan)
    return plan


@pytest.fixture
def residential(draft):
    category = BudgetCategoryFactory(plan=draft, name="Residential Care")
    BudgetLineFactory(
        plan=draft,
        category=category,
        code="44B",
        name="Ind Sect Res Care",
        employee_costs=D("0.0"),
        running_costs=D("0.0"),
        contracts=D("5776.1"),
        transfer_payments=D("0.0"),
        external_income=D("-1217.3"),
    )
    BudgetLineFactory(
        plan=draft,
        category=category,
        code="44D",
        name="Preserved rights - Mental Health",
        employee_costs=D("0.0"),
        running_costs=D("0.0"),
        contracts=D("1368.1"),
        transfer_payments=D("0.0"),
        external_income=D("-325.3"),
    )
    return category


def grid_data(response, **changes):
    """What a browser sends back from the grid, unchanged but for `changes` ({"0-running_costs": "1.0"})."""
    formset = response.context["formset"]
    data = {bound.html_name: bound.value() for bound in formset.management_form}
    data["version"] = response.context["version"]
    for form in formset.forms:
        for bound in form:
            if bound.name == "DELETE":
                continue
            value = bound.value()
            data[bound.html_name] = "" if value is None else value
    data.update({f"lines-{key}": value for key, value in changes.items()})
    return data


def line(draft, code):
    return BudgetLine.objects.get(plan=draft, code=code)


# --- Who may open the grid -------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in(client, draft):
    response = client.get(grid_url(draft))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?{urlencode({'next': grid_url(draft)}, safe='/')}"


@pytest.mark.parametrize(
    ("who", "status", "expected"),
    [
        ("unit_editor", Plan.Status.DRAFT, 200),
        ("admin_user", Plan.Status.DRAFT, 200),
        ("other_unit_editor", Plan.Status.DRAFT, 404),  # may not see the plan at all
        ("approver", Plan.Status.DRAFT, 403),  # sees it, may not change it
        ("committee_member", Plan.Status.DRAFT, 404),  # committee members see published plans only
        ("committee_member", Plan.Status.PUBLISHED, 403),
        ("unit_editor", Plan.Status.PUBLISHED, 403),  # a published plan is read-only
        ("unit_editor", Plan.Status.SUBMITTED, 403),
        ("admin_user", Plan.Status.PUBLISHED, 403),  # for administrators too: start a new version
    ],
)
def test_who_may_open_the_grid(request, client_for, draft, who, status, expected):
    draft.status = status
    draft.save()
    response = client_for(request.getfixturevalue(who)).get(grid_url(draft))
    assert response.status_code == expected


@pytest.mark.parametrize("who", ["other_unit_editor", "approver"])
def test_who_may_not_open_the_grid_may_not_save_it_either(request, client_for, unit_editor, residential, who):
    draft = residential.plan
    data = grid_data(client_for(unit_editor).get(grid_url(draft)), **{"0-running_costs": "1.0"})
    response = client_for(request.getfixturevalue(who)).post(grid_url(draft), data)
    assert response.status_code in (403, 404)
    assert line(draft, "44B").running_costs == D("0.0")


def test_a_template_without_a_column_set_says_so(client_for, unit_editor, division):
    plan = PlanFactory(unit=division)
    response = client_for(unit_editor).get(grid_url(plan))
    assert response.status_code == 404
    assert "has no budget columns yet" in response.content.decode()


# --- The grid ----------------------------------------------------------------------------------------


def test_the_grid_shows_each_line_with_its_derived_figures_and_the_totals(client_for, unit_editor, residential):
    response = client_for(unit_editor).get(grid_url(residential.plan))
    content = response.content.decode()
    grid = response.context["grid"]
    assert [group.label for group in grid.groups] == ["Residential Care"]
    assert [line.label for line in grid.groups[0].lines] == [
        "44B Ind Sect Res Care",
        "44D Preserved rights - Mental Health",
    ]
    subtotal = {cell.column.field: cell.text for cell in grid.groups[0].subtotal}
    assert (subtotal["gross"], subtotal["controllable"]) == ("7,144.2", "5,601.6")
    assert 'value="5,776.1"' in content  # figures as the council prints them
    assert 'data-derived="controllable">4,558.8<' in content
    assert "Controllable Expenditure 2012-13, 44B Ind Sect Res Care" in content  # every cell has a label
    assert "js/budget-grid.mjs" in content


def test_saving_changes_every_line_at_once(client_for, unit_editor, residential):
    client = client_for(unit_editor)
    draft = residential.plan
    data = grid_data(
        client.get(grid_url(draft)),
        **{"0-running_costs": "(12.3)", "1-contracts": "1,400.0", "1-internal_income": "", "0-cabinet_member": "PG"},
    )
    response = client.post(grid_url(draft), data, follow=True)
    assert response.redirect_chain == [(grid_url(draft), 302)]
    assert "Budget saved: 2 lines added, changed or removed." in response.content.decode()
    assert (line(draft, "44B").running_costs, line(draft, "44B").cabinet_member) == (D("-12.3"), "PG")
    assert line(draft, "44D").contracts == D("1400.0")
    assert line(draft, "44D").internal_income is None  # blank stays blank


def test_saving_an_unchanged_grid_writes_nothing(client_for, unit_editor, residential):
    client = client_for(unit_editor)
    draft = residential.plan
    history = BudgetLine.history.count()
    response = client.post(grid_url(draft), grid_data(client.get(grid_url(draft))), follow=True)
    assert "Budget saved: 0 lines added, changed or removed." in response.content.decode()
    assert BudgetLine.history.count() == history


BAD_FIGURES = [
    ("abc", "is not a figure"),
    ("12.34", "has more than one decimal place"),
    ("123456789", "is too large"),
    ("=SUM(B2:B9)", "is a formula"),
]


@pytest.mark.parametrize(("typed", "message"), BAD_FIGURES)
def test_one_bad_cell_saves_nothing_and_the_summary_names_the_line_and_the_column(
    client_for, unit_editor, residential, typed, message
):
    client = client_for(unit_editor)
    draft = residential.plan
    data = grid_data(client.get(grid_url(draft)), **{"0-running_costs": "99.9", "1-contracts": typed})
    response = client.post(grid_url(draft), data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert "Nothing has been saved." in content
    [(error_text, href)] = response.context["grid"].errors
    assert error_text.startswith(f"44D Preserved rights - Mental Health, Contracts & Projects: “{typed}” {message}")
    assert href == "#id_lines-1-contracts"
    assert 'id="id_lines-1-contracts-error"' in content  # the message by the cell too
    assert f'value="{typed}"' in content  # what was typed stays for correcting
    assert line(draft, "44B").running_costs == D("0.0")  # the good cell was not saved either
    assert line(draft, "44D").contracts == D("1368.1")


def test_a_positive_income_is_refused_with_its_line_and_column(client_for, unit_editor, residential):
    client = client_for(unit_editor)
    data = grid_data(client.get(grid_url(residential.plan)), **{"0-external_income": "1217.3"})
    response = client.post(grid_url(residential.plan), data)
    assert response.context["grid"].errors == [
        (
            "44B Ind Sect Res Care, External Income: Type external income as a negative figure, for example -1,217.3.",
            "#id_lines-0-external_income",
        )
    ]
    assert line(residential.plan, "44B").external_income == D("-1217.3")


def test_after_a_refused_save_the_totals_show_what_was_typed_without_javascript(client_for, unit_editor, residential):
    client = client_for(unit_editor)
    data = grid_data(client.get(grid_url(residential.plan)), **{"0-employee_costs": "100.0", "1-contracts": "abc"})
    grid = client.post(grid_url(residential.plan), data).context["grid"]
    subtotal = {cell.column.field: cell.text for cell in grid.groups[0].subtotal}
    assert subtotal["employee_costs"] == "100.0"
    assert subtotal["gross"] == "5,876.1"  # 100.0 + 5,776.1; the refused cell counts as blank


def test_adding_a_line_puts_it_in_its_category_at_the_end(client_for, unit_editor, residential):
    client = client_for(unit_editor)
    draft = residential.plan
    data = grid_data(
        client.get(grid_url(draft)),
        **{
            "2-code": "44K",
            "2-name": "I.S. Nursing Care RNCC",
            "2-category": str(residential.pk),
            "2-contracts": "16.2",
        },
    )
    client.post(grid_url(draft), data)
    added = line(draft, "44K")
    assert (added.category, added.kind, added.contracts, added.order) == (residential, "cost_code", D("16.2"), 3)
    assert BudgetLine.objects.filter(plan=draft).count() == 3  # the two blank rows were ignored


def test_a_new_line_with_figures_but_no_name_is_refused(client_for, unit_editor, residential):
    client = client_for(unit_editor)
    data = grid_data(client.get(grid_url(residential.plan)), **{"3-contracts": "10.0"})
    response = client.post(grid_url(residential.plan), data)
    assert response.context["grid"].errors == [
        ("New line in row 4, Name: Enter the name of the line, for example Ind Sect Res Care.", "#id_lines-3-name")
    ]
    assert BudgetLine.objects.filter(plan=residential.plan).count() == 2


def test_a_memorandum_item_cannot_be_put_in_a_category(client_for, unit_editor, residential):
    client = client_for(unit_editor)
    data = grid_data(
        client.get(grid_url(residential.plan)),
        **{"2-name": "Central Overheads", "2-kind": "memorandum", "2-category": str(residential.pk)},
    )
    errors = client.post(grid_url(residential.plan), data).context["grid"].errors
    assert errors == [
        (
            "Central Overheads, Category: A memorandum item sits below the total: choose No category.",
            "#id_lines-2-category",
        )
    ]


def test_two_lines_cannot_share_a_code_and_name(client_for, unit_editor, residential):
    client = client_for(unit_editor)
    data = grid_data(client.get(grid_url(residential.plan)), **{"1-code": "44B", "1-name": "Ind Sect Res Care"})
    errors = client.post(grid_url(residential.plan), data).context["grid"].errors
    assert errors == [
        (
            "44D Preserved rights - Mental Health, Name: Another line is already called 44B Ind Sect Res Care: "
            "give each line its own name.",
            "#id_lines-1-name",
        )
    ]


def test_removing_a_line(client_for, unit_editor, residential):
    client = client_for(unit_editor)
    data = grid_data(client.get(grid_url(residential.plan)), **{"1-DELETE": "on"})
    client.post(grid_url(residential.plan), data)
    assert list(BudgetLine.objects.filter(plan=residential.plan).values_list("code", flat=True)) == ["44B"]


def test_a_save_over_someone_elses_newer_save_is_refused_and_keeps_the_typing(client_for, unit_editor, residential):
    client = client_for(unit_editor)
    draft = residential.plan
    data = grid_data(client.get(grid_url(draft)), **{"0-running_costs": "1.0"})
    other = line(draft, "44D")
    other.contracts = D("1.0")
    other.save()  # someone else saves meanwhile

    response = client.post(grid_url(draft), data)
    assert response.status_code == 200
    assert "changed this budget while you were editing it" in response.context["grid"].errors[0][0]
    assert line(draft, "44B").running_costs == D("0.0")
    assert 'value="1.0"' in response.content.decode()

    again = client.post(grid_url(draft), grid_data(response, **{"0-running_costs": "1.0"}))
    assert again.status_code == 302  # saving again overwrites knowingly
    assert line(draft, "44B").running_costs == D("1.0")


def test_the_divisional_column_set_keys_staffing_and_non_staffing(client_for, unit_editor, draft):
    use_columns(draft, DIVISIONAL)
    client = client_for(unit_editor)
    response = client.get(grid_url(draft))
    assert [column.heading for column in response.context["grid"].columns][:3] == [
        "Divisional Unit",
        "Responsible Manager",
        "Staffing",
    ]
    data = grid_data(
        response,
        **{
            "0-name": "Learning Disability",
            "0-kind": "area",
            "0-responsible_manager": "Penny Southern",
            "0-staffing": "100.0",
            "0-non_staffing": "50.5",
            "0-service_income": "-20.0",
        },
    )
    client.post(grid_url(draft), data)
    added = BudgetLine.objects.get(plan=draft)
    assert (added.staffing, added.non_staffing, added.service_income, added.responsible_manager) == (
        D("100.0"),
        D("50.5"),
        D("-20.0"),
        "Penny Southern",
    )
    total = {cell.column.field: cell.text for cell in client.get(grid_url(draft)).context["grid"].total}
    assert (total["gross"], total["net_expenditure"], total["net_cost"]) == ("150.5", "130.5", "130.5")


def test_a_new_version_can_copy_the_budget_of_the_version_it_came_from(client_for, unit_editor, division):
    published = PlanFactory(unit=division, status=Plan.Status.PUBLISHED)
    use_columns(published)
    fill_budget(published, categories=2, lines=2)
    line = BudgetLine.objects.filter(plan=published).first()
    line.printed_gross = D("30.0")
    line.save()
    draft = PlanFactory(unit=division, template=published.template, previous_version=published)
    client = client_for(unit_editor)
    assert "Copy the budget of" in client.get(grid_url(draft)).content.decode()

    response = client.post(reverse("budgets:copy", kwargs={"pk": draft.pk}), follow=True)
    assert "5 budget lines copied from the previous version." in response.content.decode()
    copies = BudgetLine.objects.filter(plan=draft)
    assert copies.count() == 5
    assert {line.category.plan_id for line in copies if line.category} == {draft.pk}
    assert not copies.exclude(printed_gross=None).exists()  # printed figures belong to the printed version
    assert draft.staffing_lines.count() == 2

    response = client.post(reverse("budgets:copy", kwargs={"pk": draft.pk}), follow=True)
    assert "already has budget lines" in response.content.decode()
    assert BudgetLine.objects.filter(plan=draft).count() == 5


# --- Query counts ------------------------------------------------------------------------------------


def count_queries(client, url, method="get", data=None):
    getattr(client, method)(url, data)
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data)
    assert response.status_code in (200, 302)
    return len(queries)


def test_the_grid_takes_the_same_number_of_queries_however_many_lines(client_for, unit_editor, division):
    client = client_for(unit_editor)
    small, large = PlanFactory(unit=division), PlanFactory(unit=division)
    use_columns(small)
    use_columns(large)
    fill_budget(small, categories=1, lines=2)
    fill_budget(large, categories=3, lines=6)  # three times the categories, nine times the lines
    assert BudgetLine.objects.filter(plan=large).count() == 19

    assert count_queries(client, grid_url(small)) == count_queries(client, grid_url(large))


def test_a_refused_save_takes_the_same_number_of_queries_however_many_lines(client_for, unit_editor, division):
    client = client_for(unit_editor)
    small, large = PlanFactory(unit=division), PlanFactory(unit=division)
    use_columns(small)
    use_columns(large)
    fill_budget(small, categories=1, lines=2)
    fill_budget(large, categories=3, lines=6)
    counts = []
    for plan in (small, large):
        data = grid_data(client.get(grid_url(plan)), **{"0-running_costs": "abc"})
        counts.append(count_queries(client, grid_url(plan), "post", data))
    assert counts[0] == counts[1]


# --- The grid's markup (written by budgets/grid.py, not by a template per row) ----------------------


class Controls(HTMLParser):
    """The grid's inputs, selects, labels and elements with an id, as a browser reads them."""

    def __init__(self):
        super().__init__()
        self.controls, self.labels, self.ids, self.options, self._select = [], set(), set(), {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "label":
            self.labels.add(attrs.get("for"))
        elif tag in ("input", "select") and attrs.get("name", "").startswith("lines-"):
            self.controls.append((tag, attrs))
            self._select = attrs["name"] if tag == "select" else None
        elif tag == "option" and self._select:
            self.options.setdefault(self._select, []).append((attrs["value"], "selected" in attrs))


def controls(response) -> Controls:
    parser = Controls()
    parser.feed(response.content.decode())
    return parser


def test_every_input_of_the_grid_has_its_label_and_a_refused_one_its_message(client_for, unit_editor, residential):
    client = client_for(unit_editor)
    data = grid_data(
        client.get(grid_url(residential.plan)),
        **{"1-contracts": "abc", "2-kind": "memorandum", "2-name": "Central Overheads"},
    )
    data["lines-2-category"] = str(residential.pk)  # a memorandum item in a category: refused too
    page = controls(client.post(grid_url(residential.plan), data))
    visible = [(tag, attrs) for tag, attrs in page.controls if attrs.get("type") != "hidden"]
    assert visible
    assert all(attrs["id"] in page.labels for _, attrs in visible)
    refused = {attrs["id"]: attrs for _, attrs in page.controls if "aria-describedby" in attrs}
    assert set(refused) == {"id_lines-1-contracts", "id_lines-2-category"}
    for control_id, attrs in refused.items():
        assert attrs["aria-describedby"] == f"{control_id}-error"
        assert f"{control_id}-error" in page.ids
        assert "--error" in attrs["class"]


@pytest.mark.parametrize("bound", [False, True])
def test_the_grid_writes_every_field_as_the_forms_hold_it(client_for, unit_editor, residential, bound):
    client = client_for(unit_editor)
    response = client.get(grid_url(residential.plan))
    if bound:  # after a refused save: what was typed
        data = grid_data(response, **{"0-contracts": "(12.3)", "1-running_costs": "abc", "2-name": "Day care"})
        response = client.post(grid_url(residential.plan), data)
    page = controls(response)
    written = {attrs["name"]: (tag, attrs) for tag, attrs in page.controls}
    for form in response.context["formset"].forms:
        for field in form:
            if field.name == "DELETE" and form.instance.pk is None:
                continue  # a new line is not saved yet: nothing to remove
            tag, attrs = written.pop(field.html_name)
            assert attrs["id"] == field.auto_id
            value = "" if field.value() is None else str(field.value())
            if field.name == "DELETE":
                assert attrs["type"] == "checkbox"
                assert "checked" not in attrs
            elif tag == "select":
                assert [value for value, selected in page.options[field.html_name] if selected] in ([value], [])
            else:
                assert attrs.get("value", "") == value
    assert set(written) == {field.html_name for field in response.context["formset"].management_form}
    new_line = response.context["formset"].forms[-1]
    assert list(new_line.fields)[:4] == ["code", "name", "category", "kind"]
    assert "category" not in response.context["formset"].forms[0].fields


def test_what_the_grid_shows_is_escaped(client_for, unit_editor, residential):
    BudgetLineFactory(plan=residential.plan, category=residential, code="9<Z>", name='"Care" & <b>co</b>')
    content = client_for(unit_editor).get(grid_url(residential.plan)).content.decode()
    assert "<b>co</b>" not in content
    assert 'value="&quot;Care&quot; &amp; &lt;b&gt;co&lt;/b&gt;"' in content
    assert "Remove 9&lt;Z&gt; &quot;Care&quot; &amp; &lt;b&gt;co&lt;/b&gt;" in content
