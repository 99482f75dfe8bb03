"""Helpers for the exchange tests: a plan's content as plain data, row counts, workbooks made in the test."""

import io

import openpyxl
from django.apps import apps

from exchange import workbook
from exchange.importer import Target, plan_import_apply, plan_import_preview
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
    TableRow,
)

# What an import never carries over: database ids and links, timestamps, the workflow's status, and
# the version label (which names the plan, so a round trip "as a new version" changes it).
NOT_CONTENT = {
    "id",
    "plan",
    "priority",
    "table",
    "created_at",
    "updated_at",
    "status",
    "previous_version",
    "version_label",
}


def _fields(obj):
    return {
        field.name: getattr(obj, field.attname) for field in obj._meta.concrete_fields if field.name not in NOT_CONTENT
    }


def snapshot(plan: Plan) -> dict:
    """Every field of every row of the plan, keyed by natural keys: two plans with equal content compare equal."""
    priorities = []
    for priority in Priority.objects.filter(plan=plan).order_by("number"):
        priorities.append(
            {
                **_fields(priority),
                "themes": sorted(priority.themes.values_list("slug", flat=True)),
                "corporate_objectives": sorted(priority.corporate_objectives.values_list("pk", flat=True)),
                "actions": [
                    _fields(a) for a in Action.objects.filter(priority=priority).order_by("number", "sub_number")
                ],
                "milestones": [_fields(m) for m in Milestone.objects.filter(priority=priority).order_by("letter")],
                "decisions": [_fields(d) for d in Decision.objects.filter(priority=priority).order_by("number")],
            }
        )
    return {
        "plan": _fields(plan),
        "sections": [_fields(s) for s in PlanSection.objects.filter(plan=plan).order_by("template_section__order")],
        "objectives": sorted((link.objective_id, link.emphasis) for link in PlanObjective.objects.filter(plan=plan)),
        "priorities": priorities,
        "risks": [_fields(r) for r in Risk.objects.filter(plan=plan).order_by("number")],
        "critical_functions": [_fields(c) for c in CriticalFunction.objects.filter(plan=plan).order_by("number")],
        "support_needed": [_fields(s) for s in SupportNeeded.objects.filter(plan=plan).order_by("number")],
        "table_rows": [
            {**_fields(row), "table": (row.table.section.code, row.table.slug)}
            for row in TableRow.objects.filter(plan=plan).select_related("table__section").order_by("table", "number")
        ],
    }


def row_counts() -> dict:
    """Rows of every table, history tables included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def book_from(name: str, data: bytes) -> workbook.RawBook:
    return workbook.read_upload(name, data)


def preview(data: bytes, name="plan.xlsx", user=None, table=None, **target):
    return plan_import_preview(book=book_from(name, data), target=Target(**target), user=user, table=table)


def apply(data: bytes, name="plan.xlsx", user=None, table=None, **target):
    return plan_import_apply(book=book_from(name, data), target=Target(**target), user=user, table=table)


def make_xlsx(sheets: dict[str, list[list]]) -> bytes:
    """A workbook made in the test: {sheet title: rows (the first is the headings)}."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def problems_text(result) -> list[str]:
    return [problem.as_text() for problem in result.problems]
