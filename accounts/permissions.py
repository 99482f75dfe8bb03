"""Who may do what: the one place that answers it. Views, exports and PDFs ask here.

- Administrators (superusers) may do everything.
- Plan editors edit the plans of the units they are members of, and of the units below them
  (a division membership reaches its service units), while a plan is a draft.
- Approvers read the plans of their directorate or division and below, and approve them.
- Viewers (committee members) read the published plans of their units and below.

Object rules (`user.has_perm("plans.change_plan", plan)`) and the queryset filter
`visible_plans()` are written side by side so that they always agree; a test walks both.
"""

import rules
from django.db.models import Q

from accounts.models import Membership

Role = Membership.Role


def _reach(user) -> dict[str, set[int]]:
    """Unit ids per role for this user, read once per user object (so once per request)."""
    cached = getattr(user, "_kent_reach", None)
    if cached is None:
        cached = {role: set() for role in Role.values}
        for unit_id, role in Membership.objects.filter(user_id=user.pk).values_list("unit_id", "role"):
            cached[role].add(unit_id)
        user._kent_reach = cached
    return cached


def _unit_and_ancestors(unit) -> set[int]:
    ids = set()
    while unit is not None:
        ids.add(unit.pk)
        unit = unit.parent
    return ids


def _has_role_for(user, plan, *roles) -> bool:
    if not user.is_authenticated or plan is None:
        return False
    reach = _reach(user)
    units = _unit_and_ancestors(plan.unit)
    return any(units & reach[role] for role in roles)


@rules.predicate
def is_administrator(user):
    return user.is_authenticated and user.is_superuser


@rules.predicate
def is_unit_editor(user, plan):
    return _has_role_for(user, plan, Role.EDITOR)


@rules.predicate
def is_unit_approver(user, plan):
    return _has_role_for(user, plan, Role.APPROVER)


@rules.predicate
def is_unit_viewer(user, plan):
    return _has_role_for(user, plan, Role.VIEWER)


@rules.predicate
def is_published(user, plan):
    return plan is not None and plan.status == "published"


@rules.predicate
def is_draft(user, plan):
    return plan is not None and plan.status == "draft"


can_view_plan = is_administrator | is_unit_editor | is_unit_approver | (is_unit_viewer & is_published)

rules.add_perm("plans.view_plan", can_view_plan)
rules.add_perm("plans.change_plan", is_administrator | (is_unit_editor & is_draft))
rules.add_perm("plans.view_plan_history", is_administrator | is_unit_editor | is_unit_approver)
# Workflow steps: who may take them. Which steps a plan's status allows is plans/workflow.py.
rules.add_perm("plans.submit_plan", is_administrator | is_unit_editor)
rules.add_perm("plans.approve_plan", is_administrator | is_unit_approver)
rules.add_perm("plans.publish_plan", is_administrator | is_unit_approver)
rules.add_perm("plans.start_new_version", is_administrator | is_unit_editor)


def _units_reached(unit_ids, prefix="unit") -> Q:
    """Objects whose unit is one of unit_ids or sits below one of them (three levels at most)."""
    return (
        Q(**{f"{prefix}_id__in": unit_ids})
        | Q(**{f"{prefix}__parent_id__in": unit_ids})
        | Q(**{f"{prefix}__parent__parent_id__in": unit_ids})
    )


def visible_plans(user, plans):
    """The plans of the queryset that the user may read: the queryset form of plans.view_plan."""
    if not user.is_authenticated:
        return plans.none()
    if user.is_superuser:
        return plans
    reach = _reach(user)
    working = reach[Role.EDITOR] | reach[Role.APPROVER]
    condition = Q(pk__in=[])
    if working:
        condition |= _units_reached(working)
    if reach[Role.VIEWER]:
        condition |= _units_reached(reach[Role.VIEWER]) & Q(status="published")
    return plans.filter(condition)
