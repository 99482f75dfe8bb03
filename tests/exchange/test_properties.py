"""Property-based tests (hypothesis): whatever the file, the importer returns problems or imports it;
it never raises an unhandled error, never writes part of a file, and an import it accepted changes
nothing when run again."""

import datetime
import io
import json
import string

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from exchange import sheets as registry
from exchange import workbook
from exchange.importer import ImportRefused, Target, plan_import_apply, plan_import_preview
from plans.models import (
    Action,
    CriticalFunction,
    Decision,
    Milestone,
    Plan,
    PlanObjective,
    PlanSection,
    Priority,
    Risk,
    SupportNeeded,
    Theme,
)
from tests.exchange.helpers import make_xlsx
from tests.factories import PlanFactory, fill_plan

pytestmark = pytest.mark.django_db

MODELS = [
    Plan,
    PlanSection,
    PlanObjective,
    Priority,
    Action,
    Milestone,
    Decision,
    Risk,
    CriticalFunction,
    SupportNeeded,
]
PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


def counts():
    """Rows of the plan tables and of their history tables."""
    result = {}
    for model in MODELS:
        result[model._meta.label] = model.objects.count()
        if hasattr(model, "history"):
            result[f"{model._meta.label} history"] = model.history.count()
    return result


MAPPINGS = registry.mappings("plan")
TITLES = [mapping.title for mapping in MAPPINGS]
HEADERS = sorted({column.header for mapping in MAPPINGS for column in mapping.columns} | {"Field", "Value", "About"})

# Values a person might type, values a spreadsheet might hold, and values nobody should.
TYPED = [
    "1",
    "2",
    "1.1",
    "1.2",
    "2.1",
    "0",
    "-1",
    "1.1.1",
    "A",
    "b",
    "April 2013",
    "Apr-13",
    "01/04/2013",
    "Smarch 2013",
    "(12.3)",
    "£1,234.5",
    "12,34",
    "Yes",
    "No",
    "Maybe",
    "Completed",
    "Focus",
    "Prevention",
    "Bold Steps for Kent 1",
    "2013-14",
    "DIV",
    "=1+1",
    "'=x",
    "'- bullet",
    "x" * 400,
    "",
]
cells = st.one_of(
    st.none(),
    st.sampled_from(TYPED),
    st.text(alphabet=string.printable + "£–é", max_size=25),
    st.integers(min_value=-3, max_value=40),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.booleans(),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(2200, 1, 1)),
)
headings = st.one_of(st.sampled_from(HEADERS), st.text(alphabet=string.ascii_letters + " ", min_size=1, max_size=12))
sheet_names = st.one_of(
    st.sampled_from([*TITLES, "Instructions"]), st.text(alphabet=string.ascii_letters, min_size=1, max_size=10)
)


@st.composite
def sheet_rows(draw):
    header = draw(st.lists(headings, min_size=1, max_size=8))
    width = len(header) + draw(st.integers(0, 1))
    rows = draw(st.lists(st.lists(cells, min_size=0, max_size=width), max_size=6))
    return [header, *rows]


@st.composite
def workbooks(draw):
    names = draw(st.lists(sheet_names, min_size=1, max_size=4, unique_by=str.lower))
    return {name[:31]: draw(sheet_rows()) for name in names}


@st.composite
def well_shaped_workbooks(draw):
    """Sheets with the right names and headings, filled with values right and wrong: the likeliest mistakes."""
    chosen = draw(st.lists(st.sampled_from(MAPPINGS), min_size=1, max_size=4, unique_by=lambda m: m.key))
    book = {}
    for mapping in chosen:
        if mapping.layout == registry.FIELDS:
            labels = draw(st.lists(st.sampled_from([c.header for c in mapping.columns]), max_size=8))
            book[mapping.title] = [["Field", "Value"], *[[label, draw(cells)] for label in labels]]
        else:
            columns = [c.header for c in mapping.columns]
            rows = draw(st.lists(st.lists(cells, min_size=len(columns), max_size=len(columns)), min_size=1, max_size=5))
            book[mapping.title] = [columns, *rows]
    return book


VALID = {
    "text": st.text(alphabet=string.ascii_letters + " -=+@'£–é\n", max_size=30),
    "short_text": st.text(alphabet=string.ascii_letters + " -=+@'£", max_size=20),
    "code": st.sampled_from(["A", "b", "C", "G"]),
    "integer": st.integers(min_value=1, max_value=4),
    "decimal1": st.sampled_from(["1,234.5", 757.2, "0", 12, None]),
    "money": st.sampled_from(["(12.3)", "£1,234.5", 0, None]),
    "fte": st.sampled_from(["12.25", 3, "0", None]),
    "number": st.sampled_from(["1,234", "(12.3)", 3.8, None]),
    "month": st.one_of(st.none(), st.sampled_from(["April 2013", "Apr-13", "01/03/2014", "2013-09"])),
    "date": st.one_of(st.none(), st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2030, 1, 1))),
    "year": st.sampled_from(["2013-14", None]),
    "yes_no": st.sampled_from(["Yes", "No", None, True]),
    "action": st.sampled_from(["1", "1.1", "1.2", "2", "2.1"]),
    "letter": st.sampled_from(["A", "B", "c"]),
    "names": st.sampled_from(["Prevention", "", None]),
    "choice": st.none(),
}


KEY_POOLS = {"action": ["1", "1.1", "1.2", "2", "2.1"], "letter": ["A", "B", "c", "D", "E"], "code": list("ABCDE")}


@st.composite
def mostly_valid_workbooks(draw):
    """Sheets of the right shape whose values are of the right kind (keys distinct, priorities that
    exist), now and then spoilt by any value at all."""
    usable = [m for m in MAPPINGS if m.key not in ("plan", "corporate_objectives")]
    chosen = draw(st.lists(st.sampled_from(usable), min_size=1, max_size=4, unique_by=lambda m: m.key))
    book = {}
    for mapping in chosen:
        columns = [c for c in mapping.columns if c.read]
        rows = []
        for index in range(draw(st.integers(1, 5))):
            row = []
            for column in columns:
                if draw(st.integers(0, 29)) == 0:
                    row.append(draw(cells))
                elif column.field == "priority":
                    row.append(draw(st.integers(1, 2)) if mapping.key != "priorities" else index + 1)
                elif column.key:
                    row.append(KEY_POOLS.get(column.kind, range(1, 6))[index])
                elif column.kind == "choice":
                    row.append(draw(st.sampled_from([None, *[label for _, label in column.choices]])))
                elif column.field == "objectives":
                    row.append(None)
                elif column.kind in ("text", "short_text"):
                    row.append(draw(VALID[column.kind].filter(str.strip)))
                else:
                    row.append(draw(VALID[column.kind]))
            rows.append(row)
        book[mapping.title] = [[c.header for c in columns], *rows]
    return book


def xlsx_bytes(sheets) -> bytes:
    clean = {
        name: [[workbook._ILLEGAL_XML.sub("", v) if isinstance(v, str) else v for v in row] for row in rows]
        for name, rows in sheets.items()
    }
    return make_xlsx(clean)


@pytest.fixture
def plan(division):
    plan = fill_plan(PlanFactory(unit=division, version_label="Draft v 1"), priorities=2, actions=2)
    plan.template.slug = "divisional-2013-14"
    plan.template.save()
    Theme.objects.get_or_create(slug="prevention", name="Prevention")
    return plan


def import_or_refuse(name, data, target):
    """The property: a file is refused whole, or imported whole and then idempotent; nothing else."""
    with transaction.atomic():
        before = counts()
        try:
            book = workbook.read_upload(name, data)
        except workbook.FileRefused as refused:
            message = str(refused)
            assert message
            return
        first = plan_import_preview(book=book, target=target)
        try:
            imported = plan_import_apply(book=book, target=target, fingerprint=first.fingerprint)
        except ImportRefused as refused:
            problems = refused.preview.problems
            assert problems
            assert all(problem.message for problem in problems)
            assert counts() == before
        else:
            assert first.ok
            again = plan_import_preview(book=book, target=Target(plan_id=imported.pk))
            assert again.problems == []
            assert again.change_count == 0, [c.label for s in again.sheets for c in s.changes]
        transaction.set_rollback(True)


@PROPERTY_SETTINGS
@given(sheets=workbooks())
def test_any_workbook_is_refused_whole_or_imported_whole(plan, sheets):
    import_or_refuse("plan.xlsx", xlsx_bytes(sheets), Target(plan_id=plan.pk))


@PROPERTY_SETTINGS
@given(sheets=well_shaped_workbooks())
def test_any_well_shaped_workbook_is_refused_whole_or_imported_whole(plan, sheets):
    import_or_refuse("plan.xlsx", xlsx_bytes(sheets), Target(plan_id=plan.pk))


@PROPERTY_SETTINGS
@given(sheets=mostly_valid_workbooks())
def test_any_mostly_valid_workbook_is_refused_whole_or_imported_whole(plan, sheets):
    import_or_refuse("plan.xlsx", xlsx_bytes(sheets), Target(plan_id=plan.pk))


@PROPERTY_SETTINGS
@given(sheets=well_shaped_workbooks(), label=st.sampled_from(["Draft v 1", "Generated"]))
def test_any_well_shaped_workbook_for_a_new_plan_is_refused_whole_or_imported_whole(plan, sheets, label):
    plan_sheet = [["Field", "Value"], ["Unit", "DIV"], ["Year", "2013-14"], ["Template", "divisional-2013-14"]]
    sheets = {"Plan": plan_sheet + sheets.get("Plan", [[]])[1:], **{k: v for k, v in sheets.items() if k != "Plan"}}
    import_or_refuse("plan.xlsx", xlsx_bytes(sheets), Target(version_label=label))


@PROPERTY_SETTINGS
@given(text=st.text(max_size=400), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]))
def test_any_csv_text_is_refused_whole_or_imported_whole(plan, text, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    import_or_refuse("table.csv", data, Target(plan_id=plan.pk))


@PROPERTY_SETTINGS
@given(
    rows=st.lists(st.lists(st.sampled_from(TYPED), min_size=1, max_size=7), min_size=1, max_size=6),
    sheet=st.sampled_from(MAPPINGS),
)
def test_any_csv_of_a_table_is_refused_whole_or_imported_whole(plan, rows, sheet):
    header = [column.header for column in sheet.columns] if sheet.layout != registry.FIELDS else ["Field", "Value"]
    buffer = io.StringIO()
    import csv

    csv.writer(buffer).writerows([header, *rows])
    import_or_refuse("table.csv", buffer.getvalue().encode(), Target(plan_id=plan.pk))


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-5, 50), st.floats(allow_nan=False), st.sampled_from(TYPED)),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.sampled_from(HEADERS), children, max_size=3)
    ),
    max_leaves=10,
)


@PROPERTY_SETTINGS
@given(
    tables=st.dictionaries(
        st.sampled_from([m.key for m in MAPPINGS] + ["unknown"]),
        st.one_of(
            json_values,
            st.lists(
                st.dictionaries(
                    st.sampled_from([c.field for m in MAPPINGS for c in m.columns]), json_values, max_size=5
                ),
                max_size=4,
            ),
        ),
        max_size=4,
    ),
    version=st.sampled_from([1, 1, 2, "1", None]),
)
def test_any_json_document_is_refused_whole_or_imported_whole(plan, tables, version):
    data = json.dumps({"format": "kent-plans/plan", "version": version, "tables": tables}).encode()
    import_or_refuse("plan.json", data, Target(plan_id=plan.pk))


@PROPERTY_SETTINGS
@given(data=st.binary(max_size=300), name=st.sampled_from(["plan.xlsx", "plan.csv", "plan.json"]))
def test_any_bytes_are_refused_or_read(plan, data, name):
    import_or_refuse(name, data, Target(plan_id=plan.pk))


@PROPERTY_SETTINGS
@example(position=189870, byte=221)  # once raised NotImplementedError from zipfile (found by this test)
@given(position=st.integers(min_value=0), byte=st.integers(0, 255))
def test_a_damaged_workbook_is_refused_or_read_never_an_error(plan, position, byte):
    data = bytearray(make_xlsx({"Risks": [["Number", "Risk"], [1, "A risk"], [2, "Another"]]}))
    data[position % len(data)] = byte
    import_or_refuse("plan.xlsx", bytes(data), Target(plan_id=plan.pk))


@pytest.fixture
def custom_plan(plan):
    from plans.models import TableColumn, TableKind, TableRow, TemplateSectionTable

    table = TemplateSectionTable.objects.create(
        section=plan.template.sections.get(code="C"), kind=TableKind.CUSTOM, order=2, slug="projects", title="Projects"
    )
    types = TableColumn.DataType
    for order, (key, data_type, required, choices) in enumerate(
        [
            ("project", types.TEXT, True, ""),
            ("notes", types.LONG_TEXT, False, ""),
            ("cost", types.MONEY, False, ""),
            ("clients", types.NUMBER, False, ""),
            ("target", types.MONTH, False, ""),
            ("signed", types.DATE, False, ""),
            ("statutory", types.YES_NO, False, ""),
            ("rating", types.CHOICE, False, "High\nLow"),
        ],
        start=1,
    ):
        TableColumn.objects.create(
            table=table,
            order=order,
            key=key,
            heading=key.title(),
            data_type=data_type,
            required=required,
            choices=choices,
        )
    TableRow.objects.create(plan=plan, table=table, number=1, values={"project": "Existing", "cost": "1.0"})
    return plan


CUSTOM_VALUES = {
    "Project": st.one_of(st.text(alphabet=string.ascii_letters + " -=", max_size=12), cells),
    "Notes": st.one_of(st.text(alphabet=string.ascii_letters + "\n -", max_size=12), cells),
    "Cost": st.one_of(st.sampled_from(["(12.3)", "£1,234.5", "0", "1.25", None]), cells),
    "Clients": st.one_of(st.sampled_from(["3.75", "12", "1,000", None]), cells),
    "Target": st.one_of(st.sampled_from(["April 2013", "Apr-13", None]), cells),
    "Signed": st.one_of(st.sampled_from(["16/12/2012", "2013-04-15", None]), cells),
    "Statutory": st.one_of(st.sampled_from(["Yes", "No", None]), cells),
    "Rating": st.one_of(st.sampled_from(["High", "low", "Urgent", None]), cells),
}


@PROPERTY_SETTINGS
@given(
    columns=st.lists(st.sampled_from(list(CUSTOM_VALUES)), unique=True, max_size=8),
    data=st.data(),
)
def test_any_custom_table_sheet_is_refused_whole_or_imported_whole(custom_plan, columns, data):
    rows = [
        [number, *[data.draw(CUSTOM_VALUES[name]) for name in columns]]
        for number in data.draw(st.lists(st.integers(1, 4), min_size=1, max_size=4, unique=True))
    ]
    import_or_refuse("plan.xlsx", xlsx_bytes({"Projects": [["Row", *columns], *rows]}), Target(plan_id=custom_plan.pk))
