"""factory-boy factories for the budgets app. Column sets are not built here: the two standard ones
exist in every database (budgets/apps.py creates them after migrate); `use_columns` links a plan's
template to one of them."""

from decimal import Decimal

import factory
from django.db.models import Max
from factory.django import DjangoModelFactory

from budgets.models import (
    ActivityLevel,
    BudgetCategory,
    BudgetLine,
    ColumnSet,
    PrintedTotal,
    StaffingLine,
    TemplateColumnSet,
)
from tests.factories import PlanFactory

OPERATING = "operating-plan-2008-09"
DIVISIONAL = "divisional-2013-14"


def use_columns(plan, slug=OPERATING) -> ColumnSet:
    """Draw the plan's budget in the standard column set `slug`."""
    column_set = ColumnSet.objects.get(slug=slug)
    TemplateColumnSet.objects.update_or_create(template=plan.template, defaults={"column_set": column_set})
    return column_set


def _next_order(model, plan):
    return (model.objects.filter(plan=plan).aggregate(top=Max("order"))["top"] or 0) + 1


class BudgetCategoryFactory(DjangoModelFactory):
    class Meta:
        model = BudgetCategory

    plan = factory.SubFactory(PlanFactory)
    order = factory.LazyAttribute(lambda o: _next_order(BudgetCategory, o.plan))
    name = factory.Sequence(lambda n: f"Category {n}")


class BudgetLineFactory(DjangoModelFactory):
    """A cost-code line of the 2008/9 layout: 10.0 employee, 20.0 running, -5.0 external income."""

    class Meta:
        model = BudgetLine

    plan = factory.SubFactory(PlanFactory)
    category = None
    order = factory.LazyAttribute(lambda o: _next_order(BudgetLine, o.plan))
    kind = BudgetLine.Kind.COST_CODE
    code = factory.Sequence(lambda n: f"{n:02d}A")
    name = factory.Sequence(lambda n: f"Budget line {n}")
    cabinet_member = "KL"
    employee_costs = Decimal("10.0")
    running_costs = Decimal("20.0")
    external_income = Decimal("-5.0")


class PrintedTotalFactory(DjangoModelFactory):
    class Meta:
        model = PrintedTotal

    plan = factory.SubFactory(PlanFactory)
    kind = PrintedTotal.Kind.TOTAL
    label = "TOTAL"


class StaffingLineFactory(DjangoModelFactory):
    class Meta:
        model = StaffingLine

    plan = factory.SubFactory(PlanFactory)
    order = factory.LazyAttribute(lambda o: _next_order(StaffingLine, o.plan))
    name = factory.Sequence(lambda n: f"Team {n}")
    previous_fte = Decimal("10.50")
    fte = Decimal("11.25")


class ActivityLevelFactory(DjangoModelFactory):
    class Meta:
        model = ActivityLevel

    plan = factory.SubFactory(PlanFactory)
    order = factory.LazyAttribute(lambda o: _next_order(ActivityLevel, o.plan))
    description = factory.Sequence(lambda n: f"Number of people receiving service {n}")
    clients = 100


def fill_budget(plan, *, categories: int, lines: int):
    """`categories` categories of `lines` lines each, a memorandum item, and staffing and activity rows."""
    for _ in range(categories):
        category = BudgetCategoryFactory(plan=plan)
        for _ in range(lines):
            BudgetLineFactory(plan=plan, category=category)
        PrintedTotalFactory(plan=plan, kind=PrintedTotal.Kind.SUBTOTAL, category=category, label=f"TOTAL {category}")
        StaffingLineFactory(plan=plan)
        ActivityLevelFactory(plan=plan)
    BudgetLineFactory(plan=plan, kind=BudgetLine.Kind.MEMORANDUM, name="Central Overheads", code="")
    return plan
