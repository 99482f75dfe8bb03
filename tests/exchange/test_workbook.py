"""Reading uploads: what cannot be read at all is refused with one clear message; formulas are kept
as such for the importer to refuse with their cell; exported text never runs as a formula."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exchange import workbook
from exchange.workbook import FileRefused, Formula
from tests.exchange.helpers import make_xlsx


def refused(name, data) -> str:
    with pytest.raises(FileRefused) as error:
        workbook.read_upload(name, data)
    return str(error.value)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "plan.pdf",
            b"%PDF-1.4",
            "The file must be an Excel Workbook (.xlsx), a CSV file (.csv) or a Kent Plans JSON export (.json).",
        ),
        (
            "plan",
            b"x",
            "The file must be an Excel Workbook (.xlsx), a CSV file (.csv) or a Kent Plans JSON export (.json).",
        ),
        (
            "plan.xls",
            b"\xd0\xcf\x11\xe0",
            "“plan.xls” is not an Excel Workbook (.xlsx): open it in your spreadsheet program and save it as an Excel "
            "Workbook (.xlsx), then upload that.",
        ),
        (
            "plan.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest",
            "The file is an older Excel file (.xls) renamed .xlsx: open it in Excel, save it as an Excel Workbook "
            "(.xlsx) and upload that.",
        ),
        ("plan.xlsx", b"", "The file is empty: choose the completed spreadsheet."),
        ("plan.csv", b"", "The file is empty: choose the completed spreadsheet."),
        ("plan.csv", b"\n\n  \n", "The file is empty: it has no heading row and no rows."),
        (
            "plan.xlsx",
            b"Priority,Number\n1,1\n",
            "The file could not be read as an Excel Workbook (.xlsx): it may be damaged or in another format. Open it "
            "in your spreadsheet program, save it as an Excel Workbook (.xlsx) and upload it again.",
        ),
        (
            "plan.xlsx",
            b"PK\x03\x04 but not really a zip",
            "The file could not be read as an Excel Workbook (.xlsx): it may be damaged or in another format. Open it "
            "in your spreadsheet program, save it as an Excel Workbook (.xlsx) and upload it again.",
        ),
        (
            "plan.csv",
            b"Priority,Number\x00\n",
            "The file is not a CSV text file (it holds binary data). If it is a spreadsheet, save it as CSV or upload "
            "the Excel Workbook (.xlsx) itself.",
        ),
        (
            "plan.json",
            b"{not json",
            "The file is not valid JSON: download a fresh export, or check the file with a JSON validator.",
        ),
        (
            "plan.json",
            b'{"format": "something-else"}',
            "The JSON file is not a Kent Plans plan export: its “format” must be “kent-plans/plan”. Download a plan as "
            "JSON to see the format.",
        ),
        (
            "plan.json",
            b'{"format": "kent-plans/plan", "version": 2, "tables": {}}',
            "The JSON file is in version 2 of the plan format; this installation reads version 1. Export it again "
            "from an installation of the same version, or ask for Kent Plans to be updated.",
        ),
        (
            "plan.json",
            b'{"format": "kent-plans/plan", "version": 1, "tables": {"actions": {"a": 1}}}',
            "In the JSON file, “actions” must be a list of rows.",
        ),
    ],
)
def test_files_that_cannot_be_read_are_refused_with_a_clear_message(name, data, message):
    assert refused(name, data) == message


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    message = refused("plan.csv", b"a" * (workbook.MAX_BYTES + 1))
    assert message == (
        "The file is 5.0 MB: the largest file accepted is 5 MB. Split it into several files, for example one sheet "
        "at a time."
    )


def test_a_workbook_that_unpacks_to_far_more_than_its_size_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (workbook.MAX_UNPACKED_BYTES + 1))
    assert len(buffer.getvalue()) < workbook.MAX_BYTES
    assert refused("plan.xlsx", buffer.getvalue()).startswith("The workbook unpacks to far more data than a plan holds")


@pytest.mark.parametrize(
    ("record", "offset", "byte"),
    [
        (b"PK\x01\x02", 6, 0xFF),  # "version needed to extract" beyond what Python reads: NotImplementedError
        (b"PK\x01\x02", 9, 0x08),  # the UTF-8 file name flag on a name that is not UTF-8
        (b"PK\x05\x06", 16, 0xFF),  # the central directory's offset out of the file
    ],
)
def test_a_damaged_zip_structure_is_refused_as_damaged(record, offset, byte):
    data = bytearray(make_xlsx({"Risks": [["Number", "Risk"], [1, "A risk"]]}))
    position = data.find(record) + offset
    data[position] = byte
    if record == b"PK\x01\x02" and offset == 9:
        name_at = data.find(record) + 46
        data[name_at] = 0xFF
    assert refused("plan.xlsx", bytes(data)).startswith("The file could not be read as an Excel Workbook (.xlsx)")


def test_a_workbook_with_macros_is_refused():
    data = make_xlsx({"Risks": [["Number", "Risk"], [1, "A risk"]]})
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/vbaProject.bin", b"macro")
    assert "contains macros" in refused("plan.xlsx", buffer.getvalue())


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Risk,Owner\nRising demand £,Anne\n".encode(), "Rising demand £"),
        ("\ufeffRisk,Owner\nRising demand £,Anne\n".encode(), "Rising demand £"),  # Excel's "CSV UTF-8"
        ("Risk,Owner\nRising demand £ – café,Anne\n".encode("cp1252"), "Rising demand £ – café"),  # Excel's "CSV"
    ],
)
def test_csv_is_read_as_utf_8_then_windows_1252(data, expected):
    book = workbook.read_upload("risks.csv", data)
    assert book.sheets[0].header == ["Risk", "Owner"]
    assert book.sheets[0].rows == [(2, [expected, "Anne"])]


def test_csv_in_neither_encoding_is_refused():
    # 0x81 and 0x8d are bytes that Windows-1252 does not define, and this is not UTF-8 either.
    assert refused("risks.csv", b"Risk,Owner\n\x81\x8d,Anne\n") == (
        "The characters in this CSV file could not be read: it is neither UTF-8 nor Windows-1252 text. In Excel "
        "choose Save As, then “CSV UTF-8 (Comma delimited)”, and upload that file."
    )


def test_csv_row_numbers_count_the_lines_of_the_file_including_blank_ones():
    book = workbook.read_upload("risks.csv", b'Number,Risk\n1,A\n\n3,"two\nlines"\n4,D\n')
    assert [number for number, _ in book.sheets[0].rows] == [2, 5, 6]


@pytest.mark.parametrize(
    ("cell", "formula"),
    [
        ("=SUM(A1:A3)", True),
        ("=1+1", True),
        ("+SUM(A1)", True),
        ("-cmd|' /C calc'!A0", True),
        ('@HYPERLINK("http://x")', True),
        ("-12.3", False),
        ("+44 1622 000000", False),
        ("- a bullet point", False),
        ("@ the meeting", False),
        ("Plain text", False),
    ],
)
def test_csv_cells_that_a_spreadsheet_would_run_are_formulas(cell, formula):
    book = workbook.read_upload("risks.csv", f'Number,Risk\n1,"{cell.replace(chr(34), chr(34) * 2)}"\n'.encode())
    value = book.sheets[0].rows[0][1][1]
    assert isinstance(value, Formula) is formula


def test_xlsx_formulas_are_kept_as_formulas_never_as_values():
    data = make_xlsx({"Risks": [["Number", "Risk"], [1, '=CONCAT("a","b")'], ["=1+1", "Text"]]})
    sheet = workbook.read_upload("plan.xlsx", data).sheets[0]
    assert sheet.rows[0] == (2, [1, Formula('=CONCAT("a","b")')])
    assert sheet.rows[1] == (3, [Formula("=1+1"), "Text"])


def test_xlsx_rows_keep_their_numbers_and_empty_rows_are_skipped():
    data = make_xlsx({"Risks": [["Number", "Risk"], [1, "A"], [None, None], [3, "C"]]})
    sheet = workbook.read_upload("plan.xlsx", data).sheets[0]
    assert sheet.header == ["Number", "Risk"]
    assert sheet.rows == [(2, [1, "A"]), (4, [3, "C"])]


def test_a_sheet_over_the_row_limit_is_marked_and_its_extra_rows_not_read(monkeypatch):
    monkeypatch.setattr(workbook, "MAX_ROWS", 3)
    data = make_xlsx({"Risks": [["Number", "Risk"]] + [[n, f"Risk {n}"] for n in range(1, 6)]})
    sheet = workbook.read_upload("plan.xlsx", data).sheets[0]
    assert sheet.too_many_rows
    assert len(sheet.rows) == 3


DANGEROUS = ["=SUM(A1)", "+1", "-x", "@x", "\tx", "'=x", "''+x"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_that_could_run_as_a_formula_is_neutralised_with_an_apostrophe(text):
    assert workbook.neutralise(text) == "'" + text
    assert workbook.restore(workbook.neutralise(text)) == text


@pytest.mark.parametrize("text", ["Plain", "'quoted' as printed", "", "1.1", "Risk - with a dash"])
def test_other_text_is_left_as_it_is(text):
    assert workbook.neutralise(text) == text
    assert workbook.restore(text) == text


def test_a_carriage_return_is_written_as_a_line_feed_so_no_cell_starts_with_one():
    assert workbook.neutralise("\rx") == "\nx"
    assert workbook.neutralise("a\r\nb") == "a\nb"


@given(st.text())
def test_restore_undoes_neutralise_for_any_text(text):
    clean = workbook._ILLEGAL_XML.sub("", text.replace("\r", "\n"))
    assert workbook.restore(workbook.neutralise(clean)) == clean


def test_an_exported_workbook_holds_no_formula_even_for_formula_like_text():
    data = workbook.write_xlsx(
        [workbook.SheetOut(title="Risks", header=["Number", "Risk"], rows=[[1, t] for t in DANGEROUS])]
    )
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Risks"]
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert {cell.data_type for cell in cells} == {"s"}
    assert [cell.value for cell in cells] == ["'" + text for text in DANGEROUS]
    # … and read back they are the text exported.
    rows = workbook.read_upload("plan.xlsx", data).sheets[0].rows
    assert [workbook.restore(values[1]) for _, values in rows] == DANGEROUS


def test_exported_csv_is_utf_8_with_a_byte_order_mark_and_neutralised():
    data = workbook.write_csv(["Risk", "Due"], [['=HYPERLINK("x")', datetime.date(2013, 4, 1)], ["£5 – café", None]])
    assert data.startswith("\ufeff".encode())
    assert data.decode("utf-8-sig").splitlines() == ["Risk,Due", '"\'=HYPERLINK(""x"")",01/04/2013', "£5 – café,"]


def test_a_raw_book_survives_the_session_as_json():
    data = make_xlsx(
        {"Actions": [["Priority", "Number", "Start"], [1, "1.1", datetime.datetime(2013, 4, 1)], [2, 1.5, "=A1"]]}
    )
    book = workbook.read_upload("plan.xlsx", data)
    import json

    again = workbook.RawBook.from_json(json.loads(json.dumps(book.to_json())))
    assert again == book
