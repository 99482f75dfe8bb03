"""Which business plan actions deliver a programme's project: the editors of the programme's plan choose
them among the actions of the plans they may read (plans.link_delivering_actions). Links to actions of
plans the editor may not read are kept as they are: the editor neither sees nor drops them.

404 if the user may not read the plan or the row is not a project of a delivered-by-actions table of
it; 403 if the user may read it but not keep its links.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts.permissions import visible_plans
from plans.custom_tables import row_cells
from plans.models import Action, Plan, TableRow
from plans.selectors import plan_for_user


def action_choice_label(action: Action) -> str:
    plan = action.priority.plan
    where = f"{plan.unit.code} {plan.year} ({plan.version_label}), priority {action.priority.number}"
    return f"{where}, action {action.label}: {action.text[:120]}"


class DeliveringActionsForm(forms.Form):
    template_name = "includes/govuk_form.html"

    actions = forms.ModelMultipleChoiceField(
        queryset=Action.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Actions that deliver this project",
        help_text="Actions of the business plans you may read. Untick an action to unlink it.",
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["actions"]
        field.queryset = choices
        field.label_from_instance = action_choice_label


def linkable_actions(user):
    """Actions of the plans the user may read, in plan, priority and action order (one query)."""
    return (
        Action.objects.filter(priority__plan__in=visible_plans(user, Plan.objects.all()))
        .select_related("priority__plan__unit", "priority__plan__year")
        .order_by(
            "priority__plan__unit__code",
            "-priority__plan__year",
            "priority__plan_id",
            "priority__number",
            "number",
            "sub_number",
        )
    )


@require_http_methods(["GET", "POST"])
def delivering_actions(request, pk, row_id):
    plan = plan_for_user(request.user, pk)
    row = get_object_or_404(
        TableRow.objects.select_related("table__section").prefetch_related("table__columns"),
        pk=row_id,
        plan=plan,
        table__delivered_by_actions=True,
    )
    if not request.user.has_perm("plans.link_delivering_actions", plan):
        raise PermissionDenied("You cannot change which actions deliver this programme's projects.")
    choices = linkable_actions(request.user)
    linked = set(row.delivering_actions.values_list("pk", flat=True))
    form = DeliveringActionsForm(request.POST or None, choices=choices, initial={"actions": list(linked)})
    if request.method == "POST" and form.is_valid():
        chosen = {action.pk for action in form.cleaned_data["actions"]}
        seen = set(choices.filter(pk__in=linked).values_list("pk", flat=True))
        with transaction.atomic():
            row.delivering_actions.set(chosen | (linked - seen))
        messages.success(request, f"Delivering actions of {row.table.title} row {row.number} saved.")
        return redirect("dashboards:programme", pk=plan.pk)
    context = {
        "plan": plan,
        "row": row,
        "cells": [(column, text) for column, text in row_cells(list(row.table.columns.all()), row) if text],
        "form": form,
    }
    return render(request, "plans/edit/delivering_actions.html", context)
