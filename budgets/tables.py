"""The budget, staffing and activity tables of a plan, laid out for the plan page and the print.

Reads only what the plan carries (plans.selectors.plan_document prefetches it), so drawing the
tables takes no query of its own. The arithmetic is derivations.py; this module only lays out rows
and formats figures as the council prints them.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist

from budgets import derivations
from budgets.figures import FIGURES, PRINTED_DERIVED
from budgets.models import BudgetLine, Column, ColumnSet, PrintedTotal, StaffingLine
from common.money import format_money
from common.years import financial_year_label


def format_figure(name: str, value) -> str:
    figure = FIGURES.get(name)
    if figure is None or figure.kind == "text":
        return value or ""
    return format_money(value, 2 if figure.kind == "fte" else 1)


@dataclass(frozen=True)
class Cell:
    field: str
    text: str
    numeric: bool
    derived: bool = False


@dataclass
class Row:
    kind: str  # heading, line, subtotal, total, memorandum_heading, memorandum, total_cost
    label: str
    cells: list[Cell] = field(default_factory=list)
    source_note: str = ""

    @property
    def is_total(self) -> bool:
        return self.kind in ("subtotal", "total", "total_cost")


@dataclass
class YearGroup:
    label: str
    span: int


@dataclass
class BudgetTable:
    column_set: ColumnSet | None
    columns: list[Column]
    year_groups: list[YearGroup]
    rows: list[Row]
    discrepancies: list[derivations.Discrepancy]
    line_count: int
    printed_checked: int = 0  # how many printed figures were compared with the arithmetic

    @property
    def notes(self) -> list[tuple[str, str]]:
        """(row, note) for each row with a note on the source, then the column set's."""
        notes = [(row.label, row.source_note) for row in self.rows if row.source_note]
        if self.column_set and self.column_set.source_note and self.line_count:
            notes.append(("Columns", self.column_set.source_note))
        return notes

    @property
    def has_year_row(self) -> bool:
        return any(group.label for group in self.year_groups)


def column_set_for(plan) -> ColumnSet | None:
    """The column set of the plan's template, or None if an administrator has not chosen one."""
    try:
        return plan.template.budget_columns.column_set
    except ObjectDoesNotExist:
        return None


def year_labels(plan) -> dict[str, str]:
    return {
        Column.Year.PREVIOUS: financial_year_label(plan.year_id - 1),
        Column.Year.CURRENT: financial_year_label(plan.year_id),
        Column.Year.NONE: "",
    }


def year_groups(columns, labels) -> list[YearGroup]:
    groups: list[YearGroup] = []
    for column in columns:
        label = labels[column.year]
        if groups and groups[-1].label == label:
            groups[-1].span += 1
        else:
            groups.append(YearGroup(label, 1))
    return groups


def _cells(columns, label: str, values: dict, text: dict | None = None) -> list[Cell]:
    text = text or {}
    cells = []
    for column in columns:
        figure = FIGURES[column.field]
        if column.field == "name":
            cells.append(Cell("name", label, numeric=False))
        elif figure.kind == "text":
            cells.append(Cell(column.field, text.get(column.field, ""), numeric=False))
        else:
            cells.append(
                Cell(column.field, format_figure(column.field, values.get(column.field)), True, figure.derived)
            )
    return cells


def compared_figures(columns) -> list[str]:
    """The figures of a column set that a printed total row prints (not the app's own change column)."""
    return [column.field for column in columns if FIGURES[column.field].kind != "text" and column.printed]


def line_figures(lines) -> list[derivations.LineFigures]:
    return [
        derivations.LineFigures(
            key=line.pk,
            figures=line.keyed_figures(),
            category=line.category_id,
            memorandum=line.kind == BudgetLine.Kind.MEMORANDUM,
        )
        for line in lines
    ]


def budget_table(plan) -> BudgetTable:
    column_set = column_set_for(plan)
    columns = list(column_set.columns.all()) if column_set else []
    categories = sorted(plan.budget_categories.all(), key=lambda c: (c.order, c.pk))
    lines = sorted(plan.budget_lines.all(), key=lambda line: (line.order, line.pk))
    printed = {(total.kind, total.category_id): total for total in plan.printed_budget_totals.all()}
    totals = derivations.budget_totals(line_figures(lines))

    def text_of(line):
        return {name: getattr(line, name) for name in ("cabinet_member", "responsible_manager")}

    rows: list[Row] = []
    found: list[derivations.Discrepancy] = []
    compared = compared_figures(columns)
    checked = 0

    def check_line(line):
        nonlocal checked
        checked += sum(1 for value in line.printed_figures().values() if value is not None)
        found.extend(
            derivations.check_printed(
                line.label, line.printed_figures(), totals.lines[line.pk], PRINTED_DERIVED, blank_is_printed=False
            )
        )

    def total_row(kind, label, values, printed_total: PrintedTotal | None):
        nonlocal checked
        if printed_total is not None:
            label = printed_total.label
            checked += len(compared)
            found.extend(
                derivations.check_printed(
                    label, printed_total.printed_figures(), values, compared, blank_is_printed=True
                )
            )
        rows.append(
            Row(kind, label, _cells(columns, label, values), printed_total.source_note if printed_total else "")
        )

    for category in categories:
        rows.append(Row("heading", category.name, source_note=category.source_note))
        for line in (line for line in lines if line.category_id == category.pk):
            rows.append(
                Row(
                    "line",
                    line.label,
                    _cells(columns, line.label, totals.lines[line.pk], text_of(line)),
                    line.source_note,
                )
            )
            check_line(line)
        total_row(
            "subtotal",
            f"Total {category.name}",
            totals.subtotals.get(category.pk, derivations.sum_figures([])),
            printed.get((PrintedTotal.Kind.SUBTOTAL, category.pk)),
        )
    for line in lines:
        if line.category_id is None and line.kind != BudgetLine.Kind.MEMORANDUM:
            rows.append(
                Row(
                    "line",
                    line.label,
                    _cells(columns, line.label, totals.lines[line.pk], text_of(line)),
                    line.source_note,
                )
            )
            check_line(line)
    memorandum = [line for line in lines if line.kind == BudgetLine.Kind.MEMORANDUM]
    if lines:
        total_row("total", "Total", totals.total, printed.get((PrintedTotal.Kind.TOTAL, None)))
    if memorandum:
        rows.append(Row("memorandum_heading", "Memorandum items:"))
        for line in memorandum:
            rows.append(
                Row(
                    "memorandum",
                    line.label,
                    _cells(columns, line.label, totals.lines[line.pk], text_of(line)),
                    line.source_note,
                )
            )
            check_line(line)
        total_row(
            "total_cost", "Total cost of unit", totals.total_cost, printed.get((PrintedTotal.Kind.TOTAL_COST, None))
        )
    return BudgetTable(
        column_set=column_set,
        columns=columns,
        year_groups=year_groups(columns, year_labels(plan)),
        rows=rows,
        discrepancies=found,
        line_count=len(lines),
        printed_checked=checked,
    )


# --- Staffing -------------------------------------------------------------------------------------


@dataclass
class StaffingRow:
    kind: str  # line, total, of_which
    label: str
    previous_fte: str
    fte: str
    source_note: str = ""


@dataclass
class StaffingTable:
    previous_year: str
    year: str
    rows: list[StaffingRow]
    discrepancies: list[derivations.Discrepancy]


def staffing_table(plan) -> StaffingTable | None:
    lines = sorted(plan.staffing_lines.all(), key=lambda line: (line.order, line.pk))
    if not lines:
        return None
    counted = [line for line in lines if line.kind != StaffingLine.Kind.OF_WHICH]
    total = derivations.staffing_total({"previous_fte": line.previous_fte, "fte": line.fte} for line in counted)
    printed = next((t for t in plan.printed_budget_totals.all() if t.kind == PrintedTotal.Kind.STAFFING_TOTAL), None)

    def row(kind, line):
        return StaffingRow(
            kind, line.name, format_money(line.previous_fte, 2), format_money(line.fte, 2), line.source_note
        )

    rows = [row("line", line) for line in counted]
    rows.append(
        StaffingRow(
            "total",
            printed.label if printed else "Total",
            format_money(total["previous_fte"], 2),
            format_money(total["fte"], 2),
            printed.source_note if printed else "",
        )
    )
    rows += [row("of_which", line) for line in lines if line.kind == StaffingLine.Kind.OF_WHICH]
    found = (
        derivations.check_printed(
            printed.label, printed.printed_figures(), total, ["previous_fte", "fte"], blank_is_printed=True
        )
        if printed
        else []
    )
    return StaffingTable(financial_year_label(plan.year_id - 1), financial_year_label(plan.year_id), rows, found)


@dataclass
class ActivityTable:
    previous_year: str
    year: str
    levels: list
    notes: list[str]


def activity_table(plan) -> ActivityTable | None:
    levels = sorted(plan.affordable_activity_levels.all(), key=lambda level: (level.order, level.pk))
    if not levels:
        return None
    notes = list(dict.fromkeys(level.source_note for level in levels if level.source_note))
    return ActivityTable(financial_year_label(plan.year_id - 1), financial_year_label(plan.year_id), levels, notes)
