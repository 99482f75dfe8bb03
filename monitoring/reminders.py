"""Reminder emails: each editor is told which action returns they still owe in open rounds whose
deadline is near. Run daily (manage.py send_round_reminders, or its task in monitoring/tasks.py);
a second run on the same day sends nothing more (ReminderSent remembers who was reminded)."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from monitoring.models import ReminderSent, Round
from monitoring.selectors import covered_plans, plan_returns, user_name


def _unit_chain(unit) -> list[int]:
    ids = []
    while unit is not None:
        ids.append(unit.pk)
        unit = unit.parent
    return ids


def owed_returns(round_: Round) -> dict:
    """{editor: [(plan, [labels of the actions without a return])]} for the round's plans."""
    plans = covered_plans(round_)
    returns = plan_returns(round_, [plan.pk for plan in plans])
    missing = {}
    for plan in plans:
        labels = [
            action.label
            for priority in returns.priorities.get(plan.pk, [])
            for action in priority.actions.all()
            if action.pk not in returns.actions
        ]
        if labels:
            missing[plan] = labels
    chains = {plan: _unit_chain(plan.unit) for plan in missing}
    unit_ids = {pk for chain in chains.values() for pk in chain}
    editors = Membership.objects.filter(role=Membership.Role.EDITOR, unit_id__in=unit_ids).select_related("user")
    owed = {}
    for membership in editors.order_by("user__username", "unit_id"):
        for plan, labels in missing.items():
            if membership.unit_id in chains[plan]:
                entries = owed.setdefault(membership.user, [])
                if all(existing is not plan for existing, _ in entries):
                    entries.append((plan, labels))
    return owed


def _body(user, round_: Round, entries, today: datetime.date) -> str:
    days = (round_.deadline - today).days
    due = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
    lines = [
        f"Dear {user_name(user)},",
        "",
        f"{round_.name} for {round_.directorate.name}: returns are due by {round_.deadline.day} "
        f"{round_.deadline:%B %Y} ({due}).",
        "",
        "You still owe a return for these actions:",
    ]
    for plan, labels in entries:
        url = settings.SITE_URL + reverse("monitoring:return", args=[round_.pk, plan.pk])
        count = len(labels)
        lines += [
            "",
            f"{plan.unit.code} – {plan.title} ({plan.version_label}): {count} action{'s' if count != 1 else ''}",
            "  " + ", ".join(labels),
            f"  Enter them at {url}",
        ]
    lines += ["", "Returns entered after the deadline are marked late.", "", "Kent Plans"]
    return "\n".join(lines)


def send_round_reminders(*, days: int = 7, today: datetime.date | None = None) -> dict:
    """Email every editor who owes returns in an open round due within `days` days (and not past)."""
    today = today or timezone.localdate()
    rounds = Round.objects.filter(
        status=Round.Status.OPEN, deadline__gte=today, deadline__lte=today + datetime.timedelta(days=days)
    ).select_related("directorate", "year")
    summary = {"sent": 0, "already_sent": 0, "no_email": []}
    for round_ in rounds:
        for user, entries in owed_returns(round_).items():
            if not user.is_active:
                continue
            if not user.email:
                summary["no_email"].append(user.get_username())
                continue
            missing = sum(len(labels) for _, labels in entries)
            try:
                with transaction.atomic():
                    # Recorded first and in the same transaction: a failed send is not recorded,
                    # and a second run the same day (even a concurrent one) sends nothing more.
                    ReminderSent.objects.create(round=round_, user=user, sent_on=today, missing=missing)
                    send_mail(
                        subject=f"{round_.name}: {missing} return{'s' if missing != 1 else ''} still to enter",
                        message=_body(user, round_, entries, today),
                        from_email=None,
                        recipient_list=[user.email],
                    )
            except IntegrityError:
                summary["already_sent"] += 1
                continue
            summary["sent"] += 1
    return summary
