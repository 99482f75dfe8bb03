"""A sheet for each custom table of a plan's template (plans.TableRow): its columns are the table's.

A custom table is defined by its template (TemplateSectionTable of kind "custom" and its
TableColumns), so its sheet is made for the template by a provider rather than registered once.
Rows are matched on their number. Each cell is read through plans.custom_tables.clean_value, the
same rule the model keeps, so the value compared with the database is exactly what would be stored
(and importing the same file again changes nothing).

Sheet titles are the tables' headings, cut to Excel's 31 characters without the characters Excel
forbids; the JSON table key is "table:<section code>:<short name>", which stays the same between
installations.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from exchange import parsing
from exchange.sheets import SOURCE_NOTE_HELP, Column, Existing, SheetMapping, register_provider
from plans.custom_tables import clean_value
from plans.models import TableColumn, TableKind, TableRow, TemplateSectionTable

Types = TableColumn.DataType
KIND_OF_TYPE = {
    Types.TEXT: "short_text",
    Types.LONG_TEXT: "text",
    Types.NUMBER: "number",
    Types.MONEY: "money",
    Types.MONTH: "month",
    Types.DATE: "date",
    Types.YES_NO: "yes_no",
    Types.CHOICE: "choice",
}
_FORBIDDEN_IN_TITLES = re.compile(r"[:\\/?*\[\]]")
ROW_HEADING = "Row"
NOTE_HEADING = "Note on the source"


def from_stored(table_column, value):
    """A value as TableRow.values holds it -> the Python value the sheets compare and write."""
    if value is None:
        return "" if table_column.data_type in (Types.TEXT, Types.LONG_TEXT) else None
    if table_column.data_type in (Types.NUMBER, Types.MONEY):
        return Decimal(value)
    if table_column.data_type == Types.MONTH:
        return datetime.date.fromisoformat(f"{value}-01")
    if table_column.data_type == Types.DATE:
        return datetime.date.fromisoformat(value)
    return value


@dataclass(frozen=True)
class CustomColumn(Column):
    table_column: TableColumn | None = field(default=None, compare=False)

    def parse(self, value):
        python = super().parse(value)
        if self.table_column is None:
            return python
        if isinstance(python, str) and self.table_column.data_type not in (Types.TEXT, Types.LONG_TEXT):
            python = python or None
        try:
            return from_stored(self.table_column, clean_value(self.table_column, python))
        except ValueError as error:
            raise parsing.CellError(str(error)) from error


class CustomTableSheet(SheetMapping):
    noun = "row"
    order = 200

    def __init__(self, table: TemplateSectionTable, title: str):
        self.table = table
        self.table_columns = list(table.columns.all())
        self.key = f"table:{table.section.code}:{table.slug}"
        self.title = title
        self.order = 200 + table.section.order * 10 + table.order
        self.description = (
            f"Section {table.section.code}: {table.title}. {table.help_text}".strip()
            + " Rows are numbered from 1; a row's number identifies it."
        )
        # The row's number and the source note are ours; a column of the table with the same heading
        # (or two columns sharing one) is told apart by its short name: "Number (number)".
        taken = {ROW_HEADING.lower(), NOTE_HEADING.lower()}
        columns = []
        for column in self.table_columns:
            heading = column.heading if column.heading.lower() not in taken else f"{column.heading} ({column.key})"
            taken.add(heading.lower())
            hint = ((column.help_text + " ") if column.help_text else "") + ("Required." if column.required else "")
            columns.append(
                CustomColumn(
                    heading,
                    f"col:{column.key}",
                    KIND_OF_TYPE.get(column.data_type, "text"),
                    help=hint,
                    choices=tuple((choice, choice) for choice in column.choice_list),
                    table_column=column,
                )
            )
        self.columns = (
            Column(ROW_HEADING, "number", "integer", key=True, help="The row's number in the table: 1, 2, 3 …"),
            *columns,
            Column(NOTE_HEADING, "source_note", help=SOURCE_NOTE_HELP),
        )
        super().__init__()

    def describe(self, key):
        return f"{self.table.title} row {key[0]}"

    def queryset(self, plan):
        return TableRow.objects.filter(plan=plan, table=self.table)

    def from_model(self, row: TableRow) -> dict:
        values = {"number": row.number, "source_note": row.source_note}
        for column in self.table_columns:
            values[f"col:{column.key}"] = from_stored(column, row.values.get(column.key))
        return values

    def export_rows(self, plan):
        return [self.from_model(row) for row in self.queryset(plan)]

    def existing(self, ctx):
        if ctx.plan is None:
            return {}
        return {(row.number,): Existing(row, self.from_model(row)) for row in self.queryset(ctx.plan)}

    def _apply(self, row: TableRow, values: dict) -> TableRow:
        stored = dict(row.values or {})
        for column in self.table_columns:
            name = f"col:{column.key}"
            if name in values:
                canonical = clean_value(column, values[name] if values[name] != "" else None)
                if canonical is None:
                    stored.pop(column.key, None)
                else:
                    stored[column.key] = canonical
        row.values = stored
        if "source_note" in values:
            row.source_note = values["source_note"]
        return row

    def validate(self, row, existing, merged, ctx):
        candidate = TableRow(number=row.key[0], values=dict(existing.obj.values) if existing else {})
        self._apply(candidate, merged)
        missing = [c for c in self.table_columns if c.required and c.key not in candidate.values]
        for column in missing:
            message = f"Enter {column.heading.lower()}."
            if f"col:{column.key}" not in row.where:
                message += f" The sheet has no “{column.heading}” column, so a new row needs it."
            row.problem(self, f"col:{column.key}", message)

    def write(self, change, ctx):
        row = change.obj or TableRow(plan=ctx.plan, table=self.table, number=change.key[0])
        self._apply(row, change.values)
        row.full_clean()
        if ctx.user is not None:
            row._history_user = ctx.user
        row.save()
        return row


def _titles(tables, taken: set[str]) -> list[str]:
    titles = []
    for table in tables:
        base = " ".join(_FORBIDDEN_IN_TITLES.sub(" ", table.title).split())[:31] or table.slug[:31]
        title = base
        if title.lower() in taken:
            suffix = f" ({table.section.code})"
            title = base[: 31 - len(suffix)] + suffix
        counter = 2
        while title.lower() in taken:
            suffix = f" {counter}"
            title = base[: 31 - len(suffix)] + suffix
            counter += 1
        taken.add(title.lower())
        titles.append(title)
    return titles


@register_provider
def custom_table_sheets(template) -> list[SheetMapping]:
    """A sheet per custom table of the template, in section and table order: two queries."""
    from exchange import sheets

    tables = list(
        TemplateSectionTable.objects.filter(section__template=template, kind=TableKind.CUSTOM)
        .select_related("section")
        .prefetch_related("columns")
        .order_by("section__order", "order", "id")
    )
    taken = {m.title.lower() for m in sheets._REGISTRY.values()} | {sheets.INSTRUCTIONS_TITLE.lower()}
    return [CustomTableSheet(table, title) for table, title in zip(tables, _titles(tables, taken), strict=True)]
