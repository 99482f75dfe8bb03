import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from budgets.models import StaffingEstablishment
from exchange.demo_accounts import create_demo_accounts
from exchange.seeds import load_all
from plans.models import (
    Action,
    Decision,
    Milestone,
    Plan,
    PlanSection,
    Priority,
    TemplateSection,
    TemplateSectionTable,
)
from tests.factories import (
    ActionFactory,
    CriticalFunctionFactory,
    DecisionFactory,
    DivisionFactory,
    MembershipFactory,
    MilestoneFactory,
    PlanFactory,
    PlanTemplateFactory,
    PriorityFactory,
    RiskFactory,
    SupportNeededFactory,
    UserFactory,
    year,
)

pytestmark = pytest.mark.django_db

APRIL_2013 = datetime.date(2013, 4, 1)
MARCH_2014 = datetime.date(2014, 3, 1)


def assert_refused(obj, message):
    """full_clean() names the rule, and the database refuses the row even without full_clean()."""
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    assert message in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


@pytest.fixture
def priority():
    return PriorityFactory(number=1, title="Prevention")


def test_duplicate_priority_number_is_refused_with_message(priority):
    duplicate = Priority(plan=priority.plan, number=priority.number, title="Another")
    assert_refused(duplicate, "This plan already has a priority with this number.")


def test_duplicate_headline_action_number_is_refused_with_message(priority):
    ActionFactory(priority=priority, number=1)
    duplicate = Action(priority=priority, number=1, sub_number=0, text="Again")
    assert_refused(duplicate, "This priority already has an action with this number.")


def test_duplicate_action_number_1_1_in_a_priority_is_refused_with_message(priority):
    ActionFactory(priority=priority, number=1)
    ActionFactory(priority=priority, number=1, sub_number=1)
    duplicate = Action(priority=priority, number=1, sub_number=1, text="Again")
    assert_refused(duplicate, "This priority already has an action with this number.")


def test_the_same_action_number_in_another_priority_is_allowed(priority):
    ActionFactory(priority=priority, number=1)
    other = PriorityFactory(plan=priority.plan)
    Action(priority=other, number=1, sub_number=0, text="Same number, other priority").full_clean()


def test_duplicate_milestone_letter_is_refused_with_message(priority):
    MilestoneFactory(priority=priority, letter="A")
    duplicate = Milestone(priority=priority, letter="A", text="Again")
    assert_refused(duplicate, "This priority already has a milestone with this letter.")


def test_duplicate_decision_number_is_refused_with_message(priority):
    DecisionFactory(priority=priority, number=1)
    duplicate = Decision(priority=priority, number=1, text="Again")
    assert_refused(duplicate, "This priority already has a decision with this number.")


def test_action_ending_before_it_starts_is_refused_with_message(priority):
    action = Action(priority=priority, number=1, text="Backwards", start=MARCH_2014, end=APRIL_2013)
    assert_refused(action, "The end month cannot be before the start month.")


@pytest.mark.parametrize(
    ("start", "end"), [(APRIL_2013, APRIL_2013), (APRIL_2013, MARCH_2014), (None, APRIL_2013), (APRIL_2013, None)]
)
def test_action_dates_in_order_or_missing_are_allowed(priority, start, end):
    action = Action(priority=priority, number=1, text="Fine", start=start, end=end)
    action.full_clean()
    action.save()


def test_one_plan_per_unit_year_and_version_label():
    plan = PlanFactory(version_label="Final Draft v 6")
    duplicate = Plan(
        unit=plan.unit, year=plan.year, template=plan.template, title="Copy", version_label="Final Draft v 6"
    )
    assert_refused(duplicate, "This unit already has a plan for this year with this version label.")


def test_another_version_of_the_same_plan_is_allowed():
    plan = PlanFactory(version_label="Final Draft v 6")
    Plan(unit=plan.unit, year=plan.year, template=plan.template, title="Next", version_label="Final").full_clean()


def test_template_section_position_is_unique_in_a_template():
    template = PlanTemplateFactory()
    duplicate = TemplateSection(template=template, order=1, code="Z", title="Clash on position")
    assert_refused(duplicate, "Two sections of a template cannot share a position.")


def test_template_section_code_is_unique_in_a_template():
    template = PlanTemplateFactory()
    duplicate = TemplateSection(template=template, order=99, code="A", title="Clash on code")
    assert_refused(duplicate, "Two sections of a template cannot share a code.")


def test_template_section_holds_each_kind_of_table_once():
    section = PlanTemplateFactory().sections.get(code="C")
    duplicate = TemplateSectionTable(section=section, kind="priorities", order=2)
    assert_refused(duplicate, "A section holds each kind of table once.")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("gross_expenditure", "-1.0", "Gross expenditure cannot be negative."),
        ("fte", "-0.5", "FTE cannot be negative."),
    ],
)
def test_plan_figures_cannot_be_negative(field, value, message):
    plan = PlanFactory.build(unit=DivisionFactory(), year=year(2013), template=PlanTemplateFactory())
    setattr(plan, field, value)
    assert_refused(plan, message)


def test_plan_clean_refuses_a_unit_that_did_not_exist_in_the_plan_year():
    unit = DivisionFactory(code="LDMH", name="Learning Disability", first_year=year(2013), last_year=year(2014))
    template = PlanTemplateFactory()
    for too_early_or_late in (2012, 2015):
        plan = Plan(unit=unit, year=year(too_early_or_late), template=template, title="T", version_label="v1")
        with pytest.raises(ValidationError) as error:
            plan.full_clean()
        label = f"{too_early_or_late}-{(too_early_or_late + 1) % 100:02d}"
        assert error.value.message_dict["unit"] == [f"Learning Disability (LDMH) did not exist in {label}."]
    Plan(unit=unit, year=year(2014), template=template, title="T", version_label="v1").full_clean()


def test_plan_section_must_belong_to_the_plan_template():
    plan = PlanFactory()
    other_section = PlanTemplateFactory().sections.get(code="A")
    with pytest.raises(ValidationError) as error:
        PlanSection(plan=plan, template_section=other_section, body="x").full_clean()
    assert error.value.message_dict["template_section"] == ["This section belongs to another plan template."]


def test_headline_label_is_the_number_and_a_sub_action_label_is_dotted(priority):
    headline = ActionFactory(priority=priority, number=1)
    sub_action = ActionFactory(priority=priority, number=1, sub_number=1)
    tenth = ActionFactory(priority=priority, number=1, sub_number=10)
    assert (headline.label, headline.is_headline) == ("1", True)
    assert (sub_action.label, sub_action.is_headline) == ("1.1", False)
    assert tenth.label == "1.10"


def test_month_fields_are_stored_as_the_first_of_the_month(priority):
    action = ActionFactory(priority=priority, start=datetime.date(2013, 4, 17), end=datetime.date(2014, 3, 31))
    action.refresh_from_db()
    assert (action.start, action.end) == (APRIL_2013, MARCH_2014)


def test_str_of_the_main_models_names_the_object():
    plan = PlanFactory(
        unit=DivisionFactory(code="LDMH"), year=year(2013), title="Divisional Business Plan", version_label="v 6"
    )
    priority = PriorityFactory(plan=plan, number=2, title="Productivity")
    assert str(plan) == "LDMH 2013-14 – Divisional Business Plan (v 6)"
    assert str(priority) == "Priority 2: Productivity"
    assert str(ActionFactory(priority=priority, number=1, text="Deliver the pilot")) == "1 Deliver the pilot"
    assert str(ActionFactory(priority=priority, number=1, sub_number=2, text="Recover")) == "1.2 Recover"
    assert str(MilestoneFactory(priority=priority, letter="B", text="Pilot live")) == "Milestone B: Pilot live"
    assert str(DecisionFactory(priority=priority, number=3, text="Close a home")) == "Decision 3: Close a home"
    assert str(RiskFactory(plan=plan, number=4, risk="Budget pressure")) == "Risk 4: Budget pressure"
    assert str(CriticalFunctionFactory(plan=plan, name="Safeguarding")) == "Safeguarding"
    assert str(SupportNeededFactory(plan=plan, activity="Payroll", impact="HR")) == "Payroll (HR)"
    assert str(plan.template.sections.get(code="C")).startswith("Section C: Priorities, actions")
    assert str(TemplateSectionTable.objects.get(section__template=plan.template, kind="priorities")) == (
        "C: Priorities, actions, milestones and decisions"
    )
    membership = MembershipFactory(user=UserFactory(username="jo.bloggs"), unit=plan.unit, role="approver")
    assert str(membership) == "jo.bloggs – Approver – LDMH"
    assert str(plan.year) == "2013-14"
    assert str(plan.unit) == f"{plan.unit.name} (LDMH)"
    long_text = "x" * 200
    assert len(str(ActionFactory(priority=priority, text=long_text))) < 80


def test_str_of_every_project_model_is_non_empty_and_not_the_default():
    """Every row of the demo, in every model of the project's apps, has a readable __str__."""
    load_all()
    create_demo_accounts()
    StaffingEstablishment.objects.get()  # the demo holds one, so budgets is covered too
    project_apps = {"common", "organisation", "accounts", "plans", "performance", "budgets", "exchange"}
    checked = 0
    for model in apps.get_models():
        if model._meta.app_label not in project_apps or model._meta.auto_created:
            continue
        for obj in model._default_manager.all()[:3]:
            text = str(obj)
            assert text.strip(), f"{model.__name__} #{obj.pk} has an empty __str__"
            assert f"{model.__name__} object (" not in text, f"{model.__name__} has no __str__"
            checked += 1
    assert checked > 20


@pytest.mark.parametrize("code", ["A", "2a", "3.1", "A-1", "10"])
def test_a_section_code_of_letters_digits_dots_or_hyphens_is_allowed(code):
    section = TemplateSection(template=PlanTemplateFactory(sections=[]), order=1, code=code, title="Purpose")
    section.full_clean()


@pytest.mark.parametrize("code", ["1/2", "A B", ".1", "-", "A\n"])
def test_a_section_code_that_cannot_name_its_page_is_refused_with_message(code):
    """The code is part of the section page's address (/plans/<plan>/sections/<code>/)."""
    section = TemplateSection(template=PlanTemplateFactory(sections=[]), order=1, code=code, title="Purpose")
    with pytest.raises(ValidationError, match="A section code is letters, digits, dots or hyphens"):
        section.full_clean()
