"""A published plan of DIV with content, and an open mid-year round for its directorate (DIR)."""

import datetime
import re
from html import unescape

import pytest

from monitoring import services
from plans.models import Action, Plan
from tests.factories import PlanFactory, fill_plan, year

DEADLINE = datetime.date(2013, 11, 15)
BEFORE_DEADLINE = datetime.datetime(2013, 11, 1, 10, 0, tzinfo=datetime.UTC)
AFTER_DEADLINE = datetime.datetime(2013, 11, 20, 10, 0, tzinfo=datetime.UTC)


def published_plan(unit, *, priorities=2, actions=2, sub_actions=1) -> Plan:
    plan = PlanFactory(unit=unit, status=Plan.Status.PUBLISHED)
    fill_plan(plan, priorities=priorities, actions=actions, sub_actions=sub_actions)
    return Plan.objects.with_unit().get(pk=plan.pk)


@pytest.fixture
def plan(division):
    return published_plan(division)


@pytest.fixture
def round_(directorate, admin_user, plan):
    return services.round_open(
        user=admin_user, directorate=directorate, year=year(2013), kind="mid_year", deadline=DEADLINE
    )


@pytest.fixture
def actions(plan):
    return list(Action.objects.filter(priority__plan=plan).order_by("priority__number", "number", "sub_number"))


def entry(version=0, status="", commentary="", withdrawn="", withdrawn_note="", merged_into=None):
    return {
        "version": version,
        "status": status,
        "commentary": commentary,
        "withdrawn": withdrawn,
        "withdrawn_note": withdrawn_note,
        "merged_into": merged_into,
    }


def row_cells(html: str, row_id: str) -> list[str]:
    """The text of each cell (th and td) of the table row with this id."""
    row = re.search(rf'<tr[^>]*id="{row_id}"[^>]*>(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split()) for cell in cells]
