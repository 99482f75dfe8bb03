"""Exporting a plan: a workbook (Instructions, then a sheet per registered mapping), the JSON format,
one table as CSV, and the blank template workbook.

The sheets are laid out exactly as the importer reads them, so an export can be edited and imported
back. Each sheet takes a fixed number of queries however large the plan (one per table; three for
the priorities with their themes and objectives).
"""

from django.utils import timezone

from common.years import format_month
from exchange import sheets as registry
from exchange import workbook
from exchange.sheets import FIELDS, SheetMapping
from plans.models import Plan, PlanTemplate

DIVISIONAL_TEMPLATE = "divisional-2013-14"


def export_plans():
    """Plans with what every sheet's header needs, for plan_workbook() and plan_document()."""
    return Plan.objects.select_related("unit__council", "year", "template")


def _sheet(mapping: SheetMapping, rows: list[dict]) -> workbook.SheetOut:
    if mapping.layout == FIELDS:
        values = rows[0] if rows else {}
        out = workbook.SheetOut(
            title=mapping.title,
            header=["Field", "Value", "About"],
            rows=[],
            widths=[34, 60, 60],
            wrap=[False, True, True],
        )
        for index, column in enumerate(mapping.columns):
            out.rows.append([column.header, column.to_cell(values.get(column.field)), column.help])
            if column.kind_.number_format:
                out.cell_formats[(index, 1)] = column.kind_.number_format
        return out
    columns = mapping.columns
    return workbook.SheetOut(
        title=mapping.title,
        header=[column.header for column in columns],
        rows=[[column.to_cell(row.get(column.field)) for column in columns] for row in rows],
        widths=[column.width or column.kind_.width for column in columns],
        formats=[column.kind_.number_format for column in columns],
        wrap=[column.kind_.wrap for column in columns],
        validations=[
            (position, [label for _, label in column.choices] if column.kind == "choice" else ["Yes", "No"])
            for position, column in enumerate(columns)
            if column.kind in ("choice", "yes_no")
        ],
    )


def instructions(mappings: list[SheetMapping], *, about: str) -> workbook.SheetOut:
    """The first sheet: how to fill the workbook in, then every sheet's columns."""
    limit_mb = workbook.MAX_BYTES // 1024 // 1024
    rows = [
        ["Kent Plans: plan workbook", "", ""],
        [about, "", ""],
        ["", "", ""],
        ["How to fill it in", "", ""],
        [
            "Sheets",
            "Each sheet after this one is a table of the plan. Keep the sheet names and the headings in row 1 as they "
            "are. Columns may be in any order; a column you remove is left as it is in Kent Plans. A sheet you "
            "remove is left as it is too.",
            "",
        ],
        [
            "Rows",
            "Rows are matched on their numbers: priority number, action number (1, 1.1 …), milestone letter, "
            "decision, risk, critical function and support numbers, section letter. A row whose number is already "
            "in the plan changes it; a new number adds a row. Rows of the plan that are not in the file are left "
            "alone: the import never deletes anything.",
            "",
        ],
        [
            "Values",
            "Type values, not formulas: a cell with a formula is refused. Months like April 2013 (Apr-13 and "
            "01/04/2013 are read too); dates like 16/12/2012; figures like 1,234.5, with (12.3) or -12.3 for a "
            "negative. A blank cell is blank, never 0. Yes or No, or blank where the plan does not say.",
            "",
        ],
        [
            "Apostrophes",
            "Text that starts with =, +, - or @ is written with an apostrophe in front ('- a bullet) so that "
            "spreadsheets never run it as a formula. Leave the apostrophe: the import removes exactly that one.",
            "",
        ],
        [
            "Limits",
            f"At most {limit_mb} MB and {workbook.MAX_ROWS:,} rows per sheet. CSV files hold one table each, with "
            "the same headings as its sheet.",
            "",
        ],
        [
            "Importing",
            "Kent Plans → Import a plan. You will see what would be added, changed and left alone, and every row "
            "it cannot take with its sheet, row, column and reason, before anything is saved. Then it saves all "
            "or nothing.",
            "",
        ],
    ]
    for mapping in mappings:
        rows.append(["", "", ""])
        rows.append([f"Sheet “{mapping.title}”", mapping.description, ""])
        if mapping.layout == FIELDS:
            rows.append(["Field (column A)", "What to type in Value (column B)", "Notes"])
        else:
            rows.append(["Column", "What to type", "Notes"])
        for column in mapping.columns:
            notes = "Required: identifies the row" if column.key else ("Not imported" if not column.read else "")
            rows.append([column.header, f"{column.kind_.what}. {column.help}".strip(), notes])
    return workbook.SheetOut(
        title=registry.INSTRUCTIONS_TITLE,
        header=[],
        rows=rows,
        widths=[34, 100, 30],
        wrap=[True, True, True],
        heading_row=False,
    )


def plan_workbook(plan: Plan) -> bytes:
    mappings = registry.mappings("plan", plan.template)
    about = (
        f"Exported from Kent Plans on {timezone.localdate():%d/%m/%Y}: {plan.unit.name} ({plan.unit.code}), "
        f"{plan.year}, {plan.title}, version “{plan.version_label}” (status {plan.get_status_display()})."
    )
    sheets = [instructions(mappings, about=about)]
    sheets += [_sheet(mapping, mapping.export_rows(plan)) for mapping in mappings]
    return workbook.write_xlsx(sheets)


def template_workbook(template: PlanTemplate) -> bytes:
    """The workbook of an empty plan of the template, to fill in and import."""
    mappings = registry.mappings("plan", template)
    about = (
        f"A blank plan of the template “{template.name}” ({template.slug}). Fill in the Plan sheet (at least Unit, "
        "Year, Version label and Title), then the sheets you need."
    )
    sheets = [instructions(mappings, about=about)]
    sheets += [_sheet(mapping, mapping.blank_rows(template)) for mapping in mappings]
    return workbook.write_xlsx(sheets)


def plan_table_csv(plan: Plan, key: str) -> bytes:
    """One table of the plan as CSV, with the same headings as its sheet."""
    mapping = registry.mapping_for(key, template=plan.template)
    if mapping is None:
        raise KeyError(key)
    rows = mapping.export_rows(plan)
    if mapping.layout == FIELDS:
        values = rows[0]
        return workbook.write_csv(
            ["Field", "Value"], [[c.header, _csv_cell(c, values.get(c.field))] for c in mapping.columns]
        )
    return workbook.write_csv(
        [column.header for column in mapping.columns],
        [[_csv_cell(column, row.get(column.field)) for column in mapping.columns] for row in rows],
    )


def _csv_cell(column, value):
    if column.kind == "month":
        return format_month(value)
    if column.kind == "date":
        return value.strftime("%d/%m/%Y") if value else ""
    cell = column.to_cell(value)
    return "" if cell is None else cell


def default_template() -> PlanTemplate | None:
    return PlanTemplate.objects.filter(slug=DIVISIONAL_TEMPLATE).first() or PlanTemplate.objects.first()
