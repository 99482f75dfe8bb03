"""A round of DIR with published plans for DIV and OTHER, and returns on their headline actions."""

import pytest
from django.test import Client

from monitoring import services
from plans.models import Action
from tests.factories import year
from tests.monitoring.conftest import DEADLINE, entry, published_plan

ROLES = ["admin_user", "unit_editor", "other_unit_editor", "approver", "committee_member", "anonymous"]


@pytest.fixture
def client_as(request, client_for):
    def make(role):
        return Client() if role == "anonymous" else client_for(request.getfixturevalue(role))

    return make


def return_all(round_, plan, user, statuses):
    """Return the plan's headline actions with these statuses in turn (sub-actions on course)."""
    actions = list(Action.objects.filter(priority__plan=plan).order_by("priority__number", "number", "sub_number"))
    headlines = [a for a in actions if a.sub_number == 0]
    data = {a.pk: entry(status="on_course", commentary=f"Commentary {a.label}") for a in actions}
    for action, status in zip(headlines, statuses, strict=False):
        data[action.pk] = entry(status=status, commentary=f"Commentary {action.label}")
    services.return_save(round_=round_, plan=plan, user=user, actions=data)
    return headlines


@pytest.fixture
def plans(division, other_division):
    return published_plan(division, priorities=2, actions=2), published_plan(other_division, priorities=1, actions=3)


@pytest.fixture
def round_(directorate, admin_user, plans):
    round_ = services.round_open(
        user=admin_user, directorate=directorate, year=year(2013), kind="mid_year", deadline=DEADLINE
    )
    div_plan, other_plan = plans
    # DIV: 4 headline actions, 1 completed, 3 on course. OTHER: 3, 1 completed, 1 on course, 1 delayed.
    return_all(round_, div_plan, admin_user, ["completed", "on_course", "on_course", "on_course"])
    return_all(round_, other_plan, admin_user, ["completed", "on_course", "delayed"])
    return round_
