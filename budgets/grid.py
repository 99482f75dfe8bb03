"""The budget grid laid out for its template: lines grouped as on the plan page, totals worked out
on the server from what was typed (so the page shows them without JavaScript), and an error
summary that names the line and the column of each refused figure."""

import html
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString, mark_safe

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

    @property
    def html(self) -> SafeString:
        return line_html(self)


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


# The HTML of a line ----------------------------------------------------------------------------------
# A grid has a row per line with an input per column: about 1,000 inputs for 100 lines. They are written
# here, each value escaped with _e, rather than by a template include per row, which took most of the
# page's time. Every input keeps its label (visually hidden, naming the column and the line), its errors
# by it (the error summary links to the input's id) and aria-describedby pointing at them.


def _e(value) -> str:
    """Escaped for HTML text and attribute values, as Django's escape() and templates do."""
    return html.escape(str(value))


def _value(bound) -> str:
    value = bound.value()
    return "" if value is None else _e(value)


def _errors(bound) -> tuple[str, str]:
    """The error messages of a field, and the aria-describedby of its input ("" when it has none)."""
    errors = bound.errors
    if not errors:
        return "", ""
    auto_id = _e(bound.auto_id)
    messages = "".join(
        f'<p class="govuk-error-message govuk-!-font-size-16" id="{auto_id}-error">'
        f'<span class="govuk-visually-hidden">Error:</span> {_e(error)}</p>'
        for error in errors
    )
    return messages, f' aria-describedby="{auto_id}-error"'


def _hidden(bound) -> str:
    """A hidden field as Django renders it: <input type="hidden" name=… value=… id=…>."""
    widget = bound.field.widget
    if type(widget) is not forms.HiddenInput or widget.attrs or bound.field.disabled or bound.help_text:
        return str(bound)  # Django's own rendering for anything but a plain hidden input
    value = widget.format_value(bound.value())
    value = "" if value is None else f' value="{_e(value)}"'
    return f'<input type="hidden" name="{_e(bound.html_name)}"{value} id="{_e(bound.auto_id)}">'


def _name_cell(line: GridLine, cell: GridCell, label: str) -> str:
    """label: the line's label, escaped."""
    saved = bool(line.form.instance.pk)
    hidden = "".join(_hidden(bound) for bound in line.form.hidden_fields())
    parts = [f'<th scope="row" class="govuk-table__header govuk-!-font-weight-regular">\n{hidden}']
    for bound in cell.fields:
        messages, described = _errors(bound)
        error = " govuk-select--error" if described and bound.widget_type == "select" else ""
        auto_id, name = _e(bound.auto_id), _e(bound.html_name)
        if saved:
            label_html = f'<label class="govuk-visually-hidden" for="{auto_id}">{_e(bound.label)}, {label}</label>'
        else:
            label_html = (
                f'<label class="govuk-label govuk-!-font-size-16" for="{auto_id}">{_e(bound.label)}'
                f'<span class="govuk-visually-hidden">, {label}</span></label>'
            )
        if bound.widget_type == "select":
            options = "".join(
                f'<option value="{"" if option.data["value"] is None else _e(option.data["value"])}"'
                f"{' selected' if option.data['selected'] else ''}>{_e(option.choice_label)}</option>"
                for option in bound.subwidgets
            )
            control = (
                f'<select class="govuk-select govuk-!-font-size-16{error}" id="{auto_id}" name="{name}"'
                f' data-role="{_e(bound.name)}"{described}>\n{options}\n</select>'
            )
        else:
            width = "govuk-input--width-4" if bound.name == "code" else "govuk-input--width-20"
            control = (
                f'<input class="govuk-input govuk-!-font-size-16 {width}{" govuk-input--error" if described else ""}"'
                f' id="{auto_id}" name="{name}" type="text" value="{_value(bound)}" spellcheck="false"'
                f' autocomplete="off"{described}>'
            )
        parts.append(f'<div class="govuk-!-margin-bottom-1">\n{label_html}\n{messages}\n{control}\n</div>')
    parts.append("</th>")
    return "\n".join(parts)


def _input_cell(cell: GridCell) -> str:
    bound = cell.fields[0]
    messages, described = _errors(bound)
    auto_id = _e(bound.auto_id)
    if cell.numeric:
        td, width, figure = " govuk-table__cell--numeric", "govuk-input--width-5 app-figure-input", cell.column.field
        figure = f' data-figure="{_e(figure)}"'
    else:
        td, width, figure = "", "govuk-input--width-3", ""
    return (
        f'<td class="govuk-table__cell{td}">\n<label class="govuk-visually-hidden" for="{auto_id}">{_e(cell.label)}'
        f'</label>\n{messages}\n<input class="govuk-input govuk-!-font-size-16 {width}'
        f'{" govuk-input--error" if described else ""}" id="{auto_id}" name="{_e(bound.html_name)}" type="text"'
        f' value="{_value(bound)}" spellcheck="false" autocomplete="off"{figure}{described}>\n</td>'
    )


def _remove_cell(line: GridLine, label: str) -> str:
    if not line.form.instance.pk:
        return '<td class="govuk-table__cell">\n</td>'
    remove = line.form["DELETE"]
    auto_id = _e(remove.auto_id)
    return (
        f'<td class="govuk-table__cell">\n<div class="govuk-checkboxes govuk-checkboxes--small">\n'
        f'<div class="govuk-checkboxes__item">\n<input class="govuk-checkboxes__input" id="{auto_id}"'
        f' name="{_e(remove.html_name)}" type="checkbox" data-role="delete"{" checked" if remove.value() else ""}>\n'
        f'<label class="govuk-label govuk-checkboxes__label" for="{auto_id}">'
        f'<span class="govuk-visually-hidden">Remove {label}</span></label>\n</div>\n</div>\n</td>'
    )


def line_html(line: GridLine) -> SafeString:
    """A line of the grid as a table row: its code and name (and, for a new line, where it goes), an input
    or a worked-out figure per column, and its Remove checkbox."""
    label = _e(line.label)
    cells = []
    for cell in line.cells:
        if cell.kind == "name":
            cells.append(_name_cell(line, cell, label))
        elif cell.kind == "input":
            cells.append(_input_cell(cell))
        else:
            cells.append(
                f'<td class="govuk-table__cell govuk-table__cell--numeric">'
                f'<span data-derived="{_e(cell.column.field)}">{_e(cell.text)}</span></td>'
            )
    cells = "\n".join(cells)
    return mark_safe(
        f'<tr class="govuk-table__row" data-line data-group="{_e(line.group)}" id="line-{_e(line.form.prefix)}">\n'
        f"{cells}\n{_remove_cell(line, label)}\n</tr>\n"
    )
