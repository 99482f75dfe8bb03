"""factory-boy factories for every model the tests build.

Defaults make a valid 2013-14 divisional plan: a division under a directorate that both start in
2013, and a template with sections A to G holding the same tables as the seed template.
Numbers (priority, action, milestone letter …) default to the next free one in their parent.
"""

import datetime
import string

import factory
from django.contrib.auth import get_user_model
from django.db.models import Max
from factory.django import DjangoModelFactory, Password

from accounts.models import Membership
from common.models import FinancialYear
from organisation.models import Council, Unit
from plans.models import (
    Action,
    CriticalFunction,
    Decision,
    Milestone,
    Plan,
    PlanSection,
    PlanTemplate,
    Priority,
    Risk,
    SupportNeeded,
    TableKind,
    TemplateSection,
    TemplateSectionTable,
)

TEST_PASSWORD = "a-test-password-1"

# The 2013-14 divisional template, as in fixtures/seeds/fsc-organisation.json: (code, title, tables).
SEED_TEMPLATE_SECTIONS = [
    ("A", "Role/purpose of function", []),
    ("B", "Contribution to MTP objectives", [TableKind.CORPORATE_OBJECTIVES]),
    (
        "C",
        "Priorities, actions, programmes, projects, milestones, key or significant decisions",
        [TableKind.PRIORITIES],
    ),
    ("D", "Financial and human resources", [TableKind.FINANCIAL_RESOURCES, TableKind.HUMAN_RESOURCES]),
    ("E", "Risks and business continuity", [TableKind.RISKS, TableKind.CRITICAL_FUNCTIONS]),
    ("F", "Performance and activity indicators", [TableKind.INDICATORS]),
    ("G", "Activity requiring support from other divisions/services", [TableKind.SUPPORT_NEEDED]),
]


def _next(queryset, field="number"):
    return (queryset.aggregate(highest=Max(field))["highest"] or 0) + 1


class FinancialYearFactory(DjangoModelFactory):
    class Meta:
        model = FinancialYear
        django_get_or_create = ("start_year",)

    start_year = 2013


def year(start_year: int) -> FinancialYear:
    return FinancialYearFactory(start_year=start_year)


class CouncilFactory(DjangoModelFactory):
    class Meta:
        model = Council

    name = factory.Sequence(lambda n: f"Test County Council {n}")
    short_name = factory.Sequence(lambda n: f"TCC{n}")


class UnitFactory(DjangoModelFactory):
    """A directorate. DivisionFactory and ServiceUnitFactory hang below one."""

    class Meta:
        model = Unit

    council = factory.SubFactory(CouncilFactory)
    level = Unit.Level.DIRECTORATE
    parent = None
    code = factory.Sequence(lambda n: f"DIR{n}")
    name = factory.LazyAttribute(lambda o: f"Directorate {o.code}")
    first_year = factory.SubFactory(FinancialYearFactory, start_year=2013)
    last_year = None


DirectorateFactory = UnitFactory


class DivisionFactory(UnitFactory):
    level = Unit.Level.DIVISION
    parent = factory.SubFactory(DirectorateFactory)
    council = factory.SelfAttribute("parent.council")
    code = factory.Sequence(lambda n: f"DIV{n}")
    name = factory.LazyAttribute(lambda o: f"Division {o.code}")


class ServiceUnitFactory(UnitFactory):
    level = Unit.Level.SERVICE_UNIT
    parent = factory.SubFactory(DivisionFactory)
    council = factory.SelfAttribute("parent.council")
    code = factory.Sequence(lambda n: f"SU{n}")
    name = factory.LazyAttribute(lambda o: f"Service unit {o.code}")


class PlanTemplateFactory(DjangoModelFactory):
    """A template with sections A to G and their tables, like the seed's 2013-14 divisional template."""

    class Meta:
        model = PlanTemplate
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"divisional-{n}")
    name = factory.Sequence(lambda n: f"Divisional business plan {n}")

    @factory.post_generation
    def sections(template, create, extracted, **kwargs):
        if not create:
            return
        rows = SEED_TEMPLATE_SECTIONS if extracted is None else extracted
        for order, (code, title, tables) in enumerate(rows, start=1):
            section = TemplateSection.objects.create(template=template, order=order, code=code, title=title)
            for table_order, kind in enumerate(tables, start=1):
                TemplateSectionTable.objects.create(section=section, kind=kind, order=table_order)


class TemplateSectionFactory(DjangoModelFactory):
    class Meta:
        model = TemplateSection

    template = factory.SubFactory(PlanTemplateFactory, sections=[])
    order = factory.LazyAttribute(lambda o: _next(o.template.sections, "order"))
    code = factory.LazyAttribute(lambda o: string.ascii_uppercase[o.order - 1])
    title = factory.LazyAttribute(lambda o: f"Section {o.code} title")


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan

    unit = factory.SubFactory(DivisionFactory)
    year = factory.SubFactory(FinancialYearFactory, start_year=2013)
    template = factory.SubFactory(PlanTemplateFactory)
    title = factory.Sequence(lambda n: f"Divisional Business Plan number {n}")
    version_label = factory.Sequence(lambda n: f"Version {n}")
    version_date = datetime.date(2012, 12, 16)
    status = Plan.Status.DRAFT


class PlanSectionFactory(DjangoModelFactory):
    class Meta:
        model = PlanSection

    plan = factory.SubFactory(PlanFactory)
    template_section = factory.LazyAttribute(lambda o: o.plan.template.sections.first())
    body = "Narrative text."


class PriorityFactory(DjangoModelFactory):
    class Meta:
        model = Priority

    plan = factory.SubFactory(PlanFactory)
    number = factory.LazyAttribute(lambda o: _next(o.plan.priorities))
    title = factory.LazyAttribute(lambda o: f"Priority title {o.number}")
    description = "What the priority is about."


class ActionFactory(DjangoModelFactory):
    """A headline action by default; pass number and sub_number for a sub-action (1.1)."""

    class Meta:
        model = Action

    priority = factory.SubFactory(PriorityFactory)
    sub_number = 0
    number = factory.LazyAttribute(lambda o: _next(o.priority.actions.filter(sub_number=0)))
    text = factory.Sequence(lambda n: f"Action text {n}")
    officer = "Head of Service"
    start = datetime.date(2013, 4, 1)
    end = datetime.date(2014, 3, 1)


class MilestoneFactory(DjangoModelFactory):
    class Meta:
        model = Milestone

    priority = factory.SubFactory(PriorityFactory)
    letter = factory.LazyAttribute(lambda o: string.ascii_uppercase[o.priority.milestones.count()])
    text = factory.Sequence(lambda n: f"Milestone text {n}")
    due = datetime.date(2013, 9, 1)


class DecisionFactory(DjangoModelFactory):
    class Meta:
        model = Decision

    priority = factory.SubFactory(PriorityFactory)
    number = factory.LazyAttribute(lambda o: _next(o.priority.decisions))
    text = factory.Sequence(lambda n: f"Decision text {n}")
    in_forward_plan = None


class RiskFactory(DjangoModelFactory):
    class Meta:
        model = Risk

    plan = factory.SubFactory(PlanFactory)
    number = factory.LazyAttribute(lambda o: _next(o.plan.risks))
    risk = factory.Sequence(lambda n: f"Risk text {n}")
    mitigation = "Mitigation text."


class CriticalFunctionFactory(DjangoModelFactory):
    class Meta:
        model = CriticalFunction

    plan = factory.SubFactory(PlanFactory)
    number = factory.LazyAttribute(lambda o: _next(o.plan.critical_functions))
    name = factory.Sequence(lambda n: f"Critical function {n}")
    timescale = "4 hours"
    minimum_service_level = "Minimum service level text."


class SupportNeededFactory(DjangoModelFactory):
    class Meta:
        model = SupportNeeded

    plan = factory.SubFactory(PlanFactory)
    number = factory.LazyAttribute(lambda o: _next(o.plan.support_needed))
    activity = factory.Sequence(lambda n: f"Support activity {n}")
    impact = "Finance"
    expected = datetime.date(2013, 6, 1)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = Password(TEST_PASSWORD)


class SuperuserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"superuser{n}")
    is_staff = True
    is_superuser = True


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(DivisionFactory)
    role = Membership.Role.EDITOR


def fill_plan(plan: Plan, *, priorities: int, actions: int, sub_actions: int = 1) -> Plan:
    """Give the plan content in every table, scaled by the numbers given.

    Each priority gets `actions` headline actions, each with `sub_actions` sub-actions, plus as many
    milestones and decisions as headline actions; the plan gets as many risks, critical functions,
    section G rows and narrative sections as priorities.
    """
    for _ in range(priorities):
        priority = PriorityFactory(plan=plan)
        for _ in range(actions):
            headline = ActionFactory(priority=priority)
            for sub in range(1, sub_actions + 1):
                ActionFactory(priority=priority, number=headline.number, sub_number=sub)
            MilestoneFactory(priority=priority)
            DecisionFactory(priority=priority)
        RiskFactory(plan=plan)
        CriticalFunctionFactory(plan=plan)
        SupportNeededFactory(plan=plan)
    for section in plan.template.sections.all()[:priorities]:
        PlanSectionFactory(plan=plan, template_section=section, body=f"Narrative of section {section.code}.")
    return plan
