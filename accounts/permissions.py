"""Who may see what: the one place that answers it. Views, exports and PDFs start from here.

- Administrators (superusers) see everything.
- Editors and approvers see every plan of the units they are members of, and of the units
  below them (a directorate membership reaches its divisions and their service units).
- Viewers (committee members) see published plans of the units they are members of and below.
"""

from django.db.models import Q

from accounts.models import Membership


def _units_reached(memberships, prefix="unit"):
    """A Q that matches objects whose unit is one of the member units or below them."""
    unit_ids = list({m.unit_id for m in memberships})
    return (
        Q(**{f"{prefix}_id__in": unit_ids})
        | Q(**{f"{prefix}__parent_id__in": unit_ids})
        | Q(**{f"{prefix}__parent__parent_id__in": unit_ids})
    )


def visible_plans(user, plans):
    """The plans of the queryset that the user may read."""
    from plans.models import Plan

    if not user.is_authenticated:
        return plans.none()
    if user.is_superuser:
        return plans
    memberships = list(Membership.objects.filter(user=user))
    working = [m for m in memberships if m.role in (Membership.Role.EDITOR, Membership.Role.APPROVER)]
    reading = [m for m in memberships if m.role == Membership.Role.VIEWER]
    condition = Q(pk__in=[])
    if working:
        condition |= _units_reached(working)
    if reading:
        condition |= _units_reached(reading) & Q(status=Plan.Status.PUBLISHED)
    return plans.filter(condition)
