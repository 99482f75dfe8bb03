"""What the plan checks (plans/checks.py) read, fetched as plain rows rather than model instances.

A page of the plan list checks fifty plans at once: some 6,000 priorities, actions, milestones,
decisions, indicators and indicator years. As model instances, with Django's prefetching joining them
up, that took about two thirds of the page's time; as values joined up here, about a third of that
(docs/benchmarks.md).

Each row has the fields the checks read, under the model's names, and the model's own rules for what it
derives (an action's label, whether an indicator is rated), so that a check reads a row as it would an
instance. `model_name` names the model, for the link to the item's editing page.
"""

import datetime
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import ClassVar

from django.db.models import Exists, OuterRef

from organisation.models import Unit
from plans.models import Action, Decision, Milestone, Priority

# The performance app sits above plans: its models are reached through the relations, not imported.
_Indicator = Unit.indicators.rel.related_model
_IndicatorYear = _Indicator.years.rel.related_model
_Target = _IndicatorYear.targets.rel.related_model


@dataclass(slots=True)
class CheckedAction:
    model_name: ClassVar[str] = "action"
    pk: int
    number: int
    sub_number: int
    officer: str
    start: datetime.date | None
    end: datetime.date | None

    @property
    def label(self) -> str:
        return Action.label_of(self.number, self.sub_number)

    @property
    def is_headline(self) -> bool:
        return Action.headline_sub_number(self.sub_number)


@dataclass(slots=True)
class CheckedMilestone:
    model_name: ClassVar[str] = "milestone"
    pk: int
    letter: str
    due: datetime.date | None


@dataclass(slots=True)
class CheckedDecision:
    model_name: ClassVar[str] = "decision"
    pk: int
    number: int
    in_forward_plan: bool | None


@dataclass(slots=True)
class CheckedPriority:
    model_name: ClassVar[str] = "priority"
    pk: int
    number: int
    title: str
    checked_actions: list[CheckedAction] = field(default_factory=list)
    checked_milestones: list[CheckedMilestone] = field(default_factory=list)
    checked_decisions: list[CheckedDecision] = field(default_factory=list)


@dataclass(slots=True)
class CheckedYear:
    """An indicator's figures for a plan year: whether it has targets, not the targets themselves."""

    year_id: int
    has_targets: bool
    relative_target_percent: object
    target_note: str


@dataclass(slots=True)
class CheckedIndicator:
    model_name: ClassVar[str] = "indicator"
    pk: int
    reference: str
    title: str
    polarity: str
    checked_years: list[CheckedYear] = field(default_factory=list)

    # The indicator's own rules, applied to the row's fields.
    label = property(_Indicator.label.fget)
    is_rated = property(_Indicator.is_rated.fget)


def fetch(plans) -> None:
    """Set, on each plan, `checked_priorities` (with their actions, milestones and decisions) and, on its
    unit, `checked_indicators` with their figures of the plans' years: at most six queries however many
    plans (fewer where there are no priorities or indicators to read rows of)."""
    plans = list(plans)
    if not plans:
        return
    by_plan = _priorities({plan.pk for plan in plans})
    for plan in plans:
        plan.checked_priorities = by_plan.get(plan.pk, [])
    by_unit = _indicators({plan.unit_id for plan in plans}, {plan.year_id for plan in plans})
    for plan in plans:
        plan.unit.checked_indicators = by_unit.get(plan.unit_id, [])


@contextmanager
def fetched(plans):
    """fetch(plans) for the length of the block, the rows taken off the plans when it ends.

    So the rows are freed as the block ends. Left on the plans of a page of the plan list, they would be
    freed only with the django-tables2 table that holds those plans, which is a reference cycle: the
    cyclic collector then freed some 67,000 objects at once, in 40 to 100 ms, within a later request."""
    plans = list(plans)
    fetch(plans)
    try:
        yield plans
    finally:
        for plan in plans:
            plan.__dict__.pop("checked_priorities", None)
            plan.unit.__dict__.pop("checked_indicators", None)


def _priorities(plan_ids) -> dict[int, list[CheckedPriority]]:
    priorities, by_plan = {}, defaultdict(list)
    rows = Priority.objects.filter(plan_id__in=plan_ids).order_by("plan_id", "number", "id")
    for plan_id, *values in rows.values_list("plan_id", "id", "number", "title"):
        priority = priorities[values[0]] = CheckedPriority(*values)
        by_plan[plan_id].append(priority)
    if not priorities:
        return by_plan
    # Ordered as the plan prints them; grouped by priority here, which keeps that order within each.
    in_plans = {"priority__plan_id__in": plan_ids}
    actions = Action.objects.filter(**in_plans).order_by("number", "sub_number", "id")
    for priority_id, *values in actions.values_list(
        "priority_id", "id", "number", "sub_number", "officer", "start", "end"
    ):
        priorities[priority_id].checked_actions.append(CheckedAction(*values))
    milestones = Milestone.objects.filter(**in_plans).order_by("letter", "id")
    for priority_id, *values in milestones.values_list("priority_id", "id", "letter", "due"):
        priorities[priority_id].checked_milestones.append(CheckedMilestone(*values))
    decisions = Decision.objects.filter(**in_plans).order_by("number", "id")
    for priority_id, *values in decisions.values_list("priority_id", "id", "number", "in_forward_plan"):
        priorities[priority_id].checked_decisions.append(CheckedDecision(*values))
    return by_plan


def _indicators(unit_ids, year_ids) -> dict[int, list[CheckedIndicator]]:
    indicators, by_unit = {}, defaultdict(list)
    rows = _Indicator.objects.filter(unit_id__in=unit_ids).order_by("order", "reference", "id")
    for unit_id, *values in rows.values_list("unit_id", "id", "reference", "title", "polarity"):
        indicator = indicators[values[0]] = CheckedIndicator(*values)
        by_unit[unit_id].append(indicator)
    if not indicators:
        return by_unit
    # Only the plans' own years (all of them would be thousands of rows), and whether each has targets:
    # an EXISTS rather than every monthly target.
    targets = _Target.objects.filter(indicator_year=OuterRef("pk"))
    years = _IndicatorYear.objects.filter(indicator__unit_id__in=unit_ids, year_id__in=year_ids)
    years = years.annotate(has_targets=Exists(targets)).order_by("year_id", "id")
    fields = ("indicator_id", "year_id", "has_targets", "relative_target_percent", "target_note")
    for indicator_id, *values in years.values_list(*fields):
        indicators[indicator_id].checked_years.append(CheckedYear(*values))
    return by_unit
