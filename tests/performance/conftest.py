"""Fixtures of the performance tests. The shared roles (unit_editor, other_unit_editor, approver,
committee_member, admin_user) come from tests/conftest.py."""

import pytest
from hypothesis import settings

from plans.models import Plan
from tests.factories import PlanFactory

# No example database in the project folder, and no deadline: CI machines are slow at times.
settings.register_profile("kent-plans", database=None, deadline=None)
settings.load_profile("kent-plans")


@pytest.fixture
def published_plan(division):
    """Committee members see a unit's indicators only where the unit has a published plan."""
    return PlanFactory(unit=division, status=Plan.Status.PUBLISHED)
