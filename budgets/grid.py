"""The budget grid laid out for its template: lines grouped as on the plan page, totals worked out
on the server from what was typed (so the page shows them without JavaScript), and an error
summary that names the line and the column of each refused figure."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from budgets import derivations
from budgets.figures import FIGURES
from budgets.models import BudgetLine
from budgets.tables import format_figure

NEW = "new"
MEMORANDUM = "memorandum"
UNCATEGORISED = "none"


@dataclass
class GridCell:
    column: object  # models.Column
    kind: str  # "name" (code, name and, for a new line, where it goes), "input", "derived" or "total"
    label: str = ""  # the visually hidden label of an input: "Running Costs, 44B Ind Sect Res Care"
    fields: list = field(default_factory=list)  # bound fields typed into this cell
    text: str = ""  # a derived figure or a total, formatted

    @property
    def numeric(self) -> bool:
        return FIGURES[self.column.field].kind != "text"


@dataclass
class GridLine:
    form: object
    label: str
    group: str  # the total it counts in: a category's pk, "none" or "memorandum"
    cells: list[GridCell]


@dataclass
class GridGroup:
    key: str
    label: str
    lines: list[GridLine] = field(default_factory=list)
    subtotal: list[GridCell] | None = None


@dataclass
class Grid:
    columns: list
    groups: list[GridGroup]
    new_lines: list[GridLine]
    total: list[GridCell]
    memorandum: GridGroup | None
    total_cost: list[GridCell] | None
    errors: list[tuple[str, str]]  # (message, href)


def _typed_figures(form) -> dict:
    """The figures of a grid row as typed, for the totals; a figure that does not parse counts as blank."""
    values = form.instance.keyed_figures()
    if not form.is_bound:
        return values
    for name in form.figure_names:
        try:
            values[name] = form.fields[name].to_python(form.data.get(form.add_prefix(name)))
        except ValidationError:
            values[name] = None
    return values


def _group_of(form) -> str:
    if form.instance.pk is not None:
        if form.instance.kind == BudgetLine.Kind.MEMORANDUM:
            return MEMORANDUM
        return str(form.instance.category_id) if form.instance.category_id else UNCATEGORISED
    kind = form.data.get(form.add_prefix("kind")) if form.is_bound else None
    if kind == BudgetLine.Kind.MEMORANDUM:
        return MEMORANDUM
    category = form.data.get(form.add_prefix("category")) if form.is_bound else None
    return category or UNCATEGORISED


def _deleted(form) -> bool:
    return form.is_bound and bool(form.data.get(form.add_prefix("DELETE")))


def _total_cells(values: dict, columns) -> list[GridCell]:
    return [
        GridCell(
            column,
            "total",
            text="" if FIGURES[column.field].kind == "text" else format_figure(column.field, values.get(column.field)),
        )
        for column in columns
    ]


def _line_cells(form, label: str, derived: dict, columns, years: dict) -> list[GridCell]:
    cells = []
    for column in columns:
        heading = f"{column.heading} {years[column.year]}".strip()
        if column.field == "name":
            names = ["code", "name", *(["category", "kind"] if form.instance.pk is None else [])]
            cells.append(GridCell(column, "name", label=label, fields=[form[name] for name in names]))
        elif FIGURES[column.field].derived:
            cells.append(GridCell(column, "derived", text=format_figure(column.field, derived.get(column.field))))
        elif column.field in form.fields:
            cells.append(GridCell(column, "input", label=f"{heading}, {label}", fields=[form[column.field]]))
        else:
            cells.append(GridCell(column, "derived"))
    return cells


def build_grid(formset, *, columns, categories, years) -> Grid:
    """years: the label of each Column.Year for this plan (tables.year_labels)."""
    figures, lines = [], []
    for form in formset.forms:
        typed = _typed_figures(form)
        group = _group_of(form)
        lines.append((form, group, typed))
        if not _deleted(form):
            figures.append(
                derivations.LineFigures(
                    key=form.prefix,
                    figures=typed,
                    category=group if group != MEMORANDUM else None,
                    memorandum=group == MEMORANDUM,
                )
            )
    totals = derivations.budget_totals(figures)

    def grid_line(form, group):
        values = totals.lines.get(form.prefix) or derivations.derive({})
        return GridLine(form, form.line_label, group, _line_cells(form, form.line_label, values, columns, years))

    groups = []
    for category in categories:
        key = str(category.pk)
        groups.append(
            GridGroup(
                key,
                category.name,
                [grid_line(form, group) for form, group, _ in lines if form.instance.pk and group == key],
                _total_cells(totals.subtotals.get(key, derivations.sum_figures([])), columns),
            )
        )
    uncategorised = [grid_line(form, g) for form, g, _ in lines if form.instance.pk and g == UNCATEGORISED]
    if uncategorised:
        groups.append(GridGroup(UNCATEGORISED, "", uncategorised))
    memorandum_lines = [grid_line(form, g) for form, g, _ in lines if form.instance.pk and g == MEMORANDUM]
    memorandum = GridGroup(MEMORANDUM, "Memorandum items", memorandum_lines) if memorandum_lines else None
    return Grid(
        columns=columns,
        groups=groups,
        new_lines=[grid_line(form, group) for form, group, _ in lines if form.instance.pk is None],
        total=_total_cells(totals.total, columns),
        memorandum=memorandum,
        total_cost=_total_cells(totals.total_cost, columns) if memorandum else None,
        errors=error_summary(formset) if formset.is_bound else [],
    )


def error_summary(formset) -> list[tuple[str, str]]:
    """Each refused figure as "44B Ind Sect Res Care, Running Costs: “abc” is not a figure …"."""
    errors = [(str(error), "#budget-grid") for error in formset.non_form_errors()]
    for form in formset.forms:
        for name, messages in form.errors.items():
            if name == "__all__":
                first = next(iter(form.fields))
                errors += [(f"{form.line_label}: {message}", f"#{form[first].auto_id}") for message in messages]
                continue
            label = form.fields[name].label
            errors += [(f"{form.line_label}, {label}: {message}", f"#{form[name].auto_id}") for message in messages]
    return errors
