"""Who may do what: the one place that answers it. Views, exports and PDFs ask here.

- Administrators (superusers) may do everything.
- Plan editors edit the plans of the units they are members of, and of the units below them
  (a division membership reaches its service units), while a plan is a draft.
- Approvers read the plans of their directorate or division and below, and approve them.
- Viewers (committee members) read the published plans of their units and below.
- Any role on a unit also gives a viewer's reading of the units it replaced in a re-organisation
  (its predecessors, one step back, and their units below): a committee member of FSC reads the
  published plans of KASS, which FSC replaced. Nobody edits or approves a predecessor's plans
  through this.

Object rules (`user.has_perm("plans.change_plan", plan)`) and the queryset filter
`visible_plans()` are written side by side so that they always agree; a test walks both.
"""

import rules
from django.db.models import Q
from django.db.models.functions import Coalesce

from accounts.models import Membership
from organisation.models import Unit

Role = Membership.Role


def membership_columns(prefix: str = "") -> list:
    """What _reach() reads of each membership, as values_list() columns from Membership (or, with the
    prefix "memberships__", from the user: accounts/backends.py reads them with the user, in one query)."""
    return [
        f"{prefix}unit_id",
        f"{prefix}role",
        f"{prefix}unit__predecessors",
        Coalesce(f"{prefix}unit__parent__parent_id", f"{prefix}unit__parent_id", f"{prefix}unit_id"),
        Coalesce(
            f"{prefix}unit__predecessors__parent__parent_id",
            f"{prefix}unit__predecessors__parent_id",
            f"{prefix}unit__predecessors",
        ),
    ]


def _reach(user) -> dict[str, set[int]]:
    """Unit ids per role for this user, read once per user object (so once per request)."""
    cached = getattr(user, "_kent_reach", None)
    if cached is None:
        cached = {role: set() for role in Role.values}
        # The same query reads each unit's directorate (its top ancestor), for directorates_reached().
        directorates = set()
        rows = getattr(user, "_kent_membership_rows", None)  # read with the user (accounts/backends.py)
        if rows is None:
            rows = Membership.objects.filter(user_id=user.pk).values_list(*membership_columns())
        for unit_id, role, predecessor_id, directorate, predecessor_directorate in rows:  # one row per predecessor
            cached[role].add(unit_id)
            directorates.add(directorate)
            if predecessor_id is not None:
                cached[Role.VIEWER].add(predecessor_id)
                directorates.add(predecessor_directorate)
        user._kent_reach = cached
        user._kent_directorates = directorates
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
# Which business plan actions deliver a programme's projects: kept up by the programme plan's editors
# whatever its status (the delivering actions are often planned after the programme is published).
rules.add_perm("plans.link_delivering_actions", is_administrator | is_unit_editor)


def directorates_reached(user) -> set[int]:
    """Ids of the directorates in which the user holds any role (at the directorate or a unit below it)."""
    if not user.is_authenticated:
        return set()
    _reach(user)  # reads them with the memberships: no query of its own
    return user._kent_directorates


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
# The floor and targets of a unit's indicators are part of its plan (section F): its editors set them.
rules.add_perm("performance.set_targets", is_administrator | is_editor_of_unit)


# KPI dashboards (performance/kpi.py) are per unit: anyone with a role on the unit or a unit above
# it reads the unit's dashboard, which lists only the indicators visible_indicators() lets them see.
@rules.predicate
def has_role_on_unit(user, unit):
    if not user.is_authenticated or unit is None:
        return False
    return bool(_unit_and_ancestors(unit) & set().union(*_reach(user).values()))


rules.add_perm("performance.view_kpi_dashboard", is_administrator | has_role_on_unit)


def units_with_kpi_dashboard(user, units):
    """The units of the queryset whose KPI dashboard the user may read: the queryset form of the rule."""
    if not user.is_authenticated:
        return units.none()
    if user.is_superuser:
        return units
    reached = set().union(*_reach(user).values())
    return units.filter(Q(pk__in=reached) | Q(parent_id__in=reached) | Q(parent__parent_id__in=reached))


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
