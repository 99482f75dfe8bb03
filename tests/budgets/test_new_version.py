"""A new version of a plan is a full copy: its budget, staffing and activity levels come with it."""

from decimal import Decimal as D

import pytest

from budgets.models import BudgetLine
from plans import services
from plans.models import Plan
from tests.budgets.factories import fill_budget, use_columns
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


def test_starting_a_new_version_copies_the_budget_and_staffing(division, unit_editor):
    published = PlanFactory(unit=division, status=Plan.Status.PUBLISHED)
    use_columns(published)
    fill_budget(published, categories=2, lines=2)
    line = BudgetLine.objects.filter(plan=published).first()
    line.printed_gross = D("30.0")
    line.save()

    draft = services.plan_new_version(plan=published, user=unit_editor, version_label="Draft v 2")

    copies = BudgetLine.objects.filter(plan=draft)
    assert copies.count() == BudgetLine.objects.filter(plan=published).count() == 5
    assert {copy.category.plan_id for copy in copies if copy.category} == {draft.pk}
    assert not copies.exclude(printed_gross=None).exists()  # printed figures belong to the printed version
    assert draft.staffing_lines.count() == published.staffing_lines.count() == 2
    assert draft.affordable_activity_levels.count() == published.affordable_activity_levels.count()
    # The published version keeps its own rows.
    assert BudgetLine.objects.filter(plan=published).count() == 5


def test_a_plan_without_a_budget_starts_a_version_without_one(division, unit_editor):
    published = PlanFactory(unit=division, status=Plan.Status.PUBLISHED)
    draft = services.plan_new_version(plan=published, user=unit_editor, version_label="Draft v 2")
    assert not BudgetLine.objects.filter(plan=draft).exists()
