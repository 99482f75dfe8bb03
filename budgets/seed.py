"""Load the budget transcriptions in fixtures/seeds/ (the AMH 2008-09 revenue budget, staffing and
activity levels) onto the plans that exchange.seeds.load_all() creates.

Idempotent: rows are matched on their natural keys (category name, line code and name, total kind,
staffing row name, activity level description) and written only when something changed, so a
second run writes nothing and records no history.
"""

import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from budgets.column_sets import TEMPLATE_COLUMN_SETS, create_standard_column_sets
from budgets.figures import KEYED_FIGURES
from budgets.models import (
    ActivityLevel,
    BudgetCategory,
    BudgetLine,
    Column,
    ColumnSet,
    PrintedTotal,
    StaffingLine,
    TemplateColumnSet,
)
from common.money import parse_fte, parse_money
from common.years import parse_financial_year
from plans.models import Plan, PlanTemplate

SEEDS_DIR = Path(settings.BASE_DIR) / "fixtures" / "seeds"
BUDGET_FILES = ["amh-budget-2008-09.json"]
FTE_FIGURES = {"previous_fte", "fte"}


def read_seed(name: str) -> dict:
    return json.loads((SEEDS_DIR / name).read_text(encoding="utf-8"))


def _save(model, lookup: dict, values: dict):
    """Create or update one row with full_clean; no write at all when nothing changed."""
    obj = model.objects.filter(**lookup).first()
    if obj is not None and all(getattr(obj, name) == value for name, value in values.items()):
        return obj
    obj = obj or model(**lookup)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj


def _figures(row: dict, names) -> dict:
    """Printed cells -> Decimals: "" stays None (blank), "0.0" is 0.0."""
    return {name: (parse_fte if name in FTE_FIGURES else parse_money)(row.get(name, "")) for name in names}


def _count(text: str) -> int | None:
    """A number of clients; "N/A" and blanks are held as None."""
    return int(text) if text.strip().isdigit() else None


@transaction.atomic
def link_templates() -> None:
    """The standard column sets, and the seed templates that use them (those that are loaded)."""
    create_standard_column_sets(ColumnSet, Column)
    for template_slug, column_set_slug in TEMPLATE_COLUMN_SETS.items():
        template = PlanTemplate.objects.filter(slug=template_slug).first()
        if template is not None:
            _save(
                TemplateColumnSet, {"template": template}, {"column_set": ColumnSet.objects.get(slug=column_set_slug)}
            )


@transaction.atomic
def load_budget(data: dict, plan: Plan) -> Plan:
    budget = data["budget"]
    order = 0
    for category_order, category_data in enumerate(budget["categories"], start=1):
        category = _save(
            BudgetCategory,
            {"plan": plan, "name": category_data["name"]},
            {"order": category_order, "source_note": category_data.get("source_note", "")},
        )
        for row in category_data["lines"]:
            order += 1
            _save_line(plan, row, order=order, category=category)
        _save_total(plan, PrintedTotal.Kind.SUBTOTAL, category_data["printed_total"], category=category)
    _save_total(plan, PrintedTotal.Kind.TOTAL, budget["printed_total"])
    for row in budget["memorandum_items"]:
        order += 1
        _save_line(plan, row, order=order, category=None)
    _save_total(plan, PrintedTotal.Kind.TOTAL_COST, budget["printed_total_cost"])

    staffing = data.get("staffing")
    if staffing:
        for number, row in enumerate(staffing["lines"], start=1):
            _save(
                StaffingLine,
                {"plan": plan, "name": row["name"]},
                {
                    "order": number,
                    "kind": row["kind"],
                    **_figures(row, ["previous_fte", "fte"]),
                    "source_note": row.get("source_note", ""),
                },
            )
        _save_total(plan, PrintedTotal.Kind.STAFFING_TOTAL, staffing["printed_total"])

    activity = data.get("activity_levels")
    if activity:
        for number, row in enumerate(activity["lines"], start=1):
            _save(
                ActivityLevel,
                {"plan": plan, "client_group": row["client_group"], "description": row["description"]},
                {
                    "order": number,
                    "service_code": row["service_code"],
                    "previous_estimate": _count(row["previous_estimate"]),
                    "previous_outturn": _count(row["previous_outturn"]),
                    "clients": _count(row["clients"]),
                    "source_note": row.get("source_note", activity.get("source_note", "")),
                },
            )
    return plan


def _save_line(plan, row: dict, *, order: int, category) -> BudgetLine:
    printed = _figures(row, ["printed_gross", "printed_controllable"])
    return _save(
        BudgetLine,
        {"plan": plan, "code": row["code"], "name": row["name"]},
        {
            "category": category,
            "order": order,
            "kind": row.get("kind", BudgetLine.Kind.COST_CODE),
            **_figures(row, KEYED_FIGURES),
            **printed,
            "cabinet_member": row.get("cabinet_member", ""),
            "source_note": row.get("source_note", ""),
        },
    )


def _save_total(plan, kind, row: dict, *, category=None) -> PrintedTotal:
    lookup = {"category": category} if category is not None else {"plan": plan, "kind": kind}
    names = [*KEYED_FIGURES, "gross", "controllable", "net_expenditure", "net_cost"]
    return _save(
        PrintedTotal,
        lookup,
        {
            "plan": plan,
            "kind": kind,
            "label": row["label"],
            **_figures(row, names),
            "source_note": row.get("source_note", ""),
        },
    )


def _plan_of(data: dict) -> Plan | None:
    p = data["plan"]
    return Plan.objects.filter(
        unit__code=p["unit"], year_id=parse_financial_year(p["year"]), version_label=p["version_label"]
    ).first()


@transaction.atomic
def load_budgets() -> list[Plan]:
    """Every budget seed whose plan is loaded (run after exchange.seeds.load_all)."""
    link_templates()
    plans = []
    for name in BUDGET_FILES:
        data = read_seed(name)
        plan = _plan_of(data)
        if plan is not None:
            plans.append(load_budget(data, plan))
    return plans
