"""Custom tables (a template's own tables, plans.TableRow): a sheet each, read and written by the same
rules as the model, and every seed plan round-trips with them."""

import datetime
import io
import json

import openpyxl
import pytest

from exchange import exporter, json_format
from exchange.seeds import load_all
from plans.models import Plan, TableColumn, TableKind, TableRow, TemplateSectionTable
from tests.exchange.helpers import apply, make_xlsx, preview, problems_text, row_counts, snapshot
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db

Types = TableColumn.DataType


@pytest.fixture
def projects(division):
    plan = PlanFactory(unit=division, version_label="Draft v 1")
    section = plan.template.sections.get(code="C")
    table = TemplateSectionTable.objects.create(
        section=section, kind=TableKind.CUSTOM, order=2, slug="projects", title="Projects: high risk/high profile"
    )
    for order, (key, heading, data_type, extra) in enumerate(
        [
            ("project", "Project", Types.TEXT, {"required": True}),
            ("deliverables", "Deliverables", Types.LONG_TEXT, {}),
            ("cost", "Cost", Types.MONEY, {}),
            ("clients", "Clients", Types.NUMBER, {}),
            ("target", "Target date", Types.MONTH, {}),
            ("signed", "Signed off", Types.DATE, {}),
            ("statutory", "Statutory?", Types.YES_NO, {}),
            ("rating", "Rating", Types.CHOICE, {"choices": "High\nMedium\nLow"}),
        ],
        start=1,
    ):
        TableColumn.objects.create(table=table, order=order, key=key, heading=heading, data_type=data_type, **extra)
    TableRow.objects.create(
        plan=plan,
        table=table,
        number=1,
        values={
            "project": "Supporting Independence",
            "deliverables": "- 200 people\n- =targets met",
            "cost": "-12.3",
            "clients": "3.75",
            "target": "2014-03",
            "signed": "2013-04-15",
            "statutory": False,
            "rating": "High",
        },
    )
    TableRow.objects.create(plan=plan, table=table, number=2, values={"project": "Short Term Recovery"})
    return plan


def xlsx(plan):
    return exporter.plan_workbook(exporter.export_plans().get(pk=plan.pk))


def test_a_custom_table_has_its_own_sheet_with_its_columns(projects):
    book = openpyxl.load_workbook(io.BytesIO(xlsx(projects)))
    assert book.sheetnames[-1] == "Projects high risk high profile"  # Excel forbids : and / in sheet titles
    sheet = book["Projects high risk high profile"]
    assert [cell.value for cell in sheet[1]] == [
        "Row",
        "Project",
        "Deliverables",
        "Cost",
        "Clients",
        "Target date",
        "Signed off",
        "Statutory?",
        "Rating",
        "Note on the source",
    ]
    first = [cell.value for cell in sheet[2]]
    assert first[:5] == [1, "Supporting Independence", "'- 200 people\n- =targets met", -12.3, 3.75]
    assert first[5:9] == [datetime.datetime(2014, 3, 1), datetime.datetime(2013, 4, 15), "No", "High"]


@pytest.mark.parametrize("kind", ["xlsx", "json"])
def test_a_custom_table_round_trips_and_a_second_import_changes_nothing(projects, kind):
    data = (
        xlsx(projects)
        if kind == "xlsx"
        else json.dumps(json_format.plan_document(exporter.export_plans().get(pk=projects.pk))).encode()
    )
    copy = apply(data, name=f"plan.{kind}", version_label="Copy")
    assert snapshot(copy) == snapshot(projects)
    counts = row_counts()
    again = preview(data, name=f"plan.{kind}", version_label="Copy")
    assert problems_text(again) == []
    assert again.change_count == 0
    apply(data, name=f"plan.{kind}", version_label="Copy")
    assert row_counts() == counts


def test_a_custom_table_is_in_the_json_format_under_its_section_and_short_name(projects):
    document = json_format.plan_document(exporter.export_plans().get(pk=projects.pk))
    assert document["tables"]["table:C:projects"][1] == {
        "number": 2,
        "col:project": "Short Term Recovery",
        "col:deliverables": "",
        "col:cost": None,
        "col:clients": None,
        "col:target": None,
        "col:signed": None,
        "col:statutory": None,
        "col:rating": None,
        "source_note": "",
    }


def test_custom_cells_are_checked_by_the_tables_own_rules(projects):
    title = "Projects high risk high profile"
    header = ["Row", "Project", "Cost", "Rating", "Target date"]
    data = make_xlsx(
        {
            title: [
                header,
                [1, "Supporting Independence", "1.25", "Urgent", "Smarch 2014"],
                [3, None, None, None, None],
            ]
        }
    )
    assert problems_text(preview(data, plan_id=projects.pk)) == [
        f"{title}, row 2, column Cost (C2): “1.25” has too many decimal places: write it to 1 decimal place.",
        f"{title}, row 2, column Rating (D2): “Urgent” is not one of: High, Medium, Low.",
        f"{title}, row 2, column Target date (E2): “Smarch 2014” is not a month; write it like April 2013.",
        f"{title}, row 3, column Project (B3): Enter project.",
    ]


def test_a_custom_row_changes_only_the_cells_in_the_file(projects):
    title = "Projects high risk high profile"
    data = make_xlsx({title: [["Row", "Cost"], [1, "(15.0)"], [3, "1"]]})
    result = preview(data, plan_id=projects.pk)
    assert problems_text(result) == [
        f"{title}, row 3, column Project: Enter project. The sheet has no “Project” column, so a new row needs it."
    ]
    data = make_xlsx({title: [["Row", "Cost"], [1, "(15.0)"]]})
    apply(data, plan_id=projects.pk)
    row = TableRow.objects.get(plan=projects, number=1)
    assert row.values["cost"] == "-15.0"
    assert row.values["project"] == "Supporting Independence"


def test_every_seed_plan_round_trips_as_a_new_version(db):
    load_all()
    plans = list(exporter.export_plans().order_by("pk"))
    assert plans
    for plan in plans:
        for kind in ("xlsx", "json"):
            data = (
                exporter.plan_workbook(plan) if kind == "xlsx" else json.dumps(json_format.plan_document(plan)).encode()
            )
            result = preview(data, name=f"plan.{kind}", version_label=f"Round trip {kind}")
            assert problems_text(result) == [], (str(plan), kind)
            copy = apply(data, name=f"plan.{kind}", version_label=f"Round trip {kind}")
            assert snapshot(copy) == snapshot(plan), (str(plan), kind)
    assert (
        TableRow.objects.filter(plan__version_label="Round trip xlsx").exists()
        == TableRow.objects.filter(plan__in=plans).exists()
    )
    assert Plan.objects.count() == 3 * len(plans)
