"""The one registry of sheet mappings: how each table of a plan is laid out in a workbook, read back
and compared with the database.

A mapping (a SheetMapping subclass, registered with @register) declares a sheet: its title, its
columns (heading, field, kind of value, whether it is part of the row's natural key) and how its
rows are found in, compared with and written to the database. The exporter writes every registered
mapping of a domain as a sheet (and as a table of the JSON format); the importer reads every sheet
whose title matches one. Adding a table to plan exports and imports is therefore one class here or
in a module listed in SHEET_MODULES (exchange is the top layer, so it may import every app's models;
no other app imports exchange). See exchange/README.md, "Adding a sheet".

Rows are matched on their natural key (priority number, action number, milestone letter …), never
on database ids, so importing the same file twice changes nothing and a file can move between
installations. Rows of the plan that the file does not hold are left alone: an import adds and
changes, never deletes.
"""

import copy
import datetime
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from openpyxl.utils import get_column_letter

from common.years import format_month
from exchange import parsing, workbook

ROWS = "rows"
FIELDS = "fields"  # a sheet of "Field | Value" rows, for one record (the plan's header facts)

# Modules that register mappings, imported once by ExchangeConfig.ready(). Add yours here.
SHEET_MODULES = [
    "exchange.plan_sheets",
    "exchange.budget_sheets",
    "exchange.indicator_sheets",
    "exchange.custom_sheets",
]

INSTRUCTIONS_TITLE = "Instructions"
SOURCE_NOTE_HELP = "Where the source document is inconsistent or unclear: what it prints and why. Optional."


# --- problems --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Why a row (or a sheet, or the file) cannot be imported, where it is, in the user's terms."""

    sheet: str
    row: int | None
    column: str | None
    message: str
    cell: str | None = None

    def as_text(self) -> str:
        where = [self.sheet or "File"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}" + (f" ({self.cell})" if self.cell else ""))
        elif self.cell:
            where.append(f"cell {self.cell}")
        return f"{', '.join(where)}: {self.message}"


# --- kinds of value --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """How one kind of value is read from a cell, written to a cell and to JSON, and shown."""

    parse: Callable[..., Any]
    to_cell: Callable[[Any], Any] = lambda value: value
    to_json: Callable[[Any], Any] = lambda value: value
    show: Callable[[Any], str] = lambda value: "" if value is None else str(value)
    number_format: str | None = None
    wrap: bool = False
    width: int = 14
    what: str = "Text"


def _decimal_json(value):
    return None if value is None else format(value, "f")


def _month_json(value):
    return None if value is None else value.strftime("%Y-%m")


def _date_json(value):
    return None if value is None else value.isoformat()


def _show_decimal(value):
    return "" if value is None else f"{value:,}"


KINDS: dict[str, Kind] = {
    "text": Kind(parsing.text, wrap=True, width=50, what="Text"),
    "short_text": Kind(parsing.text, width=30, what="Text"),
    "code": Kind(parsing.key_text, number_format="@", width=12, what="Text"),
    "integer": Kind(parsing.whole_number, number_format="0", width=10, what="Whole number from 1"),
    "decimal1": Kind(
        lambda value: parsing.number(value, places=1, minimum=Decimal(0)),
        to_json=_decimal_json,
        show=_show_decimal,
        number_format="#,##0.0",
        what="Number to one decimal place, for example 1,234.5",
    ),
    "number": Kind(
        parsing.number,
        to_json=_decimal_json,
        show=_show_decimal,
        what="A number, for example 3.8 or 1,234",
    ),
    "fte": Kind(
        lambda value: parsing.number(
            value, places=2, minimum=Decimal(0), what="a number of full-time equivalent posts"
        ),
        to_json=_decimal_json,
        show=_show_decimal,
        number_format="#,##0.00",
        what="Full-time equivalent posts, to two decimal places at most, for example 12.5",
    ),
    "money": Kind(
        parsing.money,
        to_json=_decimal_json,
        show=_show_decimal,
        number_format="#,##0.0",
        what="£'000 to one decimal place, for example 1,234.5 or (12.3)",
    ),
    "month": Kind(
        parsing.month,
        to_json=_month_json,
        show=format_month,
        number_format="mmmm yyyy",
        what="Month and year, for example April 2013",
    ),
    "date": Kind(
        parsing.date,
        to_json=_date_json,
        show=lambda value: value.strftime("%d/%m/%Y") if value else "",
        number_format="dd/mm/yyyy",
        what="Date, for example 16/12/2012",
    ),
    "year": Kind(
        parsing.financial_year,
        to_cell=parsing.financial_year_text,
        to_json=lambda value: parsing.financial_year_text(value) or None,
        show=parsing.financial_year_text,
        number_format="@",
        what="Financial year, for example 2013-14",
    ),
    "yes_no": Kind(
        parsing.yes_no,
        to_cell=lambda value: parsing.yes_no_text(value) or None,
        show=lambda value: parsing.yes_no_text(value) or "Not stated",
        width=12,
        what="Yes, No, or blank if not stated",
    ),
    "action": Kind(
        parsing.action_number,
        to_cell=parsing.action_number_text,
        to_json=parsing.action_number_text,
        show=parsing.action_number_text,
        number_format="@",
        width=10,
        what="1 for a headline action, 1.1, 1.2 … for its sub-actions",
    ),
    "letter": Kind(parsing.letter, number_format="@", width=10, what="A, B, C …"),
    "names": Kind(
        parsing.name_list,
        to_cell=lambda value: "; ".join(value or ()) or None,
        to_json=lambda value: list(value or ()),
        show=lambda value: "; ".join(value or ()),
        width=30,
        what="Names separated by semicolons",
    ),
}


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = "text"
    key: bool = False  # part of the row's natural key: the column must be present and filled in
    read: bool = True  # False: for reference only, never imported
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # for kind "choice": (stored value, label)
    width: int | None = None

    @property
    def kind_(self) -> Kind:
        if self.kind == "choice":
            options = dict(self.choices)
            return Kind(
                lambda value: parsing.choice(value, options),
                to_cell=lambda value: options.get(value) if value else None,
                show=lambda value: options.get(value, "") if value else "",
                width=16,
                what="One of: " + ", ".join(options.values()),
            )
        return KINDS[self.kind]

    def parse(self, value):
        return self.kind_.parse(value)

    def to_cell(self, value):
        return self.kind_.to_cell(value)

    def to_json(self, value):
        if self.kind == "choice":
            return value or None
        return self.kind_.to_json(value)

    def show(self, value) -> str:
        return self.kind_.show(value)


# --- parsed rows -----------------------------------------------------------------------------------


@dataclass
class ParsedRow:
    """One row as read from the file: the values of the columns it has, and where each cell is."""

    sheet: str
    row: int | None
    values: dict = field(default_factory=dict)
    where: dict = field(default_factory=dict)  # field -> (row number, cell reference)
    problems: list = field(default_factory=list)
    key: tuple | None = None

    def problem(self, mapping: "SheetMapping", field_name: str | None, message: str) -> Problem:
        row, cell = self.where.get(field_name, (self.row, None)) if field_name else (self.row, None)
        column = mapping.column(field_name).header if field_name and mapping.column(field_name) else None
        found = Problem(sheet=self.sheet, row=row, column=column, message=message, cell=cell)
        self.problems.append(found)
        return found


@dataclass
class ParsedSheet:
    mapping: "SheetMapping"
    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # fields of the read columns the file has


def _normal(text) -> str:
    return " ".join(str(text or "").replace("\u00a0", " ").split()).lower()


def _cell_ref(kind_of_file: str, position: int, row: int | None) -> str | None:
    if kind_of_file == workbook.JSON or row is None:
        return None
    return f"{get_column_letter(position + 1)}{row}"


def _plain(value, escaped: bool):
    return workbook.restore(value) if escaped else value


# --- mappings --------------------------------------------------------------------------------------


class SheetMapping:
    """A sheet of a workbook and a table of the JSON format. Subclasses declare the class attributes
    and implement export_rows(), existing() and write(); ModelSheet does most of it for a model."""

    key: str = ""  # the JSON table name and the stable identifier: "actions"
    title: str = ""  # the sheet's title: "Actions"
    domain: str = "plan"
    order: int = 100
    layout: str = ROWS
    columns: tuple[Column, ...] = ()
    description: str = ""
    table_kind: str | None = None  # a plan's template must hold this kind of table for these rows
    noun: str = "row"

    def __init__(self):
        self._columns = {column.field: column for column in self.columns}

    def __repr__(self):
        return f"<{type(self).__name__} {self.title}>"

    def column(self, field_name) -> Column | None:
        return self._columns.get(field_name)

    @property
    def key_fields(self) -> tuple[str, ...]:
        return tuple(column.field for column in self.columns if column.key)

    @property
    def read_columns(self) -> list[Column]:
        return [column for column in self.columns if column.read]

    def row_key(self, values: dict) -> tuple:
        return tuple(values.get(name) for name in self.key_fields)

    def describe(self, key: tuple) -> str:
        """The row in words: "Action 1.1 of priority 2"."""
        parts = [self.column(name).show(value) for name, value in zip(self.key_fields, key, strict=False)]
        return f"{self.noun.capitalize()} {' '.join(parts)}"

    def matches(self, name) -> bool:
        return _normal(name) in {_normal(self.title), _normal(self.key), _normal(self.key.replace("_", " "))}

    # --- reading ----------------------------------------------------------------------------------
    def parse(self, raw: workbook.RawSheet, *, kind_of_file: str, escaped: bool) -> ParsedSheet:
        if self.layout == FIELDS:
            return self._parse_fields(raw, kind_of_file=kind_of_file, escaped=escaped)
        return self._parse_rows(raw, kind_of_file=kind_of_file, escaped=escaped)

    def _find_column(self, heading, *, by_field: bool = False) -> Column | None:
        """The column with this heading; failing that (and only, for the JSON format), this field name."""
        wanted = _normal(heading)
        for column in self.columns:
            if not by_field and wanted == _normal(column.header):
                return column
        for column in self.columns:
            if wanted == _normal(column.field):
                return column
        return None

    def _sheet_limits(self, raw, parsed: ParsedSheet) -> bool:
        if raw.too_many_rows:
            parsed.problems.append(
                Problem(
                    self.title,
                    None,
                    None,
                    f"The sheet has more than {workbook.MAX_ROWS:,} rows, the most one import takes: split it "
                    "into several files.",
                )
            )
        if raw.too_many_columns:
            parsed.problems.append(
                Problem(
                    self.title,
                    None,
                    None,
                    f"The sheet has more than {workbook.MAX_COLUMNS} columns: remove the extra ones.",
                )
            )
        return not (raw.too_many_rows or raw.too_many_columns)

    def _header_columns(self, raw, parsed: ParsedSheet, kind_of_file: str):
        """Column (or None for a blank heading) per position; problems for unknown and repeated headings."""
        found: list[Column | None] = []
        seen = {}
        for position, heading in enumerate(raw.header):
            cell = _cell_ref(kind_of_file, position, raw.header_row)
            if isinstance(heading, workbook.Formula):
                parsed.problems.append(
                    Problem(self.title, raw.header_row, None, "A heading is a formula: type the heading itself.", cell)
                )
                found.append(None)
                continue
            if parsing.is_blank(heading):
                found.append(None)
                continue
            column = self._find_column(parsing.text(heading), by_field=raw.by_field)
            if column is None:
                known = ", ".join(column.header for column in self.columns)
                parsed.problems.append(
                    Problem(
                        self.title,
                        raw.header_row,
                        parsing.text(heading)[:60],
                        f"“{parsing.text(heading)[:60]}” is not a column of the {self.title} sheet. Its columns are: "
                        f"{known}.",
                        cell,
                    )
                )
            elif column.field in seen:
                parsed.problems.append(
                    Problem(
                        self.title,
                        raw.header_row,
                        column.header,
                        f"The column “{column.header}” appears twice: keep one.",
                        cell,
                    )
                )
                column = None
            else:
                seen[column.field] = position
            found.append(column)
        return found, seen

    def _parse_rows(self, raw, *, kind_of_file, escaped) -> ParsedSheet:
        parsed = ParsedSheet(mapping=self)
        if not self._sheet_limits(raw, parsed):
            return parsed
        found, seen = self._header_columns(raw, parsed, kind_of_file)
        missing = [column.header for column in self.columns if column.key and column.field not in seen]
        if missing:
            names = " and ".join(f"“{name}”" for name in missing)
            parsed.problems.append(
                Problem(
                    self.title,
                    raw.header_row,
                    None,
                    f"The sheet needs the column{'s' if len(missing) > 1 else ''} {names}.",
                )
            )
            return parsed
        parsed.columns = [column.field for column in found if column is not None and column.read]
        for number, cells in raw.rows:
            row = ParsedRow(sheet=self.title, row=number)
            for position, value in enumerate(cells):
                column = found[position] if position < len(found) else None
                cell = _cell_ref(kind_of_file, position, number)
                header = column.header if column else None
                if column is not None and column.read:
                    row.where[column.field] = (number, cell)
                if isinstance(value, workbook.Formula):
                    message = f"The cell holds a formula ({value.text[:40]}): type the value itself."
                    row.problems.append(Problem(self.title, number, header, message, cell))
                elif isinstance(value, workbook.ErrorValue):
                    message = f"The cell shows an error ({value.text}): type the value itself."
                    row.problems.append(Problem(self.title, number, header, message, cell))
                elif column is None:
                    if not parsing.is_blank(value) and (
                        position >= len(found) or parsing.is_blank(raw.header[position])
                    ):
                        message = (
                            "This cell has a value but its column has no heading: add the heading or clear the cell."
                        )
                        row.problems.append(Problem(self.title, number, None, message, cell))
                elif column.read:
                    try:
                        row.values[column.field] = column.parse(_plain(value, escaped))
                    except parsing.CellError as error:
                        row.problems.append(Problem(self.title, number, column.header, str(error), cell))
            for name in parsed.columns:  # cells after the row's last value are blank
                if name not in row.values and name not in row.where:
                    column, cell = self.column(name), _cell_ref(kind_of_file, seen[name], number)
                    row.where[name] = (number, cell)
                    try:
                        row.values[name] = column.parse(None)
                    except parsing.CellError as error:  # a blank where the column needs a value
                        row.problems.append(Problem(self.title, number, column.header, str(error), cell))
            for column in self.columns:
                if column.key and row.values.get(column.field) in (None, "") and column.header not in _failed(row):
                    row.problem(self, column.field, f"Enter the {column.header.lower()}.")
            parsed.rows.append(row)
        self._find_duplicates(parsed)
        return parsed

    def _parse_fields(self, raw, *, kind_of_file, escaped) -> ParsedSheet:
        parsed = ParsedSheet(mapping=self)
        if not self._sheet_limits(raw, parsed):
            return parsed
        headings = [_normal(parsing.text(h)) if not isinstance(h, workbook.Formula) else "" for h in raw.header]
        if "field" not in headings or "value" not in headings:
            parsed.problems.append(
                Problem(
                    self.title,
                    raw.header_row,
                    None,
                    "The sheet needs the columns “Field” and “Value”, with one field of the plan on each row.",
                )
            )
            return parsed
        field_at, value_at = headings.index("field"), headings.index("value")
        for position, heading in enumerate(headings):
            if heading not in ("field", "value", "about", ""):
                parsed.problems.append(
                    Problem(
                        self.title,
                        raw.header_row,
                        parsing.text(raw.header[position])[:60],
                        "This is not a column of the Plan sheet, whose columns are Field, Value and About.",
                        _cell_ref(kind_of_file, position, raw.header_row),
                    )
                )
        row = ParsedRow(sheet=self.title, row=None)
        for number, cells in raw.rows:
            for position, value in enumerate(cells):
                if isinstance(value, workbook.Formula):
                    row.problems.append(
                        Problem(
                            self.title,
                            number,
                            None,
                            f"The cell holds a formula ({value.text[:40]}): type the value itself.",
                            _cell_ref(kind_of_file, position, number),
                        )
                    )
                elif isinstance(value, workbook.ErrorValue):
                    row.problems.append(
                        Problem(
                            self.title,
                            number,
                            None,
                            f"The cell shows an error ({value.text}): type the value itself.",
                            _cell_ref(kind_of_file, position, number),
                        )
                    )
            label = cells[field_at] if field_at < len(cells) else None
            value = cells[value_at] if value_at < len(cells) else None
            if isinstance(label, workbook.Formula | workbook.ErrorValue) or isinstance(
                value, workbook.Formula | workbook.ErrorValue
            ):
                continue
            if parsing.is_blank(label):
                if not parsing.is_blank(value):
                    row.problems.append(Problem(self.title, number, "Field", "This row has a value but no field name."))
                continue
            column = self._find_column(parsing.text(label), by_field=raw.by_field)
            cell = _cell_ref(kind_of_file, value_at, number)
            if column is None:
                known = ", ".join(column.header for column in self.columns)
                row.problems.append(
                    Problem(
                        self.title,
                        number,
                        "Field",
                        f"“{parsing.text(label)[:60]}” is not a field of the plan. The fields are: {known}.",
                        _cell_ref(kind_of_file, field_at, number),
                    )
                )
                continue
            if column.field in row.where:
                row.problems.append(
                    Problem(
                        self.title,
                        number,
                        "Field",
                        f"“{column.header}” is also on row {row.where[column.field][0]}: give each field once.",
                    )
                )
                continue
            row.where[column.field] = (number, cell)
            if not column.read:
                continue
            try:
                row.values[column.field] = column.parse(_plain(value, escaped))
            except parsing.CellError as error:
                row.problems.append(Problem(self.title, number, column.header, str(error), cell))
        parsed.columns = [name for name in row.where if self.column(name).read]
        parsed.rows.append(row)
        return parsed

    def _find_duplicates(self, parsed: ParsedSheet):
        first_row = {}
        for row in parsed.rows:
            if any(row.values.get(name) in (None, "") for name in self.key_fields):
                continue
            row.key = self.row_key(row.values)
            if row.key in first_row:
                row.problem(
                    self,
                    self.key_fields[-1],
                    f"{self.describe(row.key)} is also on row {first_row[row.key]}: each appears once.",
                )
            else:
                first_row[row.key] = row.row

    # --- export -----------------------------------------------------------------------------------
    def export_rows(self, plan) -> list[dict]:
        raise NotImplementedError

    def blank_rows(self, template) -> list[dict]:
        """The rows of the blank template workbook (none by default)."""
        return []

    # --- import (ImportContext is exchange.importer.ImportContext) ---------------------------------
    def existing(self, ctx) -> dict:
        """key -> Existing, for the rows of the target plan (empty for a new plan)."""
        raise NotImplementedError

    def skip(self, row: ParsedRow, existing) -> bool:
        """True for a row that holds nothing to import (a placeholder of the blank template)."""
        return False

    def resolve(self, row: ParsedRow, ctx) -> None:
        """Turn names into what is stored (theme names into slugs …); record problems on the row."""

    def check(self, row: ParsedRow, merged: dict, ctx) -> None:
        """Rules across the row's fields and the other sheets; record problems on the row."""

    def validate(self, row: ParsedRow, existing, merged: dict, ctx) -> None:
        """The model's own validation of the row as it would be saved."""

    def write(self, change, ctx) -> None:
        raise NotImplementedError


def _failed(row: ParsedRow) -> set:
    return {problem.column for problem in row.problems}


@dataclass
class Existing:
    obj: Any
    values: dict


class ModelSheet(SheetMapping):
    """A mapping onto one model whose rows belong to the plan (parent "plan") or to one of its
    priorities (parent "priority", the first key column being the priority number)."""

    model: type = None
    parent: str = "plan"
    m2m: tuple[str, ...] = ()  # fields written after the row is saved

    # field name -> model attribute, where they differ; fields of `m2m` are not attributes
    attributes: dict[str, str] = {}

    def attribute(self, name: str) -> str:
        return self.attributes.get(name, name)

    def field_of(self, attribute: str) -> str | None:
        for name, attr in self.attributes.items():
            if attr == attribute:
                return name
        return attribute if self.column(attribute) else None

    def queryset(self, plan):
        if self.parent == "priority":
            return self.model.objects.filter(priority__plan=plan).select_related("priority")
        return self.model.objects.filter(plan=plan)

    def from_model(self, obj) -> dict:
        values = {}
        for column in self.columns:
            if column.field == "priority" and self.parent == "priority":
                values["priority"] = obj.priority.number
            elif column.field in self.m2m:
                continue
            elif column.read or hasattr(obj, self.attribute(column.field)):
                values[column.field] = getattr(obj, self.attribute(column.field), None)
        return values

    def to_model(self, values: dict) -> dict:
        return {
            self.attribute(name): value
            for name, value in values.items()
            if name not in self.m2m and not (name == "priority" and self.parent == "priority")
        }

    def export_rows(self, plan) -> list[dict]:
        return [self.from_model(obj) for obj in self.queryset(plan)]

    def existing(self, ctx) -> dict:
        if ctx.plan is None:
            return {}
        result = {}
        for obj in self.queryset(ctx.plan):
            values = self.from_model(obj)
            result[self.row_key(values)] = Existing(obj, values)
        return result

    def new_instance(self, key: tuple, ctx):
        values = dict(zip(self.key_fields, key, strict=True))
        obj = self.model(**self.to_model(values))
        if self.parent == "priority":
            priority = ctx.priorities.get(values["priority"])
            if priority is not None:
                obj.priority = priority
        elif ctx.plan is not None:
            obj.plan = ctx.plan
        return obj

    def check(self, row, merged, ctx):
        number = row.values.get("priority")
        if self.parent == "priority" and number is not None and number not in ctx.priority_numbers:
            message = f"There is no priority {number}: add it to the Priorities sheet, or correct the number."
            row.problem(self, "priority", message)

    def validate(self, row, existing, merged, ctx):
        obj = copy.copy(existing.obj) if existing else self.new_instance(row.key, ctx)
        for attribute, value in self.to_model(merged).items():
            setattr(obj, attribute, value)
        exclude = [self.parent, *self.m2m]
        try:
            obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            self.add_validation_problems(row, error)

    def add_validation_problems(self, row: ParsedRow, error: ValidationError):
        for attribute, messages in error.message_dict.items():
            name = None if attribute == NON_FIELD_ERRORS else self.field_of(attribute)
            column = self.column(name) if name else None
            for message in messages:
                if column is not None and message in ("This field cannot be blank.", "This field cannot be null."):
                    message = f"Enter the {column.header.lower()}."
                    if name not in row.where:
                        message += f" The sheet has no “{column.header}” column, so a new row needs it."
                row.problem(self, name if column else None, message)

    def write(self, change, ctx):
        obj = change.obj if change.obj is not None else self.new_instance(change.key, ctx)
        for attribute, value in self.to_model(change.values).items():
            setattr(obj, attribute, value)
        self.before_save(obj, change, ctx)
        obj.full_clean(exclude=list(self.m2m))
        if ctx.user is not None:
            obj._history_user = ctx.user
        obj.save()
        self.after_save(obj, change, ctx)
        return obj

    def before_save(self, obj, change, ctx):
        pass

    def after_save(self, obj, change, ctx):
        pass


# --- the registry ----------------------------------------------------------------------------------

_REGISTRY: dict[str, SheetMapping] = {}
_PROVIDERS: list[Callable] = []
_LOADED = False


def register(cls):
    """Class decorator: make the mapping part of every export and import of its domain."""
    mapping = cls()
    if not mapping.key or not mapping.title:
        raise ValueError(f"{cls.__name__} needs a key and a title.")
    for other in _REGISTRY.values():
        if (
            other.key != mapping.key
            and other.domain == mapping.domain
            and _normal(other.title) == _normal(mapping.title)
        ):
            raise ValueError(f"Two sheets are titled {mapping.title!r}.")
    _REGISTRY[mapping.key] = mapping
    return cls


def register_provider(function):
    """Decorator: function(template) -> mappings that a plan template defines (its custom tables)."""
    _PROVIDERS.append(function)
    return function


def load_modules():
    global _LOADED
    if not _LOADED:
        for name in SHEET_MODULES:
            importlib.import_module(name)
        _LOADED = True


def mappings(domain: str = "plan", template=None) -> list[SheetMapping]:
    """The registered mappings of a domain, and those the template defines, in sheet order."""
    load_modules()
    found = [m for m in _REGISTRY.values() if m.domain == domain]
    if template is not None:
        found += [m for provider in _PROVIDERS for m in provider(template) if m.domain == domain]
    return sorted(found, key=lambda m: (m.order, m.title))


def mapping_for(name, domain: str = "plan", template=None) -> SheetMapping | None:
    for mapping in mappings(domain, template):
        if mapping.matches(name):
            return mapping
    return None


def display(column: Column, value) -> str:
    if isinstance(value, datetime.date | datetime.datetime) and column.kind not in ("month", "date"):
        return str(value)
    return column.show(value)
