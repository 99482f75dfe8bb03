"""The one helper every monitoring view asks: may this user see this round or plan, and act on it?

A round the user may not see is a 404 (its existence is private), as is a plan the round does not
cover or the user may not read; a round or plan the user may see but not act on is a 403. The
rules themselves are in accounts/permissions.py.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.permissions import visible_plans
from monitoring.models import Round
from monitoring.selectors import covered_plans
from plans.models import Plan

VIEW = "monitoring.view_round"


def require(user, permission: str, obj=None) -> None:
    """A 403 unless the user has the permission (on the object, if given)."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied


def visible_plan(user, plan_pk: int) -> Plan:
    """A plan the user may read, with its unit; 404 otherwise."""
    return get_object_or_404(visible_plans(user, Plan.objects.with_unit()), pk=plan_pk)


def round_for(user, pk, permission: str = VIEW) -> Round:
    rounds = Round.objects.select_related("directorate", "year", "opened_by", "closed_by", "committee_report")
    round_ = get_object_or_404(rounds, pk=pk)
    if not user.has_perm(VIEW, round_):
        raise Http404
    if permission != VIEW:
        require(user, permission, round_)
    return round_


def round_plan_ids(round_: Round, covered: list[Plan] | None = None) -> list[int]:
    """The plans the round covers: worked out live while open, from the snapshot once closed."""
    if not round_.is_open:
        return [unit["plan"]["id"] for unit in round_.snapshot["units"] if unit["plan"]]
    return [plan.pk for plan in (covered if covered is not None else covered_plans(round_))]


def plan_for(user, round_: Round, plan_pk: int) -> Plan:
    """A plan the round covers and the user may read; 404 otherwise."""
    if plan_pk not in round_plan_ids(round_):
        raise Http404
    return visible_plan(user, plan_pk)


def may_enter_returns(user, round_: Round, plan: Plan) -> bool:
    return round_.is_open and user.has_perm("monitoring.enter_return", plan)


def visible_plans_by_id(user, plan_ids) -> dict[int, Plan]:
    """Those of these plans the user may read, with their units (one query): the round page lists only those."""
    plans = visible_plans(user, Plan.objects.with_unit().filter(pk__in=plan_ids)).order_by()  # by id: no sort
    return {plan.pk: plan for plan in plans}
