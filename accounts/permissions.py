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
from organisation.models import Unit

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


def directorates_reached(user) -> set[int]:
    """Ids of the directorates in which the user holds any role (at the directorate or a unit below it)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_kent_directorates", None)
    if cached is None:
        units = set().union(*_reach(user).values())
        rows = Unit.objects.filter(pk__in=units).values_list("pk", "parent_id", "parent__parent_id")
        cached = {grandparent or parent or pk for pk, parent, grandparent in rows}
        user._kent_directorates = cached
    return cached


@rules.predicate
def is_directorate_member(user, obj):
    """Any role in the directorate of obj: an object with a directorate_id, such as a monitoring round."""
    return obj is not None and obj.directorate_id in directorates_reached(user)


# Monitoring rounds (monitoring/). Whether a round is still open is checked beside enter_return,
# in monitoring/access.py: returns are entered only while it is.
rules.add_perm("monitoring.open_round", is_administrator)
rules.add_perm("monitoring.close_round", is_administrator)
rules.add_perm("monitoring.view_round", is_administrator | is_directorate_member)
rules.add_perm("monitoring.enter_return", is_administrator | is_unit_editor)


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


# Indicators (performance/) belong to a unit, not to a plan. Editors and approvers read those of
# their units and below; viewers those of their units and below that have a published plan;
# editors enter figures for their units and below. `visible_indicators()` is the queryset form.


@rules.predicate
def has_published_plan(user, indicator):
    return indicator is not None and indicator.unit.plans.filter(status="published").exists()


@rules.predicate
def is_editor_of_unit(user, unit):
    return user.is_authenticated and unit is not None and bool(_unit_and_ancestors(unit) & _reach(user)[Role.EDITOR])


rules.add_perm(
    "performance.view_indicator",
    is_administrator | is_unit_editor | is_unit_approver | (is_unit_viewer & has_published_plan),
)
rules.add_perm("performance.enter_actuals", is_administrator | is_editor_of_unit)


# Spreadsheet import (exchange/): the import pages are for administrators and plan editors; a new
# plan only for a unit the user edits (and its units below); an existing plan only while
# plans.change_plan allows it and it is a draft. Exporting a plan needs plans.view_plan.
@rules.predicate
def is_any_unit_editor(user):
    return user.is_authenticated and bool(_reach(user)[Role.EDITOR])


rules.add_perm("exchange.import_plans", is_administrator | is_any_unit_editor)
rules.add_perm("exchange.import_plan_for_unit", is_administrator | is_editor_of_unit)


def visible_indicators(user, indicators):
    """The indicators of the queryset that the user may read: the queryset form of performance.view_indicator."""
    if not user.is_authenticated:
        return indicators.none()
    if user.is_superuser:
        return indicators
    reach = _reach(user)
    working = reach[Role.EDITOR] | reach[Role.APPROVER]
    condition = Q(pk__in=[])
    if working:
        condition |= _units_reached(working)
    if reach[Role.VIEWER]:
        published = Unit.objects.filter(plans__status="published").values("pk")
        condition |= _units_reached(reach[Role.VIEWER]) & Q(unit__in=published)
    return indicators.filter(condition)
