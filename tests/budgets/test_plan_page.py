"""Section D on the plan page (templates/plans/tables/financial_resources.html and human_resources.html):
the budget in the template's column set, staffing and activity levels, in a fixed number of queries."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import BudgetLine, PrintedTotal
from plans.models import Plan
from tests.budgets.factories import (
    DIVISIONAL,
    BudgetCategoryFactory,
    BudgetLineFactory,
    PrintedTotalFactory,
    StaffingLineFactory,
    fill_budget,
    use_columns,
)
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db
D = Decimal


def detail_url(plan):
    """Section D of the seed's template, financial and human resources, holds the budget."""
    return reverse("plans:section", args=[plan.pk, "D"])


def page(client, plan):
    response = client.get(detail_url(plan))
    assert response.status_code == 200
    return response.content.decode()


def cells(content, row_label):
    """The texts of the cells of the row headed `row_label`."""
    row = re.search(rf"<tr[^>]*>((?:(?!</tr>).)*>{re.escape(row_label)}</th>(?:(?!</tr>).)*)</tr>", content, re.S)
    assert row, f"no row {row_label!r}"
    return [text.strip() for text in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row.group(1), re.S)]


@pytest.fixture
def plan(division):
    plan = PlanFactory(unit=division, status=Plan.Status.DRAFT)
    use_columns(plan)
    category = BudgetCategoryFactory(plan=plan, name="Domiciliary Care")
    BudgetLineFactory(
        plan=plan,
        category=category,
        code="48E",
        name="Ind Sect Home Care",
        previous_controllable=D("1000.0"),
        employee_costs=D("0.0"),
        running_costs=D("0.4"),
        contracts=D("1169.6"),
        transfer_payments=D("0.0"),
        external_income=D("-1.6"),
    )
    BudgetLineFactory(
        plan=plan,
        category=category,
        code="48K",
        name="KCC Home Care",
        employee_costs=D("0.0"),
        running_costs=D("-254.8"),
        contracts=D("0.0"),
        transfer_payments=D("0.0"),
        external_income=D("0.0"),
    )
    BudgetLineFactory(
        plan=plan,
        kind=BudgetLine.Kind.MEMORANDUM,
        code="",
        name="Capital charges",
        employee_costs=None,
        running_costs=None,
        external_income=None,
        previous_controllable=D("0.0"),
    )
    return plan


def test_the_budget_is_shown_in_the_templates_columns_with_derived_totals(client_for, unit_editor, plan):
    content = page(client_for(unit_editor), plan)
    assert "Revenue budget, £'000" in content
    headings = re.findall(r'<th scope="col"[^>]*>([^<]+)', content)
    assert headings[:6] == [
        "Controllable Expenditure",
        "FTE",
        "Activity/Budget Line",
        "FTE",
        "Employee costs",
        "Running Costs",
    ]
    assert '<th scope="colgroup" colspan="2" class="govuk-table__header app-budget-year">2012-13</th>' in content
    #          prev ctrl, prev FTE, name, FTE, employee, running, contracts, transfer, gross, ext, int, ctrl, KL, change
    assert cells(content, "48E Ind Sect Home Care") == [
        "1,000.0",
        "",
        "48E Ind Sect Home Care",
        "",
        "0.0",
        "0.4",
        "1,169.6",
        "0.0",
        "1,170.0",
        "-1.6",
        "",
        "1,168.4",
        "KL",
        "168.4",
    ]
    assert cells(content, "Total Domiciliary Care") == [
        "1,000.0",
        "",
        "Total Domiciliary Care",
        "",
        "0.0",
        "-254.4",
        "1,169.6",
        "0.0",
        "915.2",
        "-1.6",
        "",
        "913.6",
        "",
        "-86.4",
    ]
    assert cells(content, "Total")[8:12] == ["915.2", "-1.6", "", "913.6"]
    assert "Memorandum items:" in content
    assert cells(content, "Capital charges")[:3] == ["0.0", "", "Capital charges"]
    assert cells(content, "Total cost of unit")[8] == "915.2"  # the memorandum item has no figures


def test_a_printed_figure_that_differs_is_reported_with_its_row_and_difference(client_for, unit_editor, plan):
    category = plan.budget_categories.get()
    PrintedTotalFactory(
        plan=plan,
        kind=PrintedTotal.Kind.SUBTOTAL,
        category=category,
        label="TOTAL DOMICILIARY CARE",
        running_costs=D("-254.4"),
        gross=D("916.2"),
    )
    line = plan.budget_lines.get(code="48K")
    line.printed_gross = D("-254.8")
    line.save()
    content = page(client_for(unit_editor), plan)
    assert "Figures printed in the plan that differ from the sum of their parts:" in content
    discrepancies = re.findall(r"<li>(TOTAL DOMICILIARY CARE[^<]*)</li>", content)
    assert (
        "TOTAL DOMICILIARY CARE, gross expenditure: printed 916.2, its parts add up to 915.2 (a difference of 1.0)"
        in discrepancies
    )
    # the printed row's blank cells must agree with its lines too: it prints no contracts, they add up to 1,169.6
    assert any("contracts &amp; projects: printed blank, its parts add up to 1169.6" in d for d in discrepancies)
    assert cells(content, "TOTAL DOMICILIARY CARE")[8] == "915.2"  # the app shows its own sum, never the print


def test_the_divisional_template_shows_its_own_columns(client_for, unit_editor, division):
    plan = PlanFactory(unit=division)
    use_columns(plan, DIVISIONAL)
    BudgetLineFactory(
        plan=plan,
        kind=BudgetLine.Kind.AREA,
        code="",
        name="Learning Disability",
        responsible_manager="Penny Southern",
        employee_costs=None,
        running_costs=None,
        external_income=None,
        staffing=D("100.0"),
        non_staffing=D("50.5"),
        service_income=D("-20.0"),
        government_grants=D("-30.0"),
    )
    content = page(client_for(unit_editor), plan)
    headings = re.findall(r'<th scope="col"[^>]*>([^<]+)', content)
    assert {"Divisional Unit", "Govt. Grants"} <= set(headings)
    assert "Cabinet Member" not in headings
    assert cells(content, "Learning Disability") == [
        "Learning Disability",
        "Penny Southern",
        "100.0",
        "50.5",
        "150.5",
        "-20.0",
        "130.5",
        "-30.0",
        "100.5",
    ]


def test_staffing_by_team_with_its_total_for_two_years(client_for, unit_editor, plan):
    StaffingLineFactory(plan=plan, name="Mental Health Partnership Trust", previous_fte=D("257.68"), fte=D("256.02"))
    StaffingLineFactory(plan=plan, name="MH - Commissioning & Contracting", previous_fte=D("7.93"), fte=D("8.00"))
    content = page(client_for(unit_editor), plan)
    assert "Staffing by team or grade band, FTE" in content
    assert re.search(r"Total\s*</th>\s*<td[^>]*>265.61</td>\s*<td[^>]*>264.02</td>", content)


def test_a_plan_without_budget_lines_says_so(client_for, unit_editor, division):
    plan = PlanFactory(unit=division)
    use_columns(plan)
    content = page(client_for(unit_editor), plan)
    assert "No budget lines are recorded for this plan." in content
    assert "Human resources" in content


def test_editors_of_a_draft_get_a_link_to_the_grid_and_readers_do_not(client_for, unit_editor, approver, plan):
    grid = reverse("budgets:grid", kwargs={"pk": plan.pk})
    assert grid in page(client_for(unit_editor), plan)
    assert grid not in page(client_for(approver), plan)
    plan.status = Plan.Status.PUBLISHED
    plan.save()
    assert grid not in page(client_for(unit_editor), plan)


def test_the_printed_document_holds_the_same_budget_table(plan):
    from documents.builders import plan_print_html

    html = plan_print_html(plan.pk, for_pdf=False)
    assert "Revenue budget, £'000" in html
    assert "915.2" in html
    assert reverse("budgets:grid", kwargs={"pk": plan.pk}) not in html


# --- Query counts ------------------------------------------------------------------------------------


def count_queries(client, url):
    client.get(url)
    cache.clear()  # the section's page is built afresh, as on the first read after a change
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_plan_page_takes_the_same_number_of_queries_however_large_the_budget(client_for, unit_editor, division):
    client = client_for(unit_editor)
    small, large = PlanFactory(unit=division), PlanFactory(unit=division)
    use_columns(small)
    use_columns(large)
    fill_budget(small, categories=1, lines=2)
    fill_budget(large, categories=3, lines=6)
    assert (BudgetLine.objects.filter(plan=small).count(), BudgetLine.objects.filter(plan=large).count()) == (3, 19)

    assert count_queries(client, detail_url(small)) == count_queries(client, detail_url(large))
