"""The change history of a plan, from django-simple-history's tables, in a fixed number of queries.

Apps above plans (monitoring) add their own records of a plan, such as monitoring returns, with
`register_source`, so that one page shows every change without plans importing them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from plans.models import Action, CriticalFunction, Decision, Milestone, Plan, PlanSection, Priority, Risk, SupportNeeded

IGNORED = {"id", "updated_at", "created_at", "plan", "priority"}


@dataclass(frozen=True)
class Source:
    """Historical records of one model for a plan, how to name a record, and fields not worth showing."""

    model: type
    records: object  # a queryset of the model's historical records
    describe: Callable | None = None  # record -> "what" text; by default the model's label and str()
    ignored: frozenset = frozenset()
    created_values: bool = False  # show the values a record was created with (returns), not just "Created"


# Functions plan, priority_ids -> [Source], registered by the apps above plans in their ready().
EXTRA_SOURCES: list[Callable] = []


def register_source(function: Callable) -> Callable:
    if function not in EXTRA_SOURCES:
        EXTRA_SOURCES.append(function)
    return function


@dataclass
class Change:
    at: datetime
    user: str
    kind: str  # Created, Changed, Deleted
    what: str
    fields: list[tuple[str, str, str]]  # (field label, old, new)


def _label(model):
    return model._meta.verbose_name.capitalize()


def _fields(model, ignored=frozenset()):
    return [f for f in model._meta.concrete_fields if f.name not in IGNORED and f.name not in ignored]


def _display(field, record):
    value = getattr(record, field.attname)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    return "" if value is None else str(value)


def plan_history(plan: Plan, limit: int = 300) -> list[Change]:
    priority_ids = set(Priority.history.filter(plan_id=plan.pk).values_list("id", flat=True))
    sources = [
        Source(Plan, Plan.history.filter(id=plan.pk)),
        Source(PlanSection, PlanSection.history.filter(plan_id=plan.pk)),
        Source(Priority, Priority.history.filter(plan_id=plan.pk)),
        Source(Risk, Risk.history.filter(plan_id=plan.pk)),
        Source(CriticalFunction, CriticalFunction.history.filter(plan_id=plan.pk)),
        Source(SupportNeeded, SupportNeeded.history.filter(plan_id=plan.pk)),
        Source(Action, Action.history.filter(priority_id__in=priority_ids)),
        Source(Milestone, Milestone.history.filter(priority_id__in=priority_ids)),
        Source(Decision, Decision.history.filter(priority_id__in=priority_ids)),
    ]
    for extra in EXTRA_SOURCES:
        sources += extra(plan, priority_ids)
    changes = []
    for source in sources:
        model = source.model
        fields = _fields(model, source.ignored)
        previous = {}
        for record in source.records.select_related("history_user").order_by("history_date", "history_id"):
            before = previous.get(record.id)
            if record.history_type == "+":
                kind = "Created"
                diffs = [
                    (f.verbose_name.capitalize(), "", _display(f, record))
                    for f in fields
                    if source.created_values and _display(f, record) not in ("", "False")
                ]
            elif record.history_type == "-":
                kind, diffs = "Deleted", []
            else:
                kind = "Changed"
                diffs = [
                    (f.verbose_name.capitalize(), _display(f, before) if before else "", _display(f, record))
                    for f in fields
                    if before is None or getattr(before, f.attname) != getattr(record, f.attname)
                ]
                if not diffs:
                    previous[record.id] = record
                    continue
            previous[record.id] = record
            changes.append(
                Change(
                    at=record.history_date,
                    user=record.history_user.get_full_name() or record.history_user.get_username()
                    if record.history_user
                    else "System (data load)",
                    kind=kind,
                    what=source.describe(record) if source.describe else f"{_label(model)}: {record.instance}",
                    fields=diffs,
                )
            )
    changes.sort(key=lambda change: change.at, reverse=True)
    return changes[:limit]
