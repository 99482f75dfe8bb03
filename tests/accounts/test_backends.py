"""accounts/backends.py: Django's model permissions for staff only; the user loaded with their memberships."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.backends import StaffModelBackend
from accounts.models import Membership
from accounts.permissions import directorates_reached, visible_plans
from plans.models import Plan
from tests.factories import MembershipFactory, PlanFactory, UserFactory


@pytest.fixture
def change_plan_permission(db):
    return Permission.objects.get(codename="change_plan", content_type__app_label="plans")


@pytest.mark.parametrize(("is_staff", "expected"), [(True, True), (False, False)])
def test_model_permissions_count_for_staff_only(change_plan_permission, is_staff, expected):
    user = UserFactory(is_staff=is_staff)
    user.user_permissions.add(change_plan_permission)
    assert StaffModelBackend().has_perm(user, "plans.change_plan") is expected


def test_a_non_staff_user_costs_no_permission_query(db):
    user = UserFactory()
    with CaptureQueriesContext(connection) as queries:
        assert StaffModelBackend().get_all_permissions(user) == set()
    assert len(queries) == 0


def test_the_user_comes_with_their_memberships_in_one_query(directorate, division, other_division):
    user = UserFactory()
    MembershipFactory(user=user, unit=division, role=Membership.Role.EDITOR)
    MembershipFactory(user=user, unit=directorate, role=Membership.Role.VIEWER)
    with CaptureQueriesContext(connection) as queries:
        loaded = StaffModelBackend().get_user(user.pk)
        reached = directorates_reached(loaded)
        visible_plans(loaded, Plan.objects.all())  # builds its filter from the rows read with the user
    assert len(queries) == 1
    assert loaded == user
    assert reached == {directorate.pk}


def test_what_the_user_may_read_is_the_same_whichever_way_memberships_are_read(directorate, division):
    user = UserFactory()
    MembershipFactory(user=user, unit=division, role=Membership.Role.EDITOR)
    draft = PlanFactory(unit=division)
    PlanFactory()  # another directorate's plan
    loaded = StaffModelBackend().get_user(user.pk)
    fresh = type(user).objects.get(pk=user.pk)  # no rows attached: _reach queries them
    assert list(visible_plans(loaded, Plan.objects.all())) == list(visible_plans(fresh, Plan.objects.all())) == [draft]
    assert loaded.has_perm("plans.change_plan", draft)
    assert fresh.has_perm("plans.change_plan", draft)


def test_a_user_without_memberships_or_an_unknown_id(db):
    user = UserFactory()
    loaded = StaffModelBackend().get_user(user.pk)
    assert loaded == user
    assert loaded._kent_membership_rows == []
    assert StaffModelBackend().get_user(user.pk + 1000) is None
    assert StaffModelBackend().get_user("not-a-number") is None


def test_an_inactive_user_is_not_loaded(db):
    assert StaffModelBackend().get_user(UserFactory(is_active=False).pk) is None
