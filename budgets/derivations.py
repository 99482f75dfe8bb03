"""Budget arithmetic: derived figures, subtotals, totals and the check against printed figures.

Pure functions on Decimals (never floats), so that a subtotal equals the printed one to the last
tenth. The formulas (DOMAIN.md section 5):

    gross expenditure        = employee costs + running costs + contracts & projects
                               + transfer payments & recharges          (2008/9 operating plans)
                             = staffing + non-staffing                  (2013-14 divisional plans)
    controllable expenditure = gross + external income + internal income (incomes are negative)
    net expenditure          = gross + service income                    (income is negative)
    net cost                 = net expenditure + government grants      (grants are negative)
    change in controllable   = controllable - previous year's controllable

A line holds the inputs of one layout only (the other layout's are blank), so one gross formula
serves both. Blank is not zero: a derived figure is blank when every input is blank (nothing keyed),
and a blank input counts as nothing in a sum. A derived blank agrees with a printed 0.0.
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from budgets.figures import FIGURES, KEYED_FIGURES
from common.money import ONE_PLACE

Figures = Mapping[str, Decimal | None]

FORMULAS: dict[str, tuple[str, ...]] = {
    "gross": ("employee_costs", "running_costs", "contracts", "transfer_payments", "staffing", "non_staffing"),
    "controllable": ("gross", "external_income", "internal_income"),
    "net_expenditure": ("gross", "service_income"),
    "net_cost": ("net_expenditure", "government_grants"),
}


def add(*values: Decimal | None) -> Decimal | None:
    """The sum of the figures that are not blank; blank when all are blank."""
    known = [value for value in values if value is not None]
    if not known:
        return None
    # Exact: a sum of Decimals loses nothing. Shown with at least one decimal place (5 -> 5.0).
    total = sum(known, Decimal("0"))
    return total if total.as_tuple().exponent <= -1 else total.quantize(ONE_PLACE)


def subtract(value: Decimal | None, minus: Decimal | None) -> Decimal | None:
    """value - minus; blank if either is blank (a change from or to nothing is not known)."""
    if value is None or minus is None:
        return None
    return value - minus


def derive(figures: Figures) -> dict[str, Decimal | None]:
    """The keyed figures of a line (or of a sum of lines) with every derived figure added."""
    result: dict[str, Decimal | None] = {name: figures.get(name) for name in KEYED_FIGURES}
    for name, inputs in FORMULAS.items():  # in order: each formula only uses those above it
        result[name] = add(*(result[part] for part in inputs))
    result["controllable_change"] = subtract(result["controllable"], result["previous_controllable"])
    return result


def sum_figures(rows: Iterable[Figures]) -> dict[str, Decimal | None]:
    """Keyed figures summed column by column, then the derived ones worked out from the sums."""
    rows = list(rows)
    return derive({name: add(*(row.get(name) for row in rows)) for name in KEYED_FIGURES})


# --- Totals of a budget table ---------------------------------------------------------------------


@dataclass(frozen=True)
class LineFigures:
    """What the arithmetic needs of a budget line."""

    key: Hashable
    figures: Figures
    category: Hashable | None = None
    memorandum: bool = False


@dataclass
class BudgetTotals:
    lines: dict[Hashable, dict[str, Decimal | None]]
    subtotals: dict[Hashable, dict[str, Decimal | None]]
    total: dict[str, Decimal | None]  # every line above the memorandum items
    memorandum: dict[str, Decimal | None]  # the memorandum items together
    total_cost: dict[str, Decimal | None]  # the total and the memorandum items: "Total Cost of Unit"


def budget_totals(lines: Iterable[LineFigures]) -> BudgetTotals:
    lines = list(lines)
    by_category: dict[Hashable, list[Figures]] = {}
    for line in lines:
        if not line.memorandum and line.category is not None:
            by_category.setdefault(line.category, []).append(line.figures)
    above = [line.figures for line in lines if not line.memorandum]
    memorandum = [line.figures for line in lines if line.memorandum]
    return BudgetTotals(
        lines={line.key: derive(line.figures) for line in lines},
        subtotals={category: sum_figures(rows) for category, rows in by_category.items()},
        total=sum_figures(above),
        memorandum=sum_figures(memorandum),
        total_cost=sum_figures(above + memorandum),
    )


# --- Printed figures against the derivation --------------------------------------------------------


@dataclass(frozen=True)
class Discrepancy:
    """A printed figure that the arithmetic does not reproduce."""

    row: str  # the line or total as printed: "44B Ind Sect Res Care", "TOTAL OTHER SERVICES"
    figure: str  # the figure's name (budgets.figures.FIGURES)
    printed: Decimal | None
    derived: Decimal | None

    @property
    def difference(self) -> Decimal:
        """Printed minus derived, blanks counted as nothing."""
        return (self.printed or Decimal("0")) - (self.derived or Decimal("0"))

    @property
    def figure_label(self) -> str:
        return FIGURES[self.figure].label if self.figure in FIGURES else self.figure

    def __str__(self):
        printed = "blank" if self.printed is None else f"{self.printed}"
        derived = "blank" if self.derived is None else f"{self.derived}"
        return (
            f"{self.row}, {self.figure_label.lower()}: printed {printed}, its parts add up to {derived} "
            f"(a difference of {self.difference})"
        )


def check_printed(
    row: str, printed: Figures, derived: Figures, names: Iterable[str], *, blank_is_printed: bool
) -> list[Discrepancy]:
    """The figures among `names` where printed and derived differ (a blank counts as nothing).

    blank_is_printed: True for a printed total row, where a blank cell was printed blank and must
    agree with its lines; False for a line's printed gross or controllable expenditure, where a
    blank means no printed figure was keyed, so there is nothing to check.
    """
    found = []
    for name in names:
        value = printed.get(name)
        if value is None and not blank_is_printed:
            continue
        discrepancy = Discrepancy(row=row, figure=name, printed=value, derived=derived.get(name))
        if discrepancy.difference != 0:
            found.append(discrepancy)
    return found


# --- Staffing -------------------------------------------------------------------------------------


def staffing_total(rows: Iterable[Figures]) -> dict[str, Decimal | None]:
    """FTE of the teams or grade bands added up, for the previous and the current year."""
    rows = list(rows)
    return {name: add(*(row.get(name) for row in rows)) for name in ("previous_fte", "fte")}
