"""The permission matrix: every role against every plan permission, and the queryset agrees."""

import pytest

from accounts.permissions import visible_plans
from plans.models import Plan
from tests.factories import PlanFactory

PERMISSIONS = [
    "plans.view_plan",
    "plans.change_plan",
    "plans.view_plan_history",
    "plans.submit_plan",
    "plans.approve_plan",
    "plans.publish_plan",
    "plans.start_new_version",
]

# (user fixture, plan status, {permissions granted on the DIV plan})
MATRIX = [
    ("admin_user", "draft", set(PERMISSIONS)),
    ("admin_user", "published", set(PERMISSIONS)),
    (
        "unit_editor",
        "draft",
        {
            "plans.view_plan",
            "plans.change_plan",
            "plans.view_plan_history",
            "plans.submit_plan",
            "plans.start_new_version",
        },
    ),
    (
        "unit_editor",
        "published",
        {"plans.view_plan", "plans.view_plan_history", "plans.submit_plan", "plans.start_new_version"},
    ),
    ("other_unit_editor", "draft", set()),
    ("other_unit_editor", "published", set()),
    ("approver", "draft", {"plans.view_plan", "plans.view_plan_history", "plans.approve_plan", "plans.publish_plan"}),
    (
        "approver",
        "submitted",
        {"plans.view_plan", "plans.view_plan_history", "plans.approve_plan", "plans.publish_plan"},
    ),
    ("committee_member", "draft", set()),
    ("committee_member", "submitted", set()),
    ("committee_member", "published", {"plans.view_plan"}),
]


@pytest.mark.parametrize(("role", "status", "granted"), MATRIX)
def test_permission_matrix_on_a_division_plan(request, division, role, status, granted):
    user = request.getfixturevalue(role)
    plan = PlanFactory(unit=division, status=status)
    plan = Plan.objects.with_unit().get(pk=plan.pk)
    assert {perm for perm in PERMISSIONS if user.has_perm(perm, plan)} == granted


@pytest.mark.parametrize(("role", "status", "granted"), MATRIX)
def test_visible_plans_agrees_with_view_permission(request, division, role, status, granted):
    user = request.getfixturevalue(role)
    plan = PlanFactory(unit=division, status=status)
    visible = visible_plans(user, Plan.objects.all())
    assert visible.filter(pk=plan.pk).exists() == ("plans.view_plan" in granted)


def test_editor_of_a_division_reaches_its_service_units(unit_editor, division):
    from tests.factories import ServiceUnitFactory

    plan = PlanFactory(unit=ServiceUnitFactory(parent=division))
    plan = Plan.objects.with_unit().get(pk=plan.pk)
    assert unit_editor.has_perm("plans.change_plan", plan)
    assert visible_plans(unit_editor, Plan.objects.all()).filter(pk=plan.pk).exists()


def test_anonymous_user_has_no_permission(division):
    from django.contrib.auth.models import AnonymousUser

    plan = PlanFactory(unit=division, status="published")
    assert not AnonymousUser().has_perm("plans.view_plan", plan)
    assert not visible_plans(AnonymousUser(), Plan.objects.all()).exists()


# A role on a unit gives a viewer's reading of the units it replaced (Unit.predecessors), and of their
# units below: a committee member of FSC reads KASS's published plans; nobody edits or approves them.
# (user fixture, predecessor plan status, {permissions granted on the predecessor's service unit plan})
PREDECESSOR_MATRIX = [
    ("committee_member", "published", {"plans.view_plan"}),
    ("committee_member", "draft", set()),
    ("approver", "published", {"plans.view_plan"}),
    ("approver", "submitted", set()),
    ("unit_editor", "published", set()),  # a division's role does not reach the directorate's predecessor
    ("admin_user", "draft", set(PERMISSIONS)),
]


@pytest.mark.parametrize(("role", "status", "granted"), PREDECESSOR_MATRIX)
def test_roles_read_the_published_plans_of_the_units_their_unit_replaced(request, directorate, role, status, granted):
    from tests.factories import DirectorateFactory, ServiceUnitFactory, year

    predecessor = DirectorateFactory(council=directorate.council, code="OLD", first_year=year(2008))
    directorate.predecessors.add(predecessor)
    plan = PlanFactory(unit=ServiceUnitFactory(parent=predecessor), status=status, year=year(2008))
    user = request.getfixturevalue(role)
    plan = Plan.objects.with_unit().get(pk=plan.pk)
    assert {perm for perm in PERMISSIONS if user.has_perm(perm, plan)} == granted
    assert visible_plans(user, Plan.objects.all()).filter(pk=plan.pk).exists() == ("plans.view_plan" in granted)


def test_reading_predecessors_adds_no_query(directorate, committee_member, django_assert_num_queries):
    from tests.factories import DirectorateFactory, year

    directorate.predecessors.add(DirectorateFactory(council=directorate.council, code="OLD", first_year=year(2008)))
    with django_assert_num_queries(2):  # the memberships (predecessors joined in), then the plans
        list(visible_plans(committee_member, Plan.objects.all()))
