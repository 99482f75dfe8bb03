"""Writes that touch several budget rows: saving the grid, copying a budget into a new version."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from budgets.models import ActivityLevel, BudgetCategory, BudgetLine, StaffingEstablishment, StaffingLine
from plans.models import Plan


def budget_version(plan) -> int:
    """The latest change to any line of the plan's budget (its newest history record), 0 if none."""
    return BudgetLine.history.filter(plan_id=plan.pk).aggregate(latest=Max("history_id"))["latest"] or 0


@dataclass
class BudgetChanged(Exception):
    """Someone saved the budget after this grid was opened."""

    who: str
    current_version: int | str


@transaction.atomic
def budget_save_grid(*, plan: Plan, formset, version) -> int:
    """Save every line of a validated grid, or none: refuses if the budget changed since `version`.

    Returns the number of lines added, changed or removed.
    """
    Plan.objects.select_for_update().filter(pk=plan.pk).first()  # one grid save at a time per plan
    current = budget_version(plan)
    try:
        submitted = int(version or 0)
    except (TypeError, ValueError):
        submitted = 0
    if current != submitted:
        latest = BudgetLine.history.filter(plan_id=plan.pk).select_related("history_user").order_by("-history_id")
        user = latest[0].history_user if latest else None
        raise BudgetChanged(
            who=(user.get_full_name() or user.get_username()) if user else "someone", current_version=current
        )
    formset.save()
    return len(formset.new_objects) + len(formset.changed_objects) + len(formset.deleted_objects)


@transaction.atomic
def budget_copy_previous(*, plan: Plan) -> int:
    """Copy the budget lines, categories, staffing and activity levels of the version the plan was
    started from into the plan, which must have none yet. Returns the number of budget lines copied.

    The printed figures are not copied: they describe the printed previous version, not this one.
    """
    source = plan.previous_version
    if source is None:
        raise ValidationError("This plan was not started from another version: there is no budget to copy.")
    if plan.budget_lines.exists():
        raise ValidationError("This plan already has budget lines: change them in the grid instead.")
    categories = {}
    for category in source.budget_categories.all():
        categories[category.pk] = BudgetCategory.objects.create(
            plan=plan, order=category.order, name=category.name, source_note=category.source_note
        )
    # Row by row rather than bulk_create, so that each copy gets its history record.
    lines = list(source.budget_lines.all())
    for line in lines:
        line.pk = line.id = None
        line.plan = plan
        line.category = categories.get(line.category_id)
        line.printed_gross = line.printed_controllable = line.printed_net_expenditure = line.printed_net_cost = None
        line.save()
    if not plan.staffing_lines.exists():
        for row in source.staffing_lines.all():
            row.pk = row.id = None
            row.plan = plan
            row.save()
    if not plan.affordable_activity_levels.exists():
        for row in source.affordable_activity_levels.all():
            row.pk = row.id = None
            row.plan = plan
            row.save()
    establishment = getattr(source, "staffing_establishment", None)
    if establishment is not None and not StaffingEstablishment.objects.filter(plan=plan).exists():
        establishment.pk = establishment.id = None
        establishment.plan = plan
        establishment.save()
    return len(lines)


def copy_into_new_version(sender, *, plan: Plan, source: Plan, **kwargs) -> None:
    """A new version is a full copy of the plan: its budget, staffing and activity levels come with it
    (connected to plans.signals.plan_version_started in BudgetsConfig.ready)."""
    budget_copy_previous(plan=plan)


def human_resources_version(plan) -> str:
    """The latest change to the plan's establishment, staffing rows and activity levels, as one token."""
    return "-".join(
        str(model.history.filter(plan_id=plan.pk).aggregate(latest=Max("history_id"))["latest"] or 0)
        for model in (StaffingEstablishment, StaffingLine, ActivityLevel)
    )


def _last_editor(plan) -> str:
    records = [
        model.history.filter(plan_id=plan.pk).select_related("history_user").order_by("-history_date").first()
        for model in (StaffingEstablishment, StaffingLine, ActivityLevel)
    ]
    latest = max((r for r in records if r is not None), key=lambda r: r.history_date, default=None)
    user = latest.history_user if latest else None
    return (user.get_full_name() or user.get_username()) if user else "someone"


@transaction.atomic
def human_resources_save(*, plan: Plan, establishment_form, staffing, activity, version) -> int:
    """Save the establishment, staffing rows and activity levels of validated forms, or nothing: refuses
    if any of them changed since `version`. Returns how many rows were added, changed or removed."""
    Plan.objects.select_for_update().filter(pk=plan.pk).first()  # one save at a time per plan
    current = human_resources_version(plan)
    if current != (version or ""):
        raise BudgetChanged(who=_last_editor(plan), current_version=current)
    written = 0
    if establishment_form.has_changed():
        establishment = establishment_form.save(commit=False)
        establishment.plan = plan
        establishment.full_clean()
        establishment.save()
        written += 1
    return written + staffing.save_rows() + activity.save_rows()
