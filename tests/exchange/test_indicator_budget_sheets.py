"""Issue 9: budget lines, staffing, indicator definitions, targets and actuals in the plan workbook and the
JSON format (exchange/budget_sheets.py, exchange/indicator_sheets.py): round trip, idempotence, all or
nothing, UK figures and months, formulas neutralised, and the template workbook's instructions."""

import datetime
import io
import json
from decimal import Decimal

import openpyxl
import pytest

from budgets.models import BudgetCategory, BudgetLine, StaffingLine
from exchange import exporter, json_format
from performance.models import Actual, Indicator, IndicatorYear, Target
from tests.exchange.helpers import apply, make_xlsx, preview, problems_text, row_counts
from tests.factories import PlanFactory, PlanTemplateFactory, year

pytestmark = pytest.mark.django_db

NEW_SHEETS = ["Budget lines", "Staffing", "Indicators", "Indicator targets", "Indicator actuals"]


@pytest.fixture
def plan(division):
    plan = PlanFactory(unit=division)
    care = BudgetCategory.objects.create(plan=plan, order=1, name="Residential Care")
    BudgetLine.objects.create(
        plan=plan,
        category=care,
        order=1,
        code="44B",
        name="Ind Sect Res Care",
        responsible_manager='=HYPERLINK("http://x")',
        employee_costs=Decimal("1234.5"),
        running_costs=Decimal("-12.3"),
        external_income=Decimal("-1217.3"),
        printed_gross=Decimal("1222.2"),
        source_note="- as printed",
    )
    BudgetLine.objects.create(plan=plan, order=2, kind="memorandum", name="Memo: capital", contracts=Decimal("5.0"))
    StaffingLine.objects.create(
        plan=plan, order=1, name="MH - Commissioning", previous_fte=Decimal("12.25"), fte=Decimal("11")
    )
    indicator = Indicator.objects.create(
        unit=division, title="Adults in employment", reference="NI 146", measure="percentage", polarity="higher"
    )
    indicator_year = IndicatorYear.objects.create(indicator=indicator, year=plan.year, floor=Decimal("3.5"))
    Indicator.objects.create(unit=division, title="Clients in residential care", kind="activity", polarity="")
    Target.objects.create(
        indicator_year=indicator_year, period="year", period_start=datetime.date(2013, 4, 1), value=Decimal("5.0")
    )
    Actual.objects.create(
        indicator_year=indicator_year,
        period="quarter",
        period_start=datetime.date(2013, 7, 1),
        value=Decimal("4.2"),
        numerator=Decimal("21"),
        denominator=Decimal("500"),
    )
    # Another year's figures are not this plan's: they stay out of its workbook.
    other_year = IndicatorYear.objects.create(indicator=indicator, year=year(2012))
    Target.objects.create(indicator_year=other_year, period="year", period_start=datetime.date(2012, 4, 1), value=1)
    return plan


def state(plan) -> dict:
    """Section D and F of the plan as plain data, keyed by natural keys."""
    line_fields = ["order", "kind", "code", "name", "responsible_manager", "employee_costs", "running_costs"]
    line_fields += ["external_income", "contracts", "printed_gross", "source_note"]
    return {
        "lines": [
            (line.category.name if line.category else None, *[getattr(line, f) for f in line_fields])
            for line in BudgetLine.objects.filter(plan=plan).select_related("category").order_by("order")
        ],
        "staffing": list(
            StaffingLine.objects.filter(plan=plan).values_list("order", "kind", "name", "previous_fte", "fte")
        ),
        "indicators": list(
            Indicator.objects.filter(unit=plan.unit).values_list("title", "reference", "measure", "polarity", "kind")
        ),
        "floors": list(
            IndicatorYear.objects.filter(indicator__unit=plan.unit, year=plan.year).values_list("floor", flat=True)
        ),
        "targets": list(
            Target.objects.filter(
                indicator_year__year=plan.year, indicator_year__indicator__unit=plan.unit
            ).values_list("indicator_year__indicator__title", "period", "period_start", "value")
        ),
        "actuals": list(
            Actual.objects.filter(
                indicator_year__year=plan.year, indicator_year__indicator__unit=plan.unit
            ).values_list(
                "indicator_year__indicator__title", "period", "period_start", "value", "numerator", "denominator"
            )
        ),
    }


def export_xlsx(plan) -> bytes:
    return exporter.plan_workbook(exporter.export_plans().get(pk=plan.pk))


def rows(data: bytes, title: str) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data))[title]
    found = [list(row) for row in sheet.iter_rows(values_only=True)]
    return [row for row in found if any(value is not None for value in row)]


def wipe(plan):
    BudgetLine.objects.filter(plan=plan).delete()
    BudgetCategory.objects.filter(plan=plan).delete()
    StaffingLine.objects.filter(plan=plan).delete()
    Indicator.objects.filter(unit=plan.unit).delete()


def test_the_workbook_holds_section_d_and_f_in_the_layout_the_import_reads(plan):
    data = export_xlsx(plan)
    assert set(NEW_SHEETS) <= set(openpyxl.load_workbook(io.BytesIO(data)).sheetnames)
    lines = rows(data, "Budget lines")
    header = lines[0]
    first = dict(zip(header, lines[1], strict=True))
    assert first["Line"] == 1
    assert first["Category"] == "Residential Care"
    assert first["Code"] == "44B"
    assert first["Employee costs (£'000)"] == Decimal("1234.5") or first["Employee costs (£'000)"] == 1234.5
    assert first["External income (£'000)"] == -1217.3
    assert first["Responsible manager"] == '\'=HYPERLINK("http://x")'  # neutralised: no spreadsheet runs it
    assert first["Note on the source"] == "'- as printed"
    assert dict(zip(header, lines[2], strict=True))["Kind of line"] == "Memorandum item (below the total)"
    assert rows(data, "Staffing")[1] == [1, "Team", "MH - Commissioning", 12.25, 11, None]
    indicators = rows(data, "Indicators")
    by_title = {row[0]: dict(zip(indicators[0], row, strict=True)) for row in indicators[1:]}
    assert by_title["Adults in employment"]["Floor"] == 3.5
    assert by_title["Clients in residential care"]["Polarity"] is None
    assert rows(data, "Indicator targets")[1:] == [
        ["Adults in employment", "Year", datetime.datetime(2013, 4, 1), 5, None]
    ]
    assert rows(data, "Indicator actuals")[1:] == [
        ["Adults in employment", "Quarter", datetime.datetime(2013, 7, 1), 4.2, 21, 500, None]
    ]


@pytest.mark.parametrize("kind", ["xlsx", "json"])
def test_an_export_imported_into_an_emptied_plan_gives_back_the_same_data(plan, kind):
    before = state(plan)
    if kind == "xlsx":
        data, name = export_xlsx(plan), "plan.xlsx"
    else:
        document = json_format.plan_document(exporter.export_plans().get(pk=plan.pk))
        data, name = json.dumps(document).encode(), "plan.json"
    wipe(plan)
    assert state(plan)["lines"] == []
    apply(data, name=name, plan_id=plan.pk)
    assert state(plan) == before
    # Importing the same file again changes nothing.
    again = preview(data, name=name, plan_id=plan.pk)
    assert again.ok
    assert again.change_count == 0
    # And so does importing it into a plan whose unit already has the indicators (no blank polarity "changes").
    again_json = preview(export_xlsx(plan), plan_id=plan.pk)
    assert again_json.change_count == 0


def test_uk_figures_and_months_are_read(plan):
    data = make_xlsx(
        {
            "Budget lines": [
                [
                    "Line",
                    "Category",
                    "Name",
                    "Employee costs (£'000)",
                    "Running costs (£'000)",
                    "Service income (£'000)",
                ],
                [3, "Day Care", "New day centre", "£1,234.5", "(12.3)", "-0.5"],
            ],
            "Indicator targets": [
                ["Indicator", "Period", "Period start", "Target"],
                ["Adults in employment", "Quarter", "Apr-13", "£1,234.5"],
            ],
        }
    )
    apply(data, plan_id=plan.pk)
    line = BudgetLine.objects.get(plan=plan, order=3)
    assert (line.employee_costs, line.running_costs, line.service_income) == (
        Decimal("1234.5"),
        Decimal("-12.3"),
        Decimal("-0.5"),
    )
    assert line.category.name == "Day Care"
    assert line.category.order == 2  # after Residential Care
    target = Target.objects.get(indicator_year__year=plan.year, period="quarter")
    assert (target.period_start, target.value) == (datetime.date(2013, 4, 1), Decimal("1234.5"))


@pytest.mark.parametrize(
    ("sheets", "expected"),
    [
        (
            {"Budget lines": [["Line", "Name", "Employee costs (£'000)"], [3, "X", "12.34"]]},
            "Budget lines, row 2, column Employee costs (£'000) (C2): “12.34”",
        ),
        (
            {"Budget lines": [["Line", "Name", "External income (£'000)"], [3, "X", "1,217.3"]]},
            "External income is held as a negative figure",
        ),
        ({"Staffing": [["Row", "Team or grade band", "FTE"], [2, "Y", "1.234"]]}, "Staffing, row 2, column FTE (C2)"),
        (
            {
                "Indicator actuals": [
                    ["Indicator", "Period", "Period start", "Actual"],
                    ["No such thing", "Year", "April 2013", 1],
                ]
            },
            "The unit has no indicator “No such thing”",
        ),
        (
            {
                "Indicator targets": [
                    ["Indicator", "Period", "Period start", "Target"],
                    ["Adults in employment", "Year", "Smarch 2013", 1],
                ]
            },
            "Indicator targets, row 2, column Period start (C2)",
        ),
        ({"Budget lines": [["Line", "Name", "Contracts & projects (£'000)"], [3, "=A1", 1]]}, "Budget lines, row 2"),
    ],
)
def test_bad_input_is_refused_with_its_place_and_nothing_is_written(plan, sheets, expected):
    data = make_xlsx(sheets)
    if "=A1" in str(sheets):  # a real formula cell
        book = openpyxl.load_workbook(io.BytesIO(data))
        book["Budget lines"]["B2"] = "=A1"
        buffer = io.BytesIO()
        book.save(buffer)
        data = buffer.getvalue()
    before = row_counts()
    found = preview(data, plan_id=plan.pk)
    text = " | ".join(problems_text(found))
    assert expected in text
    with pytest.raises(Exception, match="problem"):
        apply(data, plan_id=plan.pk)
    assert row_counts() == before


def test_a_whole_file_is_refused_when_one_row_is_bad(plan):
    data = make_xlsx(
        {
            "Budget lines": [["Line", "Name", "Employee costs (£'000)"], [3, "Good line", "1.0"]],
            "Staffing": [["Row", "Team or grade band", "FTE"], [2, "Bad row", "-1"]],
        }
    )
    before = row_counts()
    with pytest.raises(Exception, match="problem"):
        apply(data, plan_id=plan.pk)
    assert row_counts() == before


def test_a_template_without_a_budget_table_refuses_budget_rows(division):
    template = PlanTemplateFactory(sections=[("A", "Role", [])])
    plan = PlanFactory(unit=division, template=template)
    data = make_xlsx({"Budget lines": [["Line", "Name"], [1, "X"]]})
    assert "has no table for this sheet" in " ".join(problems_text(preview(data, plan_id=plan.pk)))


def test_the_template_workbook_explains_the_new_sheets_on_its_first_sheet(division):
    template = PlanTemplateFactory()
    book = openpyxl.load_workbook(io.BytesIO(exporter.template_workbook(template)))
    assert book.sheetnames[0] == "Instructions"
    assert set(NEW_SHEETS) <= set(book.sheetnames)
    first_column = [row[0] for row in book["Instructions"].iter_rows(values_only=True)]
    for title in NEW_SHEETS:
        assert f"Sheet “{title}”" in first_column
    assert "External income (£'000)" in first_column
    assert "Period start" in first_column
