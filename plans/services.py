"""Writes that touch several rows: workflow steps and new versions. Each is atomic."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from plans import selectors
from plans.models import Plan, PlanEvent
from plans.signals import plan_published, plan_version_started
from plans.workflow import TRANSITIONS


@transaction.atomic
def plan_transition(*, plan: Plan, user, step: str, comment: str = "") -> PlanEvent:
    """Take a workflow step. Refuses a step the plan's status does not allow or the user may not take,
    and a submission while the plan has a finding of a check that blocks submission."""
    transition = TRANSITIONS.get(step)
    if transition is None:
        raise ValidationError(f"“{step}” is not a workflow step.")
    # Lock the row so two approvers clicking at once cannot both act on the same status.
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if not user.has_perm(transition.permission, plan):
        raise PermissionDenied("You cannot take this step on this plan.")
    if locked.status not in transition.sources:
        raise ValidationError(
            f"This plan is {locked.get_status_display().lower()}: it cannot be "
            f"{PlanEvent.Step(step).label.lower()} now."
        )
    comment = (comment or "").strip()
    if transition.comment_required and not comment:
        raise ValidationError({"comment": "Enter a comment that tells the editors what to change."})
    if step == PlanEvent.Step.SUBMIT:
        # The plan checks an administrator made blocking (PlanCheckPolicy) stop submission.
        blocking = [finding for finding in selectors.plan_findings(locked) if finding.blocks_submission]
        if blocking:
            raise ValidationError([f"{finding.message}: fix this before submitting the plan." for finding in blocking])
    event = PlanEvent.objects.create(
        plan=locked, step=step, from_status=locked.status, to_status=transition.target, user=user, comment=comment
    )
    locked.status = transition.target
    locked.save(update_fields=["status", "updated_at"])
    plan.status = locked.status
    if locked.status == Plan.Status.PUBLISHED:
        plan_published.send(sender=Plan, plan=locked)
    return event


def _save_copies(rows, **changes):
    # Row by row rather than bulk_create, so that each copy gets its history record.
    for row in rows:
        row.pk = row.id = None
        for name, value in changes.items():
            setattr(row, name, value)
        row.save()


@transaction.atomic
def plan_new_version(*, plan: Plan, user, version_label: str, comment: str = "") -> Plan:
    """Start a new draft from a published plan: a full copy that keeps a link to where it came from."""
    if not user.has_perm("plans.start_new_version", plan):
        raise PermissionDenied("You cannot start a new version of this plan.")
    if plan.status != Plan.Status.PUBLISHED:
        raise ValidationError("A new version can only be started from a published plan.")
    version_label = (version_label or "").strip()
    if not version_label:
        raise ValidationError({"version_label": "Enter a version label, for example Draft v 1 2014-15."})

    source = Plan.objects.prefetch_related(
        "sections",
        "objective_links",
        "risks",
        "critical_functions",
        "support_needed",
        "table_rows",
        "priorities__themes",
    ).get(pk=plan.pk)
    new = Plan.objects.get(pk=plan.pk)
    new.pk = new.id = None
    new.version_label = version_label
    new.version_date = None
    new.status = Plan.Status.DRAFT
    new.previous_version = source
    new.full_clean()
    new.save()

    for related in ("sections", "objective_links", "risks", "critical_functions", "support_needed", "table_rows"):
        _save_copies(list(getattr(source, related).all()), plan=new)
    for priority in source.priorities.all():
        themes = list(priority.themes.all())
        objectives = list(priority.corporate_objectives.all())
        children = [list(getattr(priority, name).all()) for name in ("actions", "milestones", "decisions")]
        priority.pk = priority.id = None
        priority.plan = new
        priority.save()
        priority.themes.set(themes)
        priority.corporate_objectives.set(objectives)
        for rows in children:
            _save_copies(rows, priority=priority)
    # Budgets, staffing and the like belong to other apps: they copy their own rows.
    plan_version_started.send(sender=Plan, plan=new, source=source)
    PlanEvent.objects.create(
        plan=new,
        step=PlanEvent.Step.NEW_VERSION,
        from_status=source.status,
        to_status=new.status,
        user=user,
        comment=comment,
    )
    return new
