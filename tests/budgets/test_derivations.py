"""budgets/derivations.py: each formula, blank against zero, negative incomes, subtotals and totals,
and the check of printed figures against the arithmetic."""

from decimal import Decimal

import pytest

from budgets.derivations import (
    Discrepancy,
    LineFigures,
    add,
    budget_totals,
    check_printed,
    derive,
    staffing_total,
    sum_figures,
)

D = Decimal


def figures(**values):
    return {name: D(value) if value is not None else None for name, value in values.items()}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ((), None),
        ((None, None), None),  # nothing keyed: blank, not 0.0
        ((D("0.0"),), D("0.0")),  # 0.0 keyed: 0.0
        ((D("1.5"), None), D("1.5")),  # a blank counts as nothing
        ((D("0.1"), D("0.2")), D("0.3")),  # exact, where floats give 0.30000000000000004
        ((D("-254.8"), D("0.4")), D("-254.4")),
        ((D("5"),), D("5.0")),  # at least one decimal place
        ((D("257.68"), D("7.93")), D("265.61")),  # FTE keeps its two places
    ],
)
def test_add(values, expected):
    result = add(*values)
    assert result == expected
    if expected is not None:
        assert str(result) == str(expected)


# The 2008/9 operating plan's lines, from the seed: (keyed figures, gross, controllable).
OPERATING_LINES = [
    # 44B: contracts only, with a negative external income
    (
        figures(
            employee_costs="0.0",
            running_costs="0.0",
            contracts="5776.1",
            transfer_payments="0.0",
            external_income="-1217.3",
        ),
        D("5776.1"),
        D("4558.8"),
    ),
    # 48K: a negative running cost
    (
        figures(employee_costs="0.0", running_costs="-254.8", contracts="0.0", transfer_payments="0.0"),
        D("-254.8"),
        D("-254.8"),
    ),
    # 49F: all four kinds of cost
    (
        figures(
            employee_costs="8615.2",
            running_costs="737.0",
            contracts="50.0",
            transfer_payments="32.7",
            external_income="-725.7",
        ),
        D("9434.9"),
        D("8709.2"),
    ),
    # 44K: income cancels the cost exactly
    (figures(contracts="16.2", external_income="-16.2"), D("16.2"), D("0.0")),
    # both incomes
    (figures(employee_costs="100.0", external_income="-10.5", internal_income="-20.5"), D("100.0"), D("69.0")),
    # 48R: nothing keyed at all: blank, not 0.0
    (figures(), None, None),
    # income without costs: gross blank, controllable negative
    (figures(external_income="-3.0"), None, D("-3.0")),
]


@pytest.mark.parametrize(("keyed", "gross", "controllable"), OPERATING_LINES)
def test_gross_and_controllable_expenditure_of_a_line(keyed, gross, controllable):
    derived = derive(keyed)
    assert derived["gross"] == gross
    assert derived["controllable"] == controllable


@pytest.mark.parametrize(
    ("keyed", "gross", "net", "net_cost"),
    [
        (figures(staffing="100.0", non_staffing="50.5"), D("150.5"), D("150.5"), D("150.5")),
        (figures(staffing="100.0", non_staffing="50.5", service_income="-20.0"), D("150.5"), D("130.5"), D("130.5")),
        (
            figures(staffing="100.0", service_income="-20.0", government_grants="-30.0"),
            D("100.0"),
            D("80.0"),
            D("50.0"),
        ),
        (figures(), None, None, None),
    ],
)
def test_gross_net_expenditure_and_net_cost_of_a_divisional_line(keyed, gross, net, net_cost):
    derived = derive(keyed)
    assert (derived["gross"], derived["net_expenditure"], derived["net_cost"]) == (gross, net, net_cost)


@pytest.mark.parametrize(
    ("keyed", "change"),
    [
        (figures(employee_costs="100.0", previous_controllable="80.0"), D("20.0")),
        (figures(employee_costs="100.0", previous_controllable="120.0"), D("-20.0")),
        (figures(employee_costs="100.0", previous_controllable="0.0"), D("100.0")),
        (figures(employee_costs="100.0"), None),  # no previous figure: no change shown
        (figures(previous_controllable="80.0"), None),  # nothing budgeted this year: not -80.0
    ],
)
def test_year_on_year_change_of_controllable_expenditure(keyed, change):
    assert derive(keyed)["controllable_change"] == change


def test_derived_figures_are_never_taken_from_the_input():
    assert derive({"employee_costs": D("1.0"), "gross": D("999.9")})["gross"] == D("1.0")


def test_sum_figures_adds_each_column_and_derives_from_the_sums():
    total = sum_figures(
        [
            figures(running_costs="0.4", contracts="1169.6", external_income="-1.6"),
            figures(running_costs="-254.8"),
        ]
    )
    assert total["running_costs"] == D("-254.4")
    assert total["gross"] == D("915.2")
    assert total["controllable"] == D("913.6")
    assert total["internal_income"] is None  # no line has one


def test_budget_totals_subtotals_categories_and_keeps_memorandum_items_below_the_total():
    lines = [
        LineFigures("a", figures(employee_costs="10.0"), category=1),
        LineFigures("b", figures(employee_costs="5.5", external_income="-1.0"), category=1),
        LineFigures("c", figures(running_costs="3.0"), category=2),
        LineFigures("d", figures(contracts="2.0")),  # an area line without a category
        LineFigures("m", figures(running_costs="100.0"), memorandum=True),
    ]
    totals = budget_totals(lines)
    assert totals.lines["b"]["controllable"] == D("4.5")
    assert totals.subtotals[1]["gross"] == D("15.5")
    assert totals.subtotals[1]["controllable"] == D("14.5")
    assert totals.subtotals[2]["gross"] == D("3.0")
    assert "m" not in totals.subtotals
    assert totals.total["gross"] == D("20.5")  # 15.5 + 3.0 + 2.0, without the memorandum item
    assert totals.memorandum["gross"] == D("100.0")
    assert totals.total_cost["gross"] == D("120.5")


def test_budget_totals_of_no_lines_are_blank():
    totals = budget_totals([])
    assert totals.total["gross"] is None
    assert totals.subtotals == {}


@pytest.mark.parametrize(
    ("printed", "derived", "blank_is_printed", "differences"),
    [
        ({"gross": D("5776.1")}, {"gross": D("5776.1")}, False, []),
        ({"gross": D("5776.2")}, {"gross": D("5776.1")}, False, [D("0.1")]),
        ({"gross": D("100.0")}, {"gross": D("163.8")}, False, [D("-63.8")]),
        # a printed 0.0 agrees with a derived blank (nothing keyed): 48R in the seed
        ({"gross": D("0.0")}, {"gross": None}, False, []),
        # on a line, a blank printed figure means none was keyed: nothing to check
        ({"gross": None}, {"gross": D("12.0")}, False, []),
        # on a printed total row, a blank was printed blank: it must agree with its lines
        ({"gross": None}, {"gross": D("12.0")}, True, [D("-12.0")]),
        ({"gross": None}, {"gross": None}, True, []),
        ({"internal_income": D("0.0")}, {"internal_income": None}, True, []),
    ],
)
def test_check_printed(printed, derived, blank_is_printed, differences):
    found = check_printed("TOTAL X", printed, derived, list(printed), blank_is_printed=blank_is_printed)
    assert [discrepancy.difference for discrepancy in found] == differences


def test_a_discrepancy_names_the_row_the_figure_and_the_difference():
    discrepancy = Discrepancy(
        row="TOTAL OTHER SERVICES", figure="running_costs", printed=D("163.9"), derived=D("163.8")
    )
    assert str(discrepancy) == (
        "TOTAL OTHER SERVICES, running costs: printed 163.9, its parts add up to 163.8 (a difference of 0.1)"
    )


def test_staffing_total_adds_both_years():
    total = staffing_total(
        [{"previous_fte": D("257.68"), "fte": D("256.02")}, {"previous_fte": D("7.93"), "fte": D("8.00")}]
    )
    assert total == {"previous_fte": D("265.61"), "fte": D("264.02")}
