"""The JSON format of a plan: "kent-plans/plan", version 1 (documented in exchange/README.md).

    {
      "format": "kent-plans/plan",
      "version": 1,
      "exported_at": "2026-11-23T10:15:00+00:00",
      "tables": {
        "plan": {"council": "KCC", "unit": "LDMH", "year": "2013-14", "version_label": "Final Draft v 6", …},
        "sections": [{"code": "A", "section_title": "…", "progress": "completed", "body": "…"}, …],
        "actions": [{"priority": 1, "number": "1.1", "text": "…", "start": "2013-04", "end": "2014-03", …}, …],
        …
      }
    }

It mirrors the workbook: one table per sheet, keyed by the sheet's key, each row an object keyed by
the columns' field names, so it is read by the same mappings and the same checks as a workbook.
Values: text as text (never neutralised), whole numbers as numbers, decimals as strings ("172233.0",
exact), months "YYYY-MM", dates "YYYY-MM-DD", financial years "2013-14", yes/no true/false, choices
by their stored value ("completed"), lists as arrays; a blank is null (or "" for text).

A reader must refuse a document whose "format" it does not know or whose "version" is higher than
it reads. Version 1 may gain tables and fields (ignored by older readers' exports, reported as
unknown by older importers); a change to the meaning of an existing field needs version 2.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from exchange import sheets as registry
from exchange.sheets import FIELDS
from exchange.workbook import JSON, MAX_ROWS, FileRefused, RawBook, RawSheet

FORMAT = "kent-plans/plan"
VERSION = 1


def plan_document(plan, *, exported_at: datetime.datetime | None = None) -> dict:
    """A plan in the JSON format (plan fetched with its unit, council, year and template)."""
    tables = {}
    for mapping in registry.mappings("plan", plan.template):
        rows = [
            {column.field: column.to_json(row.get(column.field)) for column in mapping.columns}
            for row in mapping.export_rows(plan)
        ]
        tables[mapping.key] = rows[0] if mapping.layout == FIELDS else rows
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": (exported_at or timezone.now()).isoformat(timespec="seconds"),
        "tables": tables,
    }


def to_raw_book(document, *, filename: str) -> RawBook:
    """A parsed JSON document -> RawBook for the importer; FileRefused if it is not this format."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise FileRefused(
            f"The JSON file is not a Kent Plans plan export: its “format” must be “{FORMAT}”. Download a plan as "
            "JSON to see the format."
        )
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FileRefused("The JSON file has no valid “version”: it must be 1.")
    if version > VERSION:
        raise FileRefused(
            f"The JSON file is in version {version} of the plan format; this installation reads version {VERSION}. "
            "Export it again from an installation of the same version, or ask for Kent Plans to be updated."
        )
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise FileRefused("The JSON file has no “tables” object: there is nothing to import.")
    book = RawBook(kind=JSON, filename=filename, escaped=False)
    for name, content in tables.items():
        mapping = registry.mapping_for(name)
        if mapping is not None and mapping.layout == FIELDS:
            if not isinstance(content, dict):
                raise FileRefused(f"In the JSON file, “{name}” must be an object of fields.")
            rows = [(position, [key, _scalar(value)]) for position, (key, value) in enumerate(content.items(), 1)]
            book.sheets.append(
                RawSheet(name=str(name), header=["Field", "Value"], rows=rows, by_field=True, header_row=None)
            )
            continue
        if not isinstance(content, list):
            raise FileRefused(f"In the JSON file, “{name}” must be a list of rows.")
        if not content:
            continue  # an empty table: nothing to import, as a sheet with no rows
        header: list[str] = []
        for position, item in enumerate(content, 1):
            if not isinstance(item, dict):
                raise FileRefused(f"In the JSON file, row {position} of “{name}” is not an object.")
            header.extend(key for key in item if key not in header)
        sheet = RawSheet(name=str(name), header=list(header), by_field=True, header_row=None)
        for position, item in enumerate(content, 1):
            if position > MAX_ROWS:
                sheet.too_many_rows = True
                break
            sheet.rows.append((position, [_scalar(item.get(key)) for key in header]))
        book.sheets.append(sheet)
    return book


def _scalar(value):
    """JSON values as cells: numbers with a fraction stay exact (Decimal), lists stay lists."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, list):
        return [_scalar(item) for item in value]
    if isinstance(value, dict):
        return {}
    return value
