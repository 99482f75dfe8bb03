"""The query budget of the main pages (issue 10): at most 15 SQL queries each, the same however large.

Each page is read once for a small directorate, then again after every table it shows has grown
(more priorities, actions, returns, indicators with more figures, budget lines, plans and units),
signed in as the user who reads it in the journeys. A page whose count changes with the size has an
N+1 somewhere. The scale benchmark (bench/scale.py,
docs/benchmarks.md) measures the same pages on a council of 6,000 actions.
"""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring import services
from plans.models import Action, Plan
from tests.budgets.factories import DIVISIONAL, BudgetLineFactory, use_columns
from tests.factories import (
    SEED_TEMPLATE_SECTIONS,
    ActionFactory,
    CriticalFunctionFactory,
    DecisionFactory,
    DivisionFactory,
    MilestoneFactory,
    PlanFactory,
    PriorityFactory,
    RiskFactory,
    ServiceUnitFactory,
    SupportNeededFactory,
    year,
)
from tests.monitoring.conftest import DEADLINE, entry, published_plan
from tests.performance.factories import IndicatorFactory, fill_indicator

MAX_QUERIES = 15

# Each page is counted twice: read afresh (nothing cached, as on the first read after any change) and
# read again (what common/cache.py keeps is reused). A plan is read a section at a page: each section
# page reads only the tables of its own kinds, so the heaviest (C, with the priorities, actions,
# milestones, decisions, their themes and objectives) is counted with the others.
SECTIONS = [code for code, _, _ in SEED_TEMPLATE_SECTIONS]


def _section(code):
    return lambda w: reverse("plans:section", args=[w["plan"].pk, code])


PAGES = [
    # (name, who reads it, url of the world)
    ("plan page", "committee_member", lambda w: reverse("plans:detail", args=[w["plan"].pk])),
    ("plan page", "admin_user", lambda w: reverse("plans:detail", args=[w["plan"].pk])),
    *((f"plan section {code}", "committee_member", _section(code)) for code in SECTIONS),
    ("plan section C", "unit_editor", lambda w: reverse("plans:section", args=[w["draft"].pk, "C"])),
    ("plan list", "committee_member", lambda w: reverse("plans:list")),
    ("plan list", "approver", lambda w: reverse("plans:list")),
    ("dashboards index", "committee_member", lambda w: reverse("dashboards:index")),
    ("dashboard", "committee_member", lambda w: reverse("dashboards:round", args=[w["round"].pk])),
    (
        "drill-down",
        "committee_member",
        lambda w: reverse("dashboards:division", args=[w["round"].pk, w["plan"].unit_id]),
    ),
    ("round progress", "committee_member", lambda w: reverse("monitoring:detail", args=[w["round"].pk])),
    ("round progress", "unit_editor", lambda w: reverse("monitoring:detail", args=[w["round"].pk])),
    ("indicator list", "committee_member", lambda w: reverse("performance:list")),
    ("indicator list", "admin_user", lambda w: reverse("performance:list")),
    ("indicator page", "committee_member", lambda w: reverse("performance:detail", args=[w["indicator"].pk])),
    ("budget grid", "unit_editor", lambda w: reverse("budgets:grid", args=[w["draft"].pk])),
]


def _return_new_actions(round_, plan, user):
    """A return for each of the plan's actions that has none in the round yet."""
    fresh = Action.objects.filter(priority__plan=plan).exclude(monitoring_returns__round=round_)
    data = {a.pk: entry(status="delayed" if a.number % 2 else "on_course", commentary="Why.") for a in fresh}
    services.return_save(round_=round_, plan=plan, user=user, actions=data)


def _indicators(unit, count, periods):
    for _ in range(count):
        fill_indicator(IndicatorFactory(unit=unit), periods=periods)


@pytest.fixture
def world(directorate, division, other_division, admin_user, unit_editor, approver, committee_member):
    """A small directorate: a published plan of DIV in an open round with returns, an indicator, a draft's budget."""
    plan = published_plan(division, priorities=1, actions=1)
    other = published_plan(other_division, priorities=1, actions=1)
    round_ = services.round_open(
        user=admin_user, directorate=directorate, year=year(2013), kind="mid_year", deadline=DEADLINE
    )
    for each in (plan, other):
        _return_new_actions(round_, each, admin_user)
    _indicators(division, 1, periods=1)
    draft = PlanFactory(unit=division, template=plan.template, status=Plan.Status.DRAFT)
    _more_content(draft)
    use_columns(draft, DIVISIONAL)
    BudgetLineFactory(plan=draft, kind="area", code="", staffing=Decimal("1.0"))
    BudgetLineFactory(plan=plan, kind="area", code="", staffing=Decimal("1.0"))
    return {
        "plan": plan,
        "other": other,
        "round": round_,
        "draft": draft,
        "division": division,
        "indicator": division.indicators.first(),
        "directorate": directorate,
        "admin": admin_user,
    }


def _more_content(plan):
    for _ in range(2):
        priority = PriorityFactory(plan=plan)
        for _ in range(2):
            headline = ActionFactory(priority=priority)
            ActionFactory(priority=priority, number=headline.number, sub_number=1)
            MilestoneFactory(priority=priority)
            DecisionFactory(priority=priority)
        RiskFactory(plan=plan)
        CriticalFunctionFactory(plan=plan)
        SupportNeededFactory(plan=plan)


def _grow(world):
    """Three times as much of everything the pages show, and more units and plans."""
    admin, division = world["admin"], world["division"]
    for plan in (world["plan"], world["other"]):
        _more_content(plan)
        _return_new_actions(world["round"], plan, admin)
    _more_content(world["draft"])
    new_division = DivisionFactory(parent=world["directorate"])
    service_unit = ServiceUnitFactory(parent=division)
    for unit in (new_division, service_unit):
        _return_new_actions(world["round"], published_plan(unit, priorities=2, actions=2), admin)
        _indicators(unit, 2, periods=3)
    fill_indicator(world["indicator"], periods=6, start_year=2014)
    _indicators(division, 2, periods=5)
    for target in (world["draft"], world["plan"]):
        for _ in range(3):
            BudgetLineFactory(plan=target, kind="area", code="", staffing=Decimal("2.5"))
    PlanFactory(unit=division, status=Plan.Status.DRAFT)


def _count(client, url, *, afresh):
    client.get(url)  # once first: per-process caches (content types, templates) do not count
    if afresh:
        cache.clear()  # and nothing of the app's cache (sessions included) either
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize(("page", "role", "url"), PAGES, ids=[f"{p}-{r}" for p, r, _ in PAGES])
@pytest.mark.parametrize("afresh", [True, False], ids=["afresh", "again"])
def test_page_stays_within_its_query_budget_whatever_the_size(request, client_for, world, page, role, url, afresh):
    client = client_for(request.getfixturevalue(role))
    small = _count(client, url(world), afresh=afresh)
    _grow(world)
    large = _count(client, url(world), afresh=afresh)
    read = "afresh" if afresh else "again"
    assert large == small, f"{page} as {role}, read {read}: {small} queries when small, {large} when large"
    assert small <= MAX_QUERIES, f"{page} as {role}, read {read}: {small} queries, budget {MAX_QUERIES}"
    request.node.user_properties.append((f"{page} ({role}) queries read {read}", small))
