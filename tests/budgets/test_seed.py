"""The 2008-09 mental health revenue budget (fixtures/seeds/amh-budget-2008-09.json), loaded onto the
AMH plan, against the figures the seed prints (../shared/seeds/mental-health-operational-plan-2008-09.md).

The seed's own arithmetic holds: every printed subtotal and total equals the sum of its lines, and
each line's printed gross and controllable expenditure equals its parts. If a printed figure ever
disagreed, test_no_printed_figure_differs_from_the_arithmetic names the row, the figure and the
difference. The only mismatches are a printed 0.0 where every line is blank, listed in the seed file
and checked by test_printed_zeros_over_blank_lines_are_exactly_those_recorded_in_the_seed.
"""

from decimal import Decimal

import pytest
from django.db import transaction

from budgets import tables
from budgets.derivations import check_printed
from budgets.models import ActivityLevel, BudgetCategory, BudgetLine, PrintedTotal, StaffingLine, TemplateColumnSet
from budgets.seed import load_budgets, read_seed
from exchange.seeds import load_all
from plans.models import Plan

pytestmark = pytest.mark.django_db
D = Decimal
SEED = read_seed("amh-budget-2008-09.json")


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_all()
        load_budgets()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def plan(loaded, db):
    return Plan.objects.get(unit__code="AMH", year_id=2008)


@pytest.fixture
def budget(plan):
    return tables.budget_table(plan)


def derived_rows(budget):
    """Row label -> {figure: text} of every subtotal and total row of the table as shown."""
    return {row.label: {cell.field: cell.text for cell in row.cells} for row in budget.rows if row.is_total}


# Each printed subtotal and total: (label as printed, gross, controllable), as the seed prints them.
PRINTED = [
    ("TOTAL RESIDENTIAL CARE", "7,759.1", "6,067.1"),
    ("TOTAL DOMICILIARY CARE", "915.2", "913.6"),
    ("TOTAL DIRECT PAYMENTS", "320.8", "320.8"),
    ("TOTAL SUPPORTED ACCOMMODATION", "51.3", "51.3"),
    ("TOTAL ASSESSMENT & RELATED", "9,434.9", "8,709.2"),
    ("TOTAL OTHER SERVICES", "6,252.3", "5,259.1"),
    ("TOTAL MENTAL HEALTH SERVICES", "24,733.6", "21,321.1"),
    ("Total Cost of Unit", "24,733.6", "21,321.1"),
]


@pytest.mark.parametrize(("label", "gross", "controllable"), PRINTED)
def test_each_subtotal_and_total_equals_the_seeds_printed_gross_and_controllable(budget, label, gross, controllable):
    row = derived_rows(budget)[label]
    assert (row["gross"], row["controllable"]) == (gross, controllable)


# Every other column of the subtotal and total rows, as printed (blank printed 0.0 is shown blank).
PRINTED_COLUMNS = [
    ("TOTAL RESIDENTIAL CARE", "0.0", "0.0", "7,759.1", "0.0", "-1,692.0"),
    ("TOTAL DOMICILIARY CARE", "0.0", "-254.4", "1,169.6", "0.0", "-1.6"),
    ("TOTAL DIRECT PAYMENTS", "0.0", "0.0", "320.8", "0.0", "0.0"),
    ("TOTAL SUPPORTED ACCOMMODATION", "0.0", "0.0", "51.3", "0.0", "0.0"),
    ("TOTAL ASSESSMENT & RELATED", "8,615.2", "737.0", "50.0", "32.7", "-725.7"),
    ("TOTAL OTHER SERVICES", "1,445.1", "163.8", "4,643.4", "0.0", "-993.2"),
    ("TOTAL MENTAL HEALTH SERVICES", "10,060.3", "646.4", "13,994.2", "32.7", "-3,412.5"),
    ("Total Cost of Unit", "10,060.3", "646.4", "13,994.2", "32.7", "-3,412.5"),
]


@pytest.mark.parametrize(("label", "employee", "running", "contracts", "transfer", "external"), PRINTED_COLUMNS)
def test_each_subtotal_and_total_equals_the_seed_column_by_column(
    budget, label, employee, running, contracts, transfer, external
):
    row = derived_rows(budget)[label]
    shown = [
        row[name] for name in ("employee_costs", "running_costs", "contracts", "transfer_payments", "external_income")
    ]
    assert shown == [employee, running, contracts, transfer, external]
    assert row["previous_controllable"] == "0.0"  # the 2007-08 column prints 0.0 throughout


def test_every_printed_total_row_of_the_seed_is_held_and_checked(plan, budget):
    labels = set(PrintedTotal.objects.filter(plan=plan).values_list("label", flat=True))
    assert labels == {label for label, *_ in PRINTED} | {"Total"}  # "Total" is the staffing table's
    assert budget.printed_checked == 16 * 2 + 8 * 11  # 16 lines x 2 printed figures, 8 totals x 11 columns


def test_no_printed_figure_differs_from_the_arithmetic(budget):
    """Names the line, the figure and the difference of any printed figure the sums do not reproduce."""
    assert [str(d) for d in budget.discrepancies] == SEED["arithmetic"]["differences"] == []


def strict_blank_vs_zero(plan, budget):
    """Printed 0.0 where the app derives a blank (nothing keyed): the only mismatches with the print."""
    totals = {row.label: row for row in budget.rows if row.is_total}
    found = {}
    derived = tables.derivations.budget_totals(tables.line_figures(plan.budget_lines.all()))
    for line in plan.budget_lines.all():
        for name, value in line.printed_figures().items():
            if value == 0 and derived.lines[line.pk][name] is None:
                found.setdefault(line.label, []).append(name)
    for printed in plan.printed_budget_totals.exclude(kind=PrintedTotal.Kind.STAFFING_TOTAL):
        cells = {cell.field: cell.text for cell in totals[printed.label].cells}
        for name, value in printed.printed_figures().items():
            if value == 0 and cells.get(name) == "":
                found.setdefault(printed.label, []).append(name)
    return found


def test_printed_zeros_over_blank_lines_are_exactly_those_recorded_in_the_seed(plan, budget):
    recorded = {row["row"]: row["figures"] for row in SEED["arithmetic"]["blank_printed_as_zero"]}
    assert strict_blank_vs_zero(plan, budget) == recorded


def test_a_wrong_printed_figure_would_be_named_with_its_difference(plan, budget):
    """The check is live: change one printed figure and it is reported (rolled back after the test)."""
    total = PrintedTotal.objects.get(plan=plan, label="TOTAL OTHER SERVICES")
    total.running_costs = D("163.9")
    total.save()
    plan = Plan.objects.get(pk=plan.pk)
    assert [str(d) for d in tables.budget_table(plan).discrepancies] == [
        "TOTAL OTHER SERVICES, running costs: printed 163.9, its parts add up to 163.8 (a difference of 0.1)"
    ]


def test_every_line_of_the_seed_is_loaded_in_its_category_and_order(plan):
    categories = [
        (category.name, [line.label for line in category.lines.order_by("order")])
        for category in BudgetCategory.objects.filter(plan=plan)
    ]
    assert categories == [
        (
            "Residential Care",
            [
                "44B Ind Sect Res Care",
                "44C Ind Sect Nursing Care",
                "44D Preserved rights - Mental Health",
                "44E Preserved rights - Pre 2002",
                "44K I.S. Nursing Care RNCC",
            ],
        ),
        ("Domiciliary Care", ["48E Ind Sect Home Care", "48K KCC Home Care"]),
        ("Direct Payments", ["48B Direct Payments"]),
        ("Supported Accommodation", ["48R Unstaffed Group Homes Supported & Other", "48W Accommodation"]),
        ("Assessment and related services", ["49F Care Management"]),
        (
            "Other Services",
            [
                "48C Ind Sect Day Care",
                "48F Voluntary Orgs",
                "48G Facilities MH",
                "48H Comm Services",
                "Social Care Reform",
            ],
        ),
    ]
    memorandum = BudgetLine.objects.filter(plan=plan, kind=BudgetLine.Kind.MEMORANDUM).order_by("order")
    assert [line.name for line in memorandum] == ["Central Overheads", "Capital charges", "Directorate Overheads"]
    assert all(line.category_id is None for line in memorandum)


def test_blank_and_zero_are_kept_as_printed(plan):
    line = BudgetLine.objects.get(plan=plan, code="44C")
    assert (line.external_income, line.internal_income) == (D("0.0"), None)
    empty = BudgetLine.objects.get(plan=plan, code="48R")
    assert [empty.employee_costs, empty.running_costs, empty.contracts, empty.transfer_payments] == [None] * 4
    assert (empty.printed_gross, empty.printed_controllable) == (D("0.0"), D("0.0"))
    assert BudgetLine.objects.get(plan=plan, code="48C").previous_controllable is None
    reform = BudgetLine.objects.get(plan=plan, name="Social Care Reform")
    assert (reform.code, reform.cabinet_member) == ("", "")


def test_each_line_keeps_the_figures_the_seed_prints(plan):
    line = BudgetLine.objects.get(plan=plan, code="49F")
    assert line.keyed_figures() | line.printed_figures() == {
        "previous_controllable": D("0.0"),
        "previous_fte": None,
        "fte": None,
        "employee_costs": D("8615.2"),
        "running_costs": D("737.0"),
        "contracts": D("50.0"),
        "transfer_payments": D("32.7"),
        "external_income": D("-725.7"),
        "internal_income": None,
        "staffing": None,
        "non_staffing": None,
        "service_income": None,
        "government_grants": None,
        "gross": D("9434.9"),
        "controllable": D("8709.2"),
        "net_expenditure": None,
        "net_cost": None,
    }
    assert line.cabinet_member == "KL"


def test_staffing_rows_add_up_to_the_printed_total(plan):
    staffing = tables.staffing_table(plan)
    assert [(row.kind, row.label, row.previous_fte, row.fte) for row in staffing.rows] == [
        ("line", "Mental Health Partnership Trust", "257.68", "256.02"),
        ("line", "MH - Commissioning & Contracting", "7.93", "8.00"),
        ("total", "Total", "265.61", "264.02"),
        ("of_which", "Total includes following number of KS 13 and above", "4.50", "4.50"),
    ]
    assert staffing.discrepancies == []
    assert (staffing.previous_year, staffing.year) == ("2007-08", "2008-09")


def test_activity_levels_hold_the_number_of_clients_and_na_as_blank(plan):
    levels = ActivityLevel.objects.filter(plan=plan).order_by("order")
    assert [(level.previous_estimate, level.previous_outturn, level.clients) for level in levels] == [
        (None, 194, 194),
        (None, 605, 632),
        (None, 110, 150),
    ]


def test_the_seed_templates_use_their_column_sets(loaded, db):
    links = dict(TemplateColumnSet.objects.values_list("template__slug", "column_set__slug"))
    assert links == {
        "unit-operating-plan-2008-09": "operating-plan-2008-09",
        "divisional-2013-14": "divisional-2013-14",
    }


def test_loading_again_writes_nothing(plan):
    counts = [
        model.history.count() for model in (BudgetLine, BudgetCategory, PrintedTotal, StaffingLine, ActivityLevel)
    ]
    load_budgets()
    assert [
        m.history.count() for m in (BudgetLine, BudgetCategory, PrintedTotal, StaffingLine, ActivityLevel)
    ] == counts
    assert BudgetLine.objects.filter(plan=plan).count() == 19


def test_a_printed_line_figure_that_differs_would_be_reported(plan):
    line = BudgetLine.objects.get(plan=plan, code="44B")
    line.printed_controllable = D("4558.9")
    found = check_printed(
        line.label,
        line.printed_figures(),
        tables.derivations.derive(line.keyed_figures()),
        ["gross", "controllable"],
        blank_is_printed=False,
    )
    assert [str(d) for d in found] == [
        "44B Ind Sect Res Care, controllable expenditure: printed 4558.9, its parts add up to 4558.8 "
        "(a difference of 0.1)"
    ]
