"""Monitoring returns on the plan's history page (plans/history.py): who changed a return, when, from what to what.

Registered in MonitoringConfig.ready(), so that plans never imports monitoring. Each source is a lazy
queryset and the names of rounds and actions are looked up once per page, so the page's query count
does not grow with the number of returns.
"""

from functools import cache

from plans.history import Source
from plans.models import Action, Milestone

# Who and when are on every change already; the links to round and item are in the description.
RETURN_IGNORED = frozenset({"round", "action", "milestone", "entered_by", "entered_at", "version"})


def return_sources(plan, priority_ids) -> list[Source]:
    from monitoring.models import ActionReturn, DecisionChange, MilestoneReturn, PriorityReturn, Round

    action_ids = Action.history.filter(priority_id__in=priority_ids).values("id")
    milestone_ids = Milestone.history.filter(priority_id__in=priority_ids).values("id")

    @cache
    def round_names():
        return dict(Round.objects.values_list("id", "name"))

    @cache
    def action_labels():
        labels = {}
        for pk, number, sub_number in (
            Action.history.filter(priority_id__in=priority_ids)
            .order_by("history_date", "history_id")
            .values_list("id", "number", "sub_number")
        ):
            labels[pk] = str(number) if sub_number == 0 else f"{number}.{sub_number}"
        return labels

    @cache
    def milestone_letters():
        return dict(
            Milestone.history.filter(priority_id__in=priority_ids)
            .order_by("history_date", "history_id")
            .values_list("id", "letter")
        )

    @cache
    def priority_numbers():
        return dict(
            plan.priorities.model.history.filter(plan_id=plan.pk)
            .order_by("history_date", "history_id")
            .values_list("id", "number")
        )

    def where(record) -> str:
        return f"Monitoring return, {round_names().get(record.round_id, 'a removed round')}"

    return [
        Source(
            ActionReturn,
            ActionReturn.history.filter(action_id__in=action_ids),
            lambda r: f"{where(r)}: action {action_labels().get(r.action_id, '?')}",
            RETURN_IGNORED,
            created_values=True,
        ),
        Source(
            MilestoneReturn,
            MilestoneReturn.history.filter(milestone_id__in=milestone_ids),
            lambda r: f"{where(r)}: milestone {milestone_letters().get(r.milestone_id, '?')}",
            RETURN_IGNORED,
            created_values=True,
        ),
        Source(
            PriorityReturn,
            PriorityReturn.history.filter(priority_id__in=priority_ids),
            lambda r: f"{where(r)}: priority {priority_numbers().get(r.priority_id, '?')}",
            RETURN_IGNORED,
            created_values=True,
        ),
        Source(
            DecisionChange,
            DecisionChange.history.filter(plan_id=plan.pk),
            lambda r: f"{where(r)}: changes to key decisions",
            RETURN_IGNORED,
            created_values=True,
        ),
    ]
