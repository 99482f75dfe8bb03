"""The budgets models: the database refuses what the rules forbid, with a message for the admin."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from budgets.models import BudgetLine, Column, ColumnSet, PrintedTotal, StaffingLine
from tests.budgets.factories import (
    ActivityLevelFactory,
    BudgetCategoryFactory,
    BudgetLineFactory,
    PrintedTotalFactory,
    StaffingLineFactory,
    use_columns,
)
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db
D = Decimal


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_the_standard_column_sets_exist_after_migrate_in_the_councils_order():
    operating = ColumnSet.objects.get(slug="operating-plan-2008-09")
    assert [column.heading for column in operating.columns.all()][:5] == [
        "Controllable Expenditure",
        "FTE",
        "Activity/Budget Line",
        "FTE",
        "Employee costs",
    ]
    divisional = ColumnSet.objects.get(slug="divisional-2013-14")
    assert [column.field for column in divisional.columns.all()] == [
        "name",
        "responsible_manager",
        "staffing",
        "non_staffing",
        "gross",
        "service_income",
        "net_expenditure",
        "government_grants",
        "net_cost",
    ]


def test_a_column_set_shows_each_figure_once_and_each_position_once():
    column_set = ColumnSet.objects.get(slug="divisional-2013-14")
    refused(lambda: Column.objects.create(column_set=column_set, order=99, field="staffing", heading="Staffing"))
    refused(lambda: Column.objects.create(column_set=column_set, order=1, field="fte", heading="FTE"))
    refused(lambda: Column.objects.create(column_set=column_set, order=0, field="fte", heading="FTE"))


def test_two_lines_of_a_plan_cannot_share_a_position_or_a_code_and_name():
    line = BudgetLineFactory(code="44B", name="Ind Sect Res Care")
    refused(lambda: BudgetLineFactory(plan=line.plan, order=line.order))
    refused(lambda: BudgetLineFactory(plan=line.plan, code="44B", name="Ind Sect Res Care"))
    BudgetLineFactory(code="44B", name="Ind Sect Res Care")  # in another plan: fine


@pytest.mark.parametrize("income", ["external_income", "internal_income", "service_income", "government_grants"])
def test_incomes_are_held_negative(income):
    refused(lambda: BudgetLineFactory(**{income: D("12.0")}))
    assert getattr(BudgetLineFactory(**{income: D("-12.0")}), income) == D("-12.0")
    assert getattr(BudgetLineFactory(**{income: D("0.0")}), income) == D("0.0")


def test_a_positive_income_is_refused_in_the_admin_with_a_readable_message():
    line = BudgetLineFactory.build(plan=PlanFactory(), order=1, external_income=D("12.0"))
    with pytest.raises(ValidationError) as error:
        line.full_clean()
    assert "External income is held as a negative figure, for example -1217.3." in str(error.value)


def test_costs_may_be_negative_as_printed():
    assert BudgetLineFactory(running_costs=D("-254.8")).running_costs == D("-254.8")  # 48K KCC Home Care


def test_fte_cannot_be_negative():
    refused(lambda: BudgetLineFactory(fte=D("-1.0")))
    refused(lambda: StaffingLineFactory(fte=D("-1.0")))


def test_a_memorandum_item_has_no_category():
    category = BudgetCategoryFactory()
    refused(lambda: BudgetLineFactory(plan=category.plan, category=category, kind=BudgetLine.Kind.MEMORANDUM))


def test_a_line_cannot_use_another_plans_category():
    line = BudgetLineFactory.build(plan=PlanFactory(), order=1, category=BudgetCategoryFactory())
    with pytest.raises(ValidationError, match="another plan"):
        line.full_clean()


def test_a_category_name_is_unique_in_its_plan():
    category = BudgetCategoryFactory(name="Residential Care")
    refused(lambda: BudgetCategoryFactory(plan=category.plan, name="Residential Care"))


def test_a_plan_has_one_printed_total_of_each_kind_and_one_subtotal_per_category():
    category = BudgetCategoryFactory()
    plan = category.plan
    PrintedTotalFactory(plan=plan, kind=PrintedTotal.Kind.TOTAL)
    refused(lambda: PrintedTotalFactory(plan=plan, kind=PrintedTotal.Kind.TOTAL))
    PrintedTotalFactory(plan=plan, kind=PrintedTotal.Kind.SUBTOTAL, category=category)
    refused(lambda: PrintedTotalFactory(plan=plan, kind=PrintedTotal.Kind.SUBTOTAL, category=category))
    refused(lambda: PrintedTotalFactory(plan=plan, kind=PrintedTotal.Kind.SUBTOTAL))  # a subtotal needs a category
    refused(lambda: PrintedTotalFactory(plan=plan, kind=PrintedTotal.Kind.TOTAL_COST, category=category))


def test_money_is_held_to_one_decimal_place():
    line = BudgetLineFactory.build(plan=PlanFactory(), order=1, running_costs=D("1.25"))
    with pytest.raises(ValidationError, match="1 decimal place"):
        line.full_clean()


def test_staffing_rows_and_activity_levels_are_unique_in_their_plan():
    row = StaffingLineFactory(name="Mental Health Partnership Trust")
    refused(lambda: StaffingLineFactory(plan=row.plan, name="Mental Health Partnership Trust"))
    level = ActivityLevelFactory()
    refused(lambda: ActivityLevelFactory(plan=level.plan, order=level.order))


def test_str_of_each_model():
    plan = PlanFactory()
    column_set = use_columns(plan)
    assert str(column_set) == "Budget & Services columns, unit operating plans 2008/9"
    assert str(column_set.columns.get(order=5)) == f"{column_set}: 5. Employee costs"
    assert str(plan.template.budget_columns) == f"{plan.template} uses {column_set}"
    category = BudgetCategoryFactory(plan=plan, name="Residential Care")
    assert str(category) == "Residential Care"
    assert str(BudgetLineFactory(plan=plan, code="44B", name="Ind Sect Res Care")) == "44B Ind Sect Res Care"
    assert str(BudgetLineFactory(plan=plan, code="", name="Social Care Reform")) == "Social Care Reform"
    assert str(PrintedTotalFactory(plan=plan, label="TOTAL MENTAL HEALTH SERVICES")) == (
        "TOTAL MENTAL HEALTH SERVICES (as printed)"
    )
    assert str(StaffingLineFactory(plan=plan, name="MH - Commissioning & Contracting")) == (
        "MH - Commissioning & Contracting"
    )
    assert str(ActivityLevelFactory(plan=plan, service_code="", description="Direct payments")) == "Direct payments"
    assert StaffingLine._meta.ordering[-1] == "id"


def test_every_change_is_recorded_in_the_history():
    line = BudgetLineFactory()
    line.running_costs = D("99.9")
    line.save()
    assert [record.running_costs for record in line.history.order_by("history_id")] == [D("20.0"), D("99.9")]
