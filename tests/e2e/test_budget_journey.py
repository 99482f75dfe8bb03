"""An editor keys a budget line in the grid of a draft plan: the totals follow as they type (budget-grid.mjs),
a bad figure is refused with the GOV.UK error summary, and the saved figures are the ones typed."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from budgets.models import BudgetLine
from budgets.seed import load_budgets
from exchange.demo_accounts import DEMO_PASSWORD, create_demo_accounts
from exchange.seeds import load_all
from plans import services
from plans.models import Plan


@pytest.fixture
def draft(transactional_db):
    load_all()
    load_budgets()
    create_demo_accounts()
    published = Plan.objects.with_unit().get(unit__code="LDMH", year_id=2013)
    editor = get_user_model().objects.get(username="ldmh.editor")
    return services.plan_new_version(plan=published, user=editor, version_label="Draft v 7")


def total_cell(page, figure):
    return page.locator(f'tr[data-total="total"] [data-total-figure="{figure}"]')


def test_editor_types_a_budget_line_sees_the_totals_follow_and_saves_without_axe_violations(
    draft, page, sign_in, live_server, assert_accessible
):
    sign_in("ldmh.editor", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/plans/{draft.pk}/")
    page.get_by_role("link", name="Section D: Financial and human resources").click()
    page.get_by_role("link", name="Change the budget").click()
    # expect() waits for the new page; is_visible() alone can look before it has rendered.
    expect(page.get_by_role("heading", name="Budget", exact=True)).to_be_visible()
    assert_accessible()

    row = page.locator('tr[data-line][id="line-lines-0"]')
    row.get_by_label("Name").fill("Learning Disability")
    row.get_by_label("Kind of line").select_option("area")
    row.locator('[data-figure="staffing"]').fill("100")
    row.locator('[data-figure="non_staffing"]').fill("1,050.5")
    assert row.locator('[data-derived="gross"]').inner_text() == "1,150.5"  # before any save: the script
    assert total_cell(page, "gross").inner_text() == "1,150.5"
    row.locator('[data-figure="service_income"]').fill("(20.0)")
    assert total_cell(page, "net_expenditure").inner_text() == "1,130.5"
    row.locator('[data-figure="government_grants"]').fill("=SUM(C3:C9)")  # a formula: refused on save
    assert total_cell(page, "net_cost").inner_text() == "1,130.5"

    page.get_by_role("button", name="Save the budget").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(
        page.get_by_role("link", name="Learning Disability, Govt. Grants: “=SUM(C3:C9)” is a formula")
    ).to_be_visible()
    assert not BudgetLine.objects.filter(plan=draft).exists()  # nothing saved
    assert total_cell(page, "gross").inner_text() == "1,150.5"  # the server's totals of what was typed
    assert_accessible()  # the error summary and the message by the cell

    row = page.locator('tr[data-line][id="line-lines-0"]')
    row.locator('[data-figure="government_grants"]').fill("-30.0")
    assert total_cell(page, "net_cost").inner_text() == "1,100.5"
    page.get_by_role("button", name="Save the budget").click()
    expect(page.get_by_text("Budget saved: 1 line added, changed or removed.")).to_be_visible()
    assert total_cell(page, "net_cost").inner_text() == "1,100.5"
    assert_accessible()

    line = BudgetLine.objects.get(plan=draft)
    assert (line.name, line.kind, line.staffing, line.non_staffing, line.service_income, line.government_grants) == (
        "Learning Disability",
        "area",
        Decimal("100.0"),
        Decimal("1050.5"),
        Decimal("-20.0"),
        Decimal("-30.0"),
    )

    page.goto(f"{live_server.url}/plans/{draft.pk}/sections/D/")
    assert (
        page.locator(".app-budget-table").get_by_role("rowheader", name="Learning Disability", exact=True).is_visible()
    )
    assert_accessible()


def test_editor_keys_staffing_on_the_human_resources_page_without_axe_violations(
    draft, page, sign_in, live_server, assert_accessible
):
    from budgets.models import StaffingLine

    sign_in("ldmh.editor", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/plans/{draft.pk}/budget/human-resources/")
    expect(page.get_by_role("heading", name="Human resources", exact=True)).to_be_visible()
    assert_accessible()
    page.locator("#id_hr-fte_establishment").fill("757.2")
    page.locator("#id_staffing-0-name").fill("LD Assessment teams")
    page.locator("#id_staffing-0-fte").fill("twelve")
    page.get_by_role("button", name="Save human resources").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible()  # the error summary and the message by the cell
    assert not StaffingLine.objects.filter(plan=draft).exists()
    page.locator("#id_staffing-0-fte").fill("12.5")
    page.get_by_role("button", name="Save human resources").click()
    expect(page.get_by_text("Human resources saved")).to_be_visible()
    assert StaffingLine.objects.get(plan=draft).fte == Decimal("12.50")
