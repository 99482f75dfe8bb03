"""Returns follow a plan into its new version when that version is published while a round is open.

Without this, publishing a corrected plan mid-round would leave the returns already entered on the
old version's actions, and the round page (which reads the plan in force) would show them as missing.
Each return is copied to the item of the new version with the same number (priority 2, action 1.3;
milestone B), keeping who entered it and when; items the new version no longer has keep their returns
on the old version, where the history page still shows them. Connected to plans.signals.plan_published.
"""

from django.utils import timezone

from monitoring.models import ActionReturn, DecisionChange, MilestoneReturn, PriorityReturn, Round
from plans.models import Action, Milestone, Plan, Priority


def _note(previous: Plan) -> str:
    return (
        f"Carried over from version “{previous.version_label}” when this version was published "
        f"on {timezone.localdate():%d/%m/%Y}."
    )


def _copy(row, note: str, **changes) -> None:
    row.pk = row.id = None
    row.version = 1
    row.source_note = f"{row.source_note}\n{note}".strip() if hasattr(row, "source_note") else ""
    for name, value in changes.items():
        setattr(row, name, value)
    row.save()  # one by one, so that each copy has its history record


def carry_over_returns(sender, *, plan: Plan, **kwargs) -> int:
    """Copy the open rounds' returns of the plan's previous version onto it. Returns how many rows."""
    previous = plan.previous_version
    if previous is None:
        return 0
    unit = plan.unit
    ancestors = [unit.pk, unit.parent_id, unit.parent.parent_id if unit.parent_id else None]
    rounds = Round.objects.filter(
        status=Round.Status.OPEN, year_id=plan.year_id, directorate_id__in=[pk for pk in ancestors if pk]
    )
    if not rounds:
        return 0
    note = _note(previous)
    priorities = {p.number: p for p in Priority.objects.filter(plan=plan)}
    actions = {
        (a.priority.number, a.number, a.sub_number): a
        for a in Action.objects.filter(priority__plan=plan).select_related("priority")
    }
    milestones = {
        (m.priority.number, m.letter): m
        for m in Milestone.objects.filter(priority__plan=plan).select_related("priority")
    }

    def action_key(action):
        return (action.priority.number, action.number, action.sub_number)

    copied = 0
    for round_ in rounds:
        have = set(
            ActionReturn.objects.filter(round=round_, action__priority__plan=plan).values_list("action_id", flat=True)
        )
        for row in ActionReturn.objects.filter(round=round_, action__priority__plan=previous).select_related(
            "action__priority", "merged_into__priority"
        ):
            target = actions.get(action_key(row.action))
            if target is None or target.pk in have:
                continue
            merged = actions.get(action_key(row.merged_into)) if row.merged_into_id else None
            _copy(row, note, action=target, merged_into=merged)
            copied += 1
        have = set(
            MilestoneReturn.objects.filter(round=round_, milestone__priority__plan=plan).values_list(
                "milestone_id", flat=True
            )
        )
        for row in MilestoneReturn.objects.filter(round=round_, milestone__priority__plan=previous).select_related(
            "milestone__priority"
        ):
            target = milestones.get((row.milestone.priority.number, row.milestone.letter))
            if target is None or target.pk in have:
                continue
            _copy(row, note, milestone=target)
            copied += 1
        have = set(
            PriorityReturn.objects.filter(round=round_, priority__plan=plan).values_list("priority_id", flat=True)
        )
        for row in PriorityReturn.objects.filter(round=round_, priority__plan=previous).select_related("priority"):
            target = priorities.get(row.priority.number)
            if target is None or target.pk in have:
                continue
            _copy(row, note, priority=target)
            copied += 1
        change = DecisionChange.objects.filter(round=round_, plan=previous).first()
        if change is not None and not DecisionChange.objects.filter(round=round_, plan=plan).exists():
            _copy(change, note, plan=plan)
            copied += 1
    return copied
