"""manage.py import_plan and export_plan."""

import json
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from exchange import exporter
from plans.models import Plan
from tests.exchange.helpers import make_xlsx, row_counts
from tests.factories import ActionFactory, PlanFactory, PriorityFactory, fill_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(division):
    plan = fill_plan(PlanFactory(unit=division, version_label="Draft v 1"), priorities=2, actions=2)
    plan.template.slug = "divisional-2013-14"
    plan.template.save()
    return plan


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def exported(plan, tmp_path):
    path = tmp_path / "plan.xlsx"
    run("export_plan", str(plan.pk), "--format", "xlsx", "-o", str(path))
    return path


def test_export_plan_writes_a_workbook(exported):
    assert openpyxl.load_workbook(exported).sheetnames[:3] == ["Instructions", "Plan", "Sections"]


def test_export_plan_writes_json_to_stdout(plan):
    document = json.loads(run("export_plan", str(plan.pk), "--format", "json"))
    assert (document["format"], document["version"], document["tables"]["plan"]["unit"]) == (
        "kent-plans/plan",
        1,
        "DIV",
    )


def test_export_plan_writes_one_table_as_csv(plan):
    text = run("export_plan", str(plan.pk), "--format", "csv", "--table", "risks")
    assert text.lstrip("\ufeff").splitlines()[0] == "Number,Risk,Mitigation,Owner,Note on the source"


def test_export_plan_refuses_an_unknown_plan():
    with pytest.raises(CommandError, match="There is no plan 999"):
        run("export_plan", "999")


def test_import_plan_dry_run_prints_the_preview_and_writes_nothing(exported):
    counts = row_counts()
    output = run(
        "import_plan", str(exported), "--unit", "DIV", "--year", "2013-14", "--version", "Draft v 2", "--dry-run"
    )
    assert "Into: A new draft plan: Learning Disability/Mental Health (DIV), 2013-14, version “Draft v 2”." in output
    assert "Actions                     8        0          0         0           0" in output
    assert "+ Actions: Action 1.1 of priority 1 (row 3)" in output
    assert "Dry run: nothing imported." in output
    assert row_counts() == counts


def test_import_plan_imports_and_a_second_run_changes_nothing(exported):
    args = ("import_plan", str(exported), "--unit", "DIV", "--year", "2013-14", "--version", "Draft v 2")
    first = run(*args)
    assert "Imported " in first
    assert "“Draft v 2”" in first
    counts = row_counts()

    second = run(*args)

    assert "Nothing would change: the plan already holds everything in this file." in second
    assert "Imported 0 row(s)" in second
    assert row_counts() == counts
    assert Plan.objects.filter(version_label="Draft v 2").count() == 1


def test_import_plan_lists_every_problem_and_fails(plan, tmp_path):
    priority = PriorityFactory(plan=plan, number=9)
    ActionFactory(priority=priority, number=1, sub_number=0)
    path = tmp_path / "actions.xlsx"
    path.write_bytes(
        make_xlsx(
            {"Actions": [["Priority", "Number", "Action", "Start"], [9, "1.1", "x", "Smarch"], [10, "1", "y", None]]}
        )
    )
    out = StringIO()
    with pytest.raises(CommandError, match=r"2 problem\(s\): nothing imported."):
        call_command("import_plan", str(path), "--plan", str(plan.pk), stdout=out)
    assert "! Actions, row 2, column Start (D2): “Smarch” is not a month; write it like April 2013." in out.getvalue()
    assert "! Actions, row 3, column Priority (A3): There is no priority 10" in out.getvalue()


def test_import_plan_refuses_a_file_it_cannot_read(tmp_path):
    path = tmp_path / "plan.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(CommandError, match="is not an Excel Workbook"):
        run("import_plan", str(path))


def test_import_plan_reads_a_csv_of_one_table(plan, tmp_path):
    data = exporter.plan_table_csv(exporter.export_plans().get(pk=plan.pk), "actions")
    path = tmp_path / "actions.csv"
    path.write_bytes(data.replace(b"Action text", b"Reworded"))
    output = run("import_plan", str(path), "--plan", str(plan.pk))
    assert "Actions                     0        8          0         0           0" in output
    assert "Imported 8 row(s)" in output
    assert "Nothing would change" in run("import_plan", str(path), "--plan", str(plan.pk))
