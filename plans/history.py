"""The change history of a plan, from django-simple-history's tables, in a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime

from plans.models import Action, CriticalFunction, Decision, Milestone, Plan, PlanSection, Priority, Risk, SupportNeeded

IGNORED = {"id", "updated_at", "created_at", "plan", "priority"}


@dataclass
class Change:
    at: datetime
    user: str
    kind: str  # Created, Changed, Deleted
    what: str
    fields: list[tuple[str, str, str]]  # (field label, old, new)


def _label(model):
    return model._meta.verbose_name.capitalize()


def _fields(model):
    return [f for f in model._meta.concrete_fields if f.name not in IGNORED]


def _display(field, record):
    value = getattr(record, field.attname)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    return "" if value is None else str(value)


def plan_history(plan: Plan, limit: int = 300) -> list[Change]:
    priority_ids = set(Priority.history.filter(plan_id=plan.pk).values_list("id", flat=True))
    sources = [
        (Plan, Plan.history.filter(id=plan.pk)),
        (PlanSection, PlanSection.history.filter(plan_id=plan.pk)),
        (Priority, Priority.history.filter(plan_id=plan.pk)),
        (Risk, Risk.history.filter(plan_id=plan.pk)),
        (CriticalFunction, CriticalFunction.history.filter(plan_id=plan.pk)),
        (SupportNeeded, SupportNeeded.history.filter(plan_id=plan.pk)),
        (Action, Action.history.filter(priority_id__in=priority_ids)),
        (Milestone, Milestone.history.filter(priority_id__in=priority_ids)),
        (Decision, Decision.history.filter(priority_id__in=priority_ids)),
    ]
    changes = []
    for model, records in sources:
        previous = {}
        for record in records.select_related("history_user").order_by("history_date", "history_id"):
            fields = _fields(model)
            before = previous.get(record.id)
            if record.history_type == "+":
                kind, diffs = "Created", []
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
                    what=f"{_label(model)}: {record.instance}",
                    fields=diffs,
                )
            )
    changes.sort(key=lambda change: change.at, reverse=True)
    return changes[:limit]
