"""The figures a budget line can hold, and what each one is: plain data, no Django.

Column sets (models.ColumnSet) choose which of these a template prints and in which order; the
formulas of the derived ones are in derivations.py. Keyed figures are typed by an officer or
transcribed from a printed plan; derived figures are always calculated, never typed.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str
    label: str
    kind: str  # "money" (£'000, one decimal place), "fte" (two decimal places) or "text"
    derived: bool = False
    income: bool = False  # incomes and grants are held as negative figures


FIGURES: dict[str, Figure] = {
    figure.name: figure
    for figure in [
        Figure("name", "Budget line", "text"),
        Figure("responsible_manager", "Responsible manager", "text"),
        Figure("cabinet_member", "Cabinet member", "text"),
        Figure("previous_controllable", "Previous year's controllable expenditure", "money"),
        Figure("previous_fte", "Previous year's FTE", "fte"),
        Figure("fte", "FTE", "fte"),
        Figure("employee_costs", "Employee costs", "money"),
        Figure("running_costs", "Running costs", "money"),
        Figure("contracts", "Contracts & projects", "money"),
        Figure("transfer_payments", "Transfer payments & recharges", "money"),
        Figure("staffing", "Staffing", "money"),
        Figure("non_staffing", "Non-staffing", "money"),
        Figure("gross", "Gross expenditure", "money", derived=True),
        Figure("external_income", "External income", "money", income=True),
        Figure("internal_income", "Internal income", "money", income=True),
        Figure("controllable", "Controllable expenditure", "money", derived=True),
        Figure("controllable_change", "Change in controllable expenditure", "money", derived=True),
        Figure("service_income", "Service income", "money", income=True),
        Figure("net_expenditure", "Net expenditure", "money", derived=True),
        Figure("government_grants", "Government grants", "money", income=True),
        Figure("net_cost", "Net cost", "money", derived=True),
    ]
}

TEXT_FIGURES = [name for name, figure in FIGURES.items() if figure.kind == "text"]
KEYED_FIGURES = [name for name, figure in FIGURES.items() if figure.kind != "text" and not figure.derived]
DERIVED_FIGURES = [name for name, figure in FIGURES.items() if figure.derived]
INCOME_FIGURES = [name for name, figure in FIGURES.items() if figure.income]
# Derived figures of a line that a printed plan also prints, so that the two can be compared.
PRINTED_DERIVED = ["gross", "controllable", "net_expenditure", "net_cost"]
