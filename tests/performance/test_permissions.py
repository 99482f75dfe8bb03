"""Who may read indicators and enter their figures (accounts/permissions.py): the object rules and
the queryset `visible_indicators()` agree for every role."""

import pytest

from accounts.permissions import visible_indicators
from performance.models import Indicator
from plans.models import Plan
from tests.factories import PlanFactory, ServiceUnitFactory
from tests.performance.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

# (role, plan status of the unit or None for no plan, may view, may enter figures)
MATRIX = [
    ("admin_user", None, True, True),
    ("unit_editor", None, True, True),
    ("other_unit_editor", None, False, False),
    ("approver", None, True, False),
    ("committee_member", None, False, False),
    ("committee_member", Plan.Status.DRAFT, False, False),
    ("committee_member", Plan.Status.APPROVED, False, False),
    ("committee_member", Plan.Status.PUBLISHED, True, False),
]


@pytest.mark.parametrize(("role", "plan_status", "may_view", "may_enter"), MATRIX)
def test_permission_matrix_on_a_division_indicator(request, division, role, plan_status, may_view, may_enter):
    user = request.getfixturevalue(role)
    indicator = IndicatorFactory(unit=division)
    if plan_status:
        PlanFactory(unit=division, status=plan_status)
    indicator = Indicator.objects.select_related("unit__parent").get(pk=indicator.pk)
    assert user.has_perm("performance.view_indicator", indicator) is may_view
    assert (indicator in visible_indicators(user, Indicator.objects.all())) is may_view
    assert user.has_perm("performance.enter_actuals", indicator.unit) is may_enter


def test_a_division_membership_reaches_its_service_units(division, unit_editor, committee_member):
    service_unit = ServiceUnitFactory(parent=division)
    indicator = IndicatorFactory(unit=service_unit)
    assert list(visible_indicators(unit_editor, Indicator.objects.all())) == [indicator]
    assert unit_editor.has_perm("performance.enter_actuals", service_unit)
    assert list(visible_indicators(committee_member, Indicator.objects.all())) == []
    PlanFactory(unit=service_unit, status=Plan.Status.PUBLISHED)
    assert list(visible_indicators(committee_member, Indicator.objects.all())) == [indicator]


def test_anonymous_users_see_nothing(division):
    from django.contrib.auth.models import AnonymousUser

    IndicatorFactory(unit=division)
    assert list(visible_indicators(AnonymousUser(), Indicator.objects.all())) == []
    assert not AnonymousUser().has_perm("performance.enter_actuals", division)
