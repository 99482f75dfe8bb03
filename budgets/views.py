"""The budget grid: editors key a plan's budget lines in the columns of its template, and the totals
follow. Without JavaScript the grid still validates and shows its totals after each save attempt."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from budgets import services
from budgets.derivations import FORMULAS
from budgets.figures import FIGURES
from budgets.forms import budget_grid_formset
from budgets.grid import build_grid
from budgets.models import ColumnSet, StaffingEstablishment
from budgets.staffing_forms import ActivityFormSet, EstablishmentForm, StaffingFormSet, error_list
from budgets.tables import year_groups, year_labels

# The same rule as every editing page: 404 if the user may not see the plan, 403 if they may not
# change it or it is not a draft. One rule, one place (plans/editing.py).
from plans.editing import _editable_plan


def _column_set(plan) -> ColumnSet | None:
    return ColumnSet.objects.filter(template_links__template_id=plan.template_id).prefetch_related("columns").first()


@require_http_methods(["GET", "POST"])
def budget_grid(request, pk):
    plan = _editable_plan(request, pk)
    column_set = _column_set(plan)
    if column_set is None:
        return render(request, "budgets/no_columns.html", {"plan": plan}, status=404)
    columns = list(column_set.columns.all())
    categories = list(plan.budget_categories.all())
    lines = plan.budget_lines.select_related("category").order_by("order", "id")
    next_order = (max((line.order for line in lines), default=0)) + 1
    formset = budget_grid_formset(
        plan=plan, columns=columns, categories=categories, lines=lines, next_order=next_order, data=request.POST or None
    )
    version = request.POST.get("version") if request.method == "POST" else services.budget_version(plan)
    if request.method == "POST" and formset.is_valid():
        try:
            changed = services.budget_save_grid(plan=plan, formset=formset, version=version)
        except services.BudgetChanged as conflict:
            version = conflict.current_version  # saving again overwrites knowingly; the typing is kept
            formset.non_form_errors().append(
                f"{conflict.who} changed this budget while you were editing it. "
                "Check the figures below, then save again to overwrite their changes."
            )
        else:
            messages.success(
                request, f"Budget saved: {changed} line{'s' if changed != 1 else ''} added, changed or removed."
            )
            return redirect("budgets:grid", pk=plan.pk)
    context = {
        "plan": plan,
        "formset": formset,
        "grid": build_grid(formset, columns=columns, categories=categories, years=year_labels(plan)),
        "year_groups": year_groups(columns, year_labels(plan)),
        "version": version,
        "script_data": {
            "formulas": FORMULAS,
            "figures": {name: {"kind": f.kind, "derived": f.derived} for name, f in FIGURES.items()},
        },
        "can_copy": not formset.initial_form_count() and plan.previous_version_id is not None,
    }
    return render(request, "budgets/grid.html", context)


@require_POST
def budget_copy(request, pk):
    plan = _editable_plan(request, pk)
    try:
        copied = services.budget_copy_previous(plan=plan)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{copied} budget lines copied from the previous version.")
    return redirect("budgets:grid", pk=plan.pk)


@require_http_methods(["GET", "POST"])
def human_resources(request, pk):
    plan = _editable_plan(request, pk)
    data = request.POST or None
    establishment = StaffingEstablishment.objects.filter(plan=plan).first()
    establishment_form = EstablishmentForm(data, instance=establishment, prefix="hr")
    staffing = StaffingFormSet(data, queryset=plan.staffing_lines.order_by("order", "id"), plan=plan, prefix="staffing")
    activity = ActivityFormSet(
        data, queryset=plan.affordable_activity_levels.order_by("order", "id"), plan=plan, prefix="activity"
    )
    version = request.POST.get("version", "") if data else services.human_resources_version(plan)
    if data and establishment_form.is_valid() and staffing.is_valid() and activity.is_valid():
        try:
            changed = services.human_resources_save(
                plan=plan, establishment_form=establishment_form, staffing=staffing, activity=activity, version=version
            )
        except services.BudgetChanged as conflict:
            version = conflict.current_version  # saving again overwrites knowingly; the typing is kept
            establishment_form.add_error(
                None,
                f"{conflict.who} changed these figures while you were editing them. "
                "Check the figures below, then save again to overwrite their changes.",
            )
        except ValidationError as error:  # a row another person added meanwhile clashes with one typed here
            establishment_form.add_error(None, error.messages)
        else:
            messages.success(request, f"Human resources saved: {changed} row{'s' if changed != 1 else ''} changed.")
            return redirect("budgets:human_resources", pk=plan.pk)
    context = {
        "plan": plan,
        "establishment_form": establishment_form,
        "staffing": staffing,
        "activity": activity,
        "version": version,
        "errors": error_list(establishment_form, staffing, activity),
    }
    return render(request, "budgets/human_resources.html", context)
