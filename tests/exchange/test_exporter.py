"""Exports: the workbook's sheets and layout, the JSON format, the template, CSV, and fixed query counts."""

import datetime
import io
import json

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exchange import exporter, json_format
from exchange import sheets as registry
from plans.models import Action, Plan, PlanObjective, Theme
from tests.exchange.helpers import apply, preview, problems_text, snapshot
from tests.factories import (
    ActionFactory,
    PlanFactory,
    PlanTemplateFactory,
    PriorityFactory,
    RiskFactory,
    fill_plan,
    year,
)

pytestmark = pytest.mark.django_db

SHEETS = [
    "Instructions",
    "Plan",
    "Sections",
    "Corporate objectives",
    "Priorities",
    "Actions",
    "Milestones",
    "Decisions",
    "Risks",
    "Critical functions",
    "Support needed",
    "Budget lines",
    "Staffing",
    "Indicators",
    "Indicator targets",
    "Indicator actuals",
]


def workbook_of(plan):
    return openpyxl.load_workbook(io.BytesIO(exporter.plan_workbook(exporter.export_plans().get(pk=plan.pk))))


def test_the_workbook_has_instructions_first_then_a_sheet_per_table(division):
    book = workbook_of(PlanFactory(unit=division))
    assert book.sheetnames == SHEETS
    assert book["Instructions"]["A1"].value == "Kent Plans: plan workbook"


def test_each_sheet_has_the_headings_the_import_reads(division):
    book = workbook_of(PlanFactory(unit=division))
    for mapping in registry.mappings("plan"):
        headings = [cell.value for cell in book[mapping.title][1]]
        expected = (
            ["Field", "Value", "About"] if mapping.layout == registry.FIELDS else [c.header for c in mapping.columns]
        )
        assert headings == expected, mapping.title


def test_actions_are_written_as_printed_with_months_as_real_dates(division):
    plan = PlanFactory(unit=division)
    priority = PriorityFactory(plan=plan)
    ActionFactory(priority=priority, number=1, sub_number=0, text="Headline", officer="")
    ActionFactory(priority=priority, number=1, sub_number=10, text="Tenth", officer="Anne")
    rows = list(workbook_of(plan)["Actions"].iter_rows(min_row=2, max_row=3))
    assert [cell.value for cell in rows[1]][:4] == [1, "1.10", "Tenth", "Anne"]
    assert rows[1][1].number_format == "@"  # the number column stays text: 1.10 is not 1.1
    assert rows[1][4].value.date().isoformat() == "2013-04-01"
    assert rows[1][4].number_format == "mmmm yyyy"


def test_text_that_could_run_as_a_formula_is_exported_as_text_with_an_apostrophe(division):
    plan = PlanFactory(unit=division)
    RiskFactory(plan=plan, risk='=HYPERLINK("http://evil.example","Click")', mitigation="-1+1", owner="@owner")
    cells = next(workbook_of(plan)["Risks"].iter_rows(min_row=2, max_row=2))
    assert [cell.data_type for cell in cells[1:4]] == ["s", "s", "s"]
    assert [cell.value for cell in cells[1:4]] == ['\'=HYPERLINK("http://evil.example","Click")', "'-1+1", "'@owner"]


def test_an_export_with_formula_like_text_imports_back_unchanged(division):
    plan = PlanFactory(unit=division)
    RiskFactory(plan=plan, risk="=SUM(A1)", mitigation="- first\n- second", owner="+44 1622")
    data = exporter.plan_workbook(exporter.export_plans().get(pk=plan.pk))
    result = preview(data, plan_id=plan.pk)
    assert problems_text(result) == []
    assert result.change_count == 0


def test_the_json_document_is_versioned_and_mirrors_the_sheets(division):
    plan = PlanFactory(unit=division, version_label="Draft v 1")
    priority = PriorityFactory(plan=plan, number=1)
    ActionFactory(priority=priority, number=1, sub_number=1, text="Sub", officer="Anne")
    document = json_format.plan_document(exporter.export_plans().get(pk=plan.pk))

    assert (document["format"], document["version"]) == ("kent-plans/plan", 1)
    assert list(document["tables"]) == [m.key for m in registry.mappings("plan")]
    assert document["tables"]["plan"]["unit"] == "DIV"
    assert document["tables"]["plan"]["year"] == "2013-14"
    assert document["tables"]["plan"]["version_date"] == "2012-12-16"
    assert document["tables"]["actions"] == [
        {
            "priority": 1,
            "number": "1.1",
            "text": "Sub",
            "officer": "Anne",
            "start": "2013-04",
            "end": "2014-03",
            "source_note": "",
        }
    ]
    json.dumps(document)  # plain JSON, nothing else


def test_the_template_is_an_empty_plan_of_the_template_with_instructions(db):
    template = PlanTemplateFactory(slug="divisional-2013-14", name="Divisional business plan 2013-14")
    book = openpyxl.load_workbook(io.BytesIO(exporter.template_workbook(template)))
    assert book.sheetnames == SHEETS
    plan_sheet = {row[0]: row[1] for row in book["Plan"].iter_rows(min_row=2, values_only=True)}
    assert plan_sheet["Template"] == "divisional-2013-14"
    assert plan_sheet["Unit"] is None
    assert [row[:2] for row in book["Sections"].iter_rows(min_row=2, values_only=True) if any(row)] == [
        ("A", "Role/purpose of function"),
        ("B", "Contribution to MTP objectives"),
        ("C", "Priorities, actions, programmes, projects, milestones, key or significant decisions"),
        ("D", "Financial and human resources"),
        ("E", "Risks and business continuity"),
        ("F", "Performance and activity indicators"),
        ("G", "Activity requiring support from other divisions/services"),
    ]
    assert [row for row in book["Actions"].iter_rows(min_row=2, values_only=True) if any(row)] == []
    assert "A blank plan of the template" in book["Instructions"]["A2"].value


def test_the_template_filled_in_imports_as_a_new_draft(division):
    year(2012)
    year(2013)
    template = PlanTemplateFactory(slug="divisional-2013-14")
    Theme.objects.create(slug="prevention", name="Prevention")
    book = openpyxl.load_workbook(io.BytesIO(exporter.template_workbook(template)))
    values = {"Unit": "DIV", "Year": "2013-14", "Version label": "Draft v 1", "Title": "Divisional Business Plan"}
    values |= {"Gross expenditure (£'000)": 1234.5, "Gross expenditure year": "2012-13", "FTE": "757.2"}
    for row in book["Plan"].iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    book["Sections"]["D2"] = "Our purpose."
    book["Priorities"].append([1, "Prevention", "Fewer people need long-term care.", "Prevention"])
    book["Actions"]["A2"], book["Actions"]["B2"], book["Actions"]["C2"] = 1, "1", "Promote enablement"
    book["Actions"]["A3"], book["Actions"]["B3"], book["Actions"]["C3"] = 1, "1.1", "Supporting Independence"
    book["Actions"]["E3"] = "Apr-13"
    buffer = io.BytesIO()
    book.save(buffer)

    plan = apply(buffer.getvalue())

    assert (plan.unit.code, plan.year_id, plan.version_label, plan.status) == ("DIV", 2013, "Draft v 1", "draft")
    assert (str(plan.gross_expenditure), plan.gross_expenditure_year_id, str(plan.fte)) == ("1234.5", 2012, "757.2")
    assert plan.sections.get().body == "Our purpose."
    assert [(a.label, a.text, a.start) for a in Action.objects.filter(priority__plan=plan)] == [
        ("1", "Promote enablement", None),
        ("1.1", "Supporting Independence", datetime.date(2013, 4, 1)),
    ]
    assert list(plan.priorities.get().themes.values_list("slug", flat=True)) == ["prevention"]


def test_one_table_exports_as_csv_with_the_sheets_headings(division):
    plan = PlanFactory(unit=division)
    priority = PriorityFactory(plan=plan, number=1)
    ActionFactory(priority=priority, number=1, sub_number=0, text="=1+1", officer="")
    text = exporter.plan_table_csv(exporter.export_plans().get(pk=plan.pk), "actions").decode("utf-8-sig")
    assert text.splitlines() == [
        "Priority,Number,Action,Accountable officer,Start,End,Note on the source",
        "1,1,'=1+1,,April 2013,March 2014,",
    ]


def test_a_csv_export_of_one_table_imports_back_unchanged(division):
    plan = fill_plan(PlanFactory(unit=division), priorities=2, actions=2)
    data = exporter.plan_table_csv(exporter.export_plans().get(pk=plan.pk), "actions")
    result = preview(data, name="actions.csv", plan_id=plan.pk)
    assert problems_text(result) == []
    assert (result.change_count, result.sheets[0].unchanged) == (0, 8)


def export_queries(plan, export) -> int:
    with CaptureQueriesContext(connection) as queries:
        export(exporter.export_plans().get(pk=plan.pk))
    return len(queries)


@pytest.mark.parametrize(("name", "export"), [("xlsx", exporter.plan_workbook), ("json", json_format.plan_document)])
def test_an_export_takes_the_same_number_of_queries_however_large_the_plan(division, other_division, name, export):
    small = fill_plan(PlanFactory(unit=division), priorities=2, actions=2)
    large = fill_plan(PlanFactory(unit=other_division), priorities=6, actions=6)
    # The plan, its template's custom tables and sections, then one per table (three for the priorities; the
    # indicators' years are a second query only when the unit has indicators).
    assert export_queries(small, export) == export_queries(large, export) == 19


def test_a_round_trip_keeps_plan_objectives_and_priority_objectives(division):
    from plans.models import CorporateObjective

    plan = fill_plan(PlanFactory(unit=division), priorities=2, actions=1)
    objective = CorporateObjective.objects.create(
        council=division.council, framework="Bold Steps for Kent", number=12, title="Twelve"
    )
    PlanObjective.objects.create(plan=plan, objective=objective, emphasis=PlanObjective.Emphasis.FOCUS)
    plan.priorities.first().corporate_objectives.add(objective)
    data = exporter.plan_workbook(exporter.export_plans().get(pk=plan.pk))

    copy = apply(data, version_label="Copy")

    assert snapshot(copy) == snapshot(plan)
    assert Plan.objects.count() == 2
