"""Files in and out: an upload (XLSX, CSV or the JSON format) -> raw sheets of cell values; rows -> XLSX.

Reading refuses, with one clear message (FileRefused), what cannot be read at all: a wrong type, an
empty file, a file over the size limit, a workbook that is damaged or unpacks to far more than its
size (a "zip bomb"), a CSV file in an encoding other than UTF-8 or Windows-1252. Everything that can
be reported per cell (formulas, a sheet over the row limit, cells outside the headed columns) is
kept with the cell and reported by the importer with its sheet, row and column, so the officer
sees every problem at once.

Formula cells. An XLSX formula (=SUM(B2:B9)) is refused wherever it is: the import takes values
only. A CSV cell is text, so a CSV cell that Excel would run as a formula is refused too: one that
starts with "=", or with "+", "-" or "@" followed by a function or a link ("+SUM(", "@HYPERLINK(",
"-cmd|"). A CSV cell "-12.3" or "- a bullet point" is not a formula.

Neutralising on export. Every text cell that starts with = + - @ or a tab is written with an
apostrophe in front ('=SUM stays text in Excel, LibreOffice and Google Sheets), and so is one that
already starts with apostrophes followed by one of those characters, so that the mapping is exact
both ways. The import removes exactly one apostrophe from such a cell and from no other. Carriage
returns are written as line feeds, so no cell starts with one. (A cell typed in Excel as '=x is
stored by Excel as the text =x with a "quote prefix" style, and reads back as "=x" too.) The JSON
format is never neutralised: it is not opened by spreadsheets.
"""

import csv
import datetime
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath

from django.utils.text import slugify

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 60
# A 5 MB workbook of text unpacks to some tens of MB; anything far beyond is a zip bomb.
MAX_UNPACKED_BYTES = 80 * 1024 * 1024
MAX_SHEETS = 40

XLSX, CSV, JSON = "xlsx", "csv", "json"
KINDS = {".xlsx": XLSX, ".csv": CSV, ".json": JSON}

_DANGEROUS_START = re.compile(r"^'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")
_CSV_FORMULA = re.compile(r"^(?:=|[+\-@]\s*[A-Za-z_][A-Za-z0-9_.]*\s*[(|!])")
# Characters XML 1.0 cannot hold (openpyxl refuses them): dropped on export.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class FileRefused(Exception):
    """The upload cannot be read at all; str(error) is the message for the officer."""


@dataclass(frozen=True)
class Formula:
    """A cell that holds a formula (never its value): the importer refuses it with its reference."""

    text: str


@dataclass(frozen=True)
class ErrorValue:
    """A cell showing an Excel error such as #REF! or #DIV/0!."""

    text: str


@dataclass
class RawSheet:
    """One sheet (or the one table of a CSV file) as found: the heading row and the rows under it.

    `rows` holds (row number in the file, cell values in heading order); for the JSON format the row
    number is the item's position in its list and the headings are the JSON keys (`by_field`).
    `too_many_rows` is set when the sheet has more rows than MAX_ROWS: those are not read.
    """

    name: str | None
    header: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    by_field: bool = False
    too_many_rows: bool = False
    too_many_columns: bool = False
    header_row: int | None = 1


@dataclass
class RawBook:
    kind: str
    filename: str
    sheets: list[RawSheet] = field(default_factory=list)
    escaped: bool = True  # XLSX and CSV text cells may carry the export's apostrophe

    # --- kept in the session between the preview and the confirmation --------------------------
    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "filename": self.filename,
            "escaped": self.escaped,
            "sheets": [
                {
                    "name": sheet.name,
                    "header": [_cell_to_json(value) for value in sheet.header],
                    "rows": [[number, [_cell_to_json(value) for value in cells]] for number, cells in sheet.rows],
                    "by_field": sheet.by_field,
                    "too_many_rows": sheet.too_many_rows,
                    "too_many_columns": sheet.too_many_columns,
                    "header_row": sheet.header_row,
                }
                for sheet in self.sheets
            ],
        }

    @classmethod
    def from_json(cls, data: dict) -> "RawBook":
        return cls(
            kind=data["kind"],
            filename=data["filename"],
            escaped=data["escaped"],
            sheets=[
                RawSheet(
                    name=sheet["name"],
                    header=[_cell_from_json(value) for value in sheet["header"]],
                    rows=[(number, [_cell_from_json(value) for value in cells]) for number, cells in sheet["rows"]],
                    by_field=sheet["by_field"],
                    too_many_rows=sheet["too_many_rows"],
                    too_many_columns=sheet["too_many_columns"],
                    header_row=sheet["header_row"],
                )
                for sheet in data["sheets"]
            ],
        )


def _cell_to_json(value):
    if isinstance(value, datetime.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, datetime.time):
        return {"$time": value.isoformat()}
    if isinstance(value, datetime.timedelta):
        return {"$seconds": value.total_seconds()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, Formula):
        return {"$formula": value.text}
    if isinstance(value, ErrorValue):
        return {"$error": value.text}
    if isinstance(value, list):
        return {"$list": [_cell_to_json(item) for item in value]}
    if isinstance(value, dict):
        return {"$object": True}
    return value


def _cell_from_json(value):
    if not isinstance(value, dict):
        return value
    ((tag, payload),) = value.items()
    return {
        "$datetime": lambda: datetime.datetime.fromisoformat(payload),
        "$date": lambda: datetime.date.fromisoformat(payload),
        "$time": lambda: datetime.time.fromisoformat(payload),
        "$seconds": lambda: datetime.timedelta(seconds=payload),
        "$decimal": lambda: Decimal(payload),
        "$formula": lambda: Formula(payload),
        "$error": lambda: ErrorValue(payload),
        "$list": lambda: [_cell_from_json(item) for item in payload],
        "$object": lambda: {},
    }[tag]()


# --- neutralising ----------------------------------------------------------------------------------


def neutralise(value):
    """Text that a spreadsheet could run as a formula -> the same text with an apostrophe in front."""
    if isinstance(value, str):
        # XML turns a carriage return into a line feed anyway (and the import reads both as one).
        value = _ILLEGAL_XML.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
        if _DANGEROUS_START.match(value):
            return "'" + value
    return value


def restore(value):
    """The inverse of neutralise(): one apostrophe removed, and only from a neutralised cell."""
    if isinstance(value, str) and _ESCAPED.match(value):
        return value[1:]
    return value


def looks_like_csv_formula(value) -> bool:
    return isinstance(value, str) and bool(_CSV_FORMULA.match(value))


# --- reading ---------------------------------------------------------------------------------------


def kind_of(filename: str) -> str:
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in KINDS:
        return KINDS[suffix]
    if suffix in {".xls", ".xlsm", ".xlsb", ".ods", ".numbers"}:
        raise FileRefused(
            f"“{PurePath(filename).name}” is not an Excel Workbook (.xlsx): open it in your spreadsheet program and "
            "save it as an Excel Workbook (.xlsx), then upload that."
        )
    raise FileRefused(
        "The file must be an Excel Workbook (.xlsx), a CSV file (.csv) or a Kent Plans JSON export (.json)."
    )


def read_upload(filename: str, data: bytes) -> RawBook:
    """The upload's bytes -> a RawBook, or FileRefused with the reason."""
    kind = kind_of(filename)
    if not data:
        raise FileRefused("The file is empty: choose the completed spreadsheet.")
    if len(data) > MAX_BYTES:
        raise FileRefused(
            f"The file is {len(data) / 1024 / 1024:.1f} MB: the largest file accepted is "
            f"{MAX_BYTES // 1024 // 1024} MB. Split it into several files, for example one sheet at a time."
        )
    name = PurePath(filename).name
    if kind == XLSX:
        return read_xlsx(name, data)
    if kind == CSV:
        return read_csv(name, data)
    return read_json(name, data)


def read_path(path) -> RawBook:
    """A file named on the command line (a pathlib.Path), read as an upload of that name."""
    if not path.is_file():
        raise FileRefused(f"There is no file {path}.")
    return read_upload(path.name, path.read_bytes()[: MAX_BYTES + 1])


def read_upload_file(uploaded) -> RawBook:
    """A Django UploadedFile -> RawBook; reads at most one byte past the limit."""
    if uploaded.size is not None and uploaded.size > MAX_BYTES:
        raise FileRefused(
            f"The file is {uploaded.size / 1024 / 1024:.1f} MB: the largest file accepted is "
            f"{MAX_BYTES // 1024 // 1024} MB. Split it into several files, for example one sheet at a time."
        )
    uploaded.seek(0)
    return read_upload(uploaded.name, uploaded.read(MAX_BYTES + 1))


def _damaged(kind="Excel Workbook (.xlsx)") -> FileRefused:
    return FileRefused(
        f"The file could not be read as an {kind}: it may be damaged or in another format. "
        "Open it in your spreadsheet program, save it as an Excel Workbook (.xlsx) and upload it again."
    )


def read_xlsx(filename: str, data: bytes) -> RawBook:
    import openpyxl

    if data[:2] == b"\xd0\xcf":
        raise FileRefused(
            "The file is an older Excel file (.xls) renamed .xlsx: open it in Excel, save it as an "
            "Excel Workbook (.xlsx) and upload that."
        )
    if data[:4] != b"PK\x03\x04":
        raise _damaged()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise FileRefused(
                    "The workbook unpacks to far more data than a plan holds: it cannot be imported. "
                    "Save the plan's sheets in a new workbook and upload that."
                )
            if "xl/vbaProject.bin" in archive.namelist():
                raise FileRefused(
                    "The workbook contains macros: save it as an Excel Workbook (.xlsx), without macros, and upload it."
                )
    except FileRefused:
        raise
    except Exception as error:  # BadZipFile, and NotImplementedError, UnicodeDecodeError … from a damaged one
        raise _damaged() from error

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds (KeyError, ValueError, InvalidFileException …)
        raise _damaged() from error
    try:
        worksheets = workbook.worksheets
        if len(worksheets) > MAX_SHEETS:
            raise FileRefused(f"The workbook has {len(worksheets)} sheets: a plan workbook has at most {MAX_SHEETS}.")
        book = RawBook(kind=XLSX, filename=filename)
        for worksheet in worksheets:
            sheet = RawSheet(name=worksheet.title)
            # Read-only worksheets yield every row from the first, empty ones included, so the
            # position is the row number.
            for row_number, cells in enumerate(worksheet.iter_rows(), start=1):
                values = [_xlsx_value(cell) for cell in cells[: MAX_COLUMNS + 1]]
                if len(values) > MAX_COLUMNS and _filled(values[MAX_COLUMNS]):
                    sheet.too_many_columns = True
                values = values[:MAX_COLUMNS]
                while values and not _filled(values[-1]):
                    values.pop()
                if not values:
                    continue
                if not sheet.header:
                    sheet.header, sheet.header_row = values, row_number
                elif len(sheet.rows) >= MAX_ROWS:
                    sheet.too_many_rows = True
                    break
                else:
                    sheet.rows.append((row_number, values))
            book.sheets.append(sheet)
        return book
    except FileRefused:
        raise
    except Exception as error:  # a damaged part that only shows while reading the rows
        raise _damaged() from error
    finally:
        workbook.close()


def _xlsx_value(cell):
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    value = getattr(cell, "value", None)
    data_type = getattr(cell, "data_type", None)
    if isinstance(value, ArrayFormula | DataTableFormula):
        return Formula(getattr(value, "text", None) or "=")
    if data_type == "f":
        return Formula(str(value))
    if data_type == "e":
        return ErrorValue(str(value))
    return value


def _filled(value) -> bool:
    return value is not None and not (isinstance(value, str) and value.strip() == "")


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without the byte-order mark Excel writes), else Windows-1252 (Excel's "CSV" on
    Windows), else refused."""
    if b"\x00" in data:
        raise FileRefused(
            "The file is not a CSV text file (it holds binary data). If it is a spreadsheet, save it as CSV "
            "or upload the Excel Workbook (.xlsx) itself."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise FileRefused(
            "The characters in this CSV file could not be read: it is neither UTF-8 nor Windows-1252 text. "
            "In Excel choose Save As, then “CSV UTF-8 (Comma delimited)”, and upload that file."
        ) from error


def read_csv(filename: str, data: bytes) -> RawBook:
    text = decode_csv(data)
    sheet = RawSheet(name=None)
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        for values in reader:
            values = [value if value.strip() != "" else None for value in values]
            if len(values) > MAX_COLUMNS and any(_filled(v) for v in values[MAX_COLUMNS:]):
                sheet.too_many_columns = True
            values = values[:MAX_COLUMNS]
            while values and values[-1] is None:
                values.pop()
            if not values:
                continue
            values = [Formula(value) if looks_like_csv_formula(value) else value for value in values]
            if not sheet.header:
                sheet.header = values
                sheet.header_row = reader.line_num
                continue
            if len(sheet.rows) >= MAX_ROWS:
                sheet.too_many_rows = True
                break
            sheet.rows.append((reader.line_num, values))
    except csv.Error as error:
        raise FileRefused(
            f"The file could not be read as CSV: {error}. Save it from your spreadsheet as “CSV UTF-8 (Comma "
            "delimited)” and upload it again."
        ) from error
    if not sheet.header:
        raise FileRefused("The file is empty: it has no heading row and no rows.")
    return RawBook(kind=CSV, filename=filename, sheets=[sheet])


def read_json(filename: str, data: bytes) -> RawBook:
    """The JSON format (exchange/json_format.py): its tables become raw sheets keyed by field."""
    from exchange import json_format

    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise FileRefused(
            "The file is not valid JSON: download a fresh export, or check the file with a JSON validator."
        ) from error
    return json_format.to_raw_book(document, filename=filename)


# --- writing ---------------------------------------------------------------------------------------


@dataclass
class SheetOut:
    """A sheet to write: headings, rows of cell values, and per-column widths and number formats."""

    title: str
    header: list[str]
    rows: list[list]
    widths: list[int] = field(default_factory=list)
    formats: list[str | None] = field(default_factory=list)
    wrap: list[bool] = field(default_factory=list)
    validations: list[tuple[int, list[str]]] = field(default_factory=list)  # (column index, allowed values)
    heading_row: bool = True
    cell_formats: dict[tuple[int, int], str] = field(default_factory=dict)  # (row index, column index) -> format


def write_xlsx(sheets: list[SheetOut]) -> bytes:
    """The sheets -> XLSX bytes; every text cell neutralised, headings bold, the heading row frozen."""
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for out in sheets:
        worksheet = workbook.create_sheet(title=out.title[:31])
        start = 1
        if out.heading_row:
            for column, heading in enumerate(out.header, start=1):
                cell = worksheet.cell(row=1, column=column, value=neutralise(heading))
                cell.font = bold
            worksheet.freeze_panes = "A2"
            start = 2
        for row_index, row in enumerate(out.rows, start=start):
            for column, value in enumerate(row, start=1):
                cell = worksheet.cell(row=row_index, column=column, value=neutralise(value))
                position = column - 1
                number_format = out.cell_formats.get((row_index - start, position)) or (
                    out.formats[position] if position < len(out.formats) else None
                )
                if number_format:
                    cell.number_format = number_format
                cell.alignment = wrap if position < len(out.wrap) and out.wrap[position] else top
        last_row = max(len(out.rows) + start - 1, start) + 500
        for position, width in enumerate(out.widths):
            letter = get_column_letter(position + 1)
            worksheet.column_dimensions[letter].width = width
            if position < len(out.formats) and out.formats[position] == "@":
                # Text columns stay text when someone types into them ("1.10" must not become 1.1).
                for row_index in range(len(out.rows) + start, last_row + 1, 1):
                    worksheet.cell(row=row_index, column=position + 1).number_format = "@"
        for position, allowed in out.validations:
            letter = get_column_letter(position + 1)
            validation = DataValidation(
                type="list", formula1='"' + ",".join(allowed) + '"', allow_blank=True, showErrorMessage=False
            )
            worksheet.add_data_validation(validation)
            validation.add(f"{letter}{start}:{letter}{last_row}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_csv(header: list[str], rows: list[list]) -> bytes:
    """One table -> CSV bytes (UTF-8 with the byte-order mark, so Excel reads £ and accents), neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(value) for value in header])
    for row in rows:
        writer.writerow(["" if value is None else neutralise(_csv_text(value)) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_text(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def download_name(*parts, suffix: str) -> str:
    return "-".join(slugify(str(part)) for part in parts if part) + suffix
