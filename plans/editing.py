"""Editing pages for officers: a task list, then a page per section, per priority and per row.

Every view starts from `_editable_plan`: 404 if the user may not see the plan, 403 if they may
not change it (or it is no longer a draft). Rows are always looked up inside that plan.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from plans import numbering, selectors
from plans.concurrency import EditConflict, save_if_unchanged, version_of
from plans.custom_tables import CustomRowForm
from plans.edit_forms import (
    ActionForm,
    CriticalFunctionForm,
    DecisionForm,
    MilestoneForm,
    NewActionForm,
    PlanHeaderForm,
    PlanSectionForm,
    PriorityForm,
    RiskForm,
    SupportNeededForm,
)
from plans.models import (
    Action,
    CriticalFunction,
    Decision,
    Milestone,
    Plan,
    PlanSection,
    Priority,
    Risk,
    SupportNeeded,
    TableKind,
    TableRow,
    TemplateSection,
    TemplateSectionTable,
)


@dataclass(frozen=True)
class RowKind:
    slug: str
    model: type
    form: type
    noun: str
    table: str  # the TableKind whose section holds these rows
    in_priority: bool = False  # rows of a priority rather than of the plan
    letters: bool = False


ROW_KINDS = {
    kind.slug: kind
    for kind in [
        RowKind("priority", Priority, PriorityForm, "priority", TableKind.PRIORITIES),
        RowKind("action", Action, ActionForm, "action", TableKind.PRIORITIES, in_priority=True),
        RowKind("milestone", Milestone, MilestoneForm, "key milestone", TableKind.PRIORITIES, True, letters=True),
        RowKind("decision", Decision, DecisionForm, "key decision", TableKind.PRIORITIES, in_priority=True),
        RowKind("risk", Risk, RiskForm, "risk", TableKind.RISKS),
        RowKind(
            "critical-function",
            CriticalFunction,
            CriticalFunctionForm,
            "critical function",
            TableKind.CRITICAL_FUNCTIONS,
        ),
        RowKind("support", SupportNeeded, SupportNeededForm, "support need", TableKind.SUPPORT_NEEDED),
        # Rows of the template's own tables: added and changed by table_row_add / table_row_edit.
        RowKind("table-row", TableRow, None, "row", TableKind.CUSTOM),
    ]
}


def _editable_plan(request, pk) -> Plan:
    plan = selectors.plan_for_user(request.user, pk)
    if not request.user.has_perm("plans.change_plan", plan):
        raise PermissionDenied("You cannot change this plan.")
    if plan.status != Plan.Status.DRAFT:
        # Also for administrators: a submitted or published plan is read-only.
        raise PermissionDenied("Only a draft can be changed. Start a new version of a published plan to change it.")
    return plan


def _row(plan, kind: RowKind, row_id):
    if kind.model is TableRow:
        return get_object_or_404(TableRow.objects.select_related("table__section"), pk=row_id, plan=plan)
    plan_path = "priority__plan" if kind.in_priority else "plan"
    return get_object_or_404(
        kind.model.objects.select_related(*(["priority"] if kind.in_priority else [])),
        **{"pk": row_id, plan_path: plan},
    )


def _section_for_table(plan, table) -> TemplateSection | None:
    return TemplateSection.objects.filter(template_id=plan.template_id, tables__kind=table).first()


def _mark_in_progress(plan, table):
    section = _section_for_table(plan, table)
    if section is not None:
        _mark_section_in_progress(plan, section)


def _back_url(plan, kind: RowKind, priority=None, row=None):
    if kind.model is TableRow and row is not None:
        return reverse("plans:edit_section", args=[plan.pk, row.table.section.code])
    if kind.in_priority:
        return reverse("plans:edit_priority", args=[plan.pk, priority.pk])
    section = _section_for_table(plan, kind.table)
    return (
        reverse("plans:edit_section", args=[plan.pk, section.code])
        if section
        else reverse("plans:edit", args=[plan.pk])
    )


def _versioned(form_class, instance, data=None, **kwargs):
    return form_class(data, instance=instance, initial={"version": version_of(instance)}, **kwargs)


def _save_versioned(request, form, conflict_context, *, obj=None, save=None):
    """Save the form (or call `save` for `obj`) unless someone saved the row since it was opened;
    on a conflict keep the typing."""
    try:
        saved = save_if_unchanged(obj or form.instance, form.cleaned_data.get("version"), save or form.save)
        return saved, None
    except EditConflict as conflict:
        data = request.POST.copy()
        data["version"] = conflict.current_version
        form.data = data  # what the person typed stays in the form; saving again overwrites knowingly
        form.add_error(
            None, f"{conflict.who} changed this while you were editing it. Check the changes below, then save again."
        )
        conflict_context["conflict"] = conflict
        return None, conflict


def edit_overview(request, pk):
    plan = _editable_plan(request, pk)
    progress = {s.template_section_id: s for s in plan.sections.all()}
    tasks = [(section, progress.get(section.pk)) for section in plan.template.sections.all()]
    return render(request, "plans/edit/overview.html", {"plan": plan, "tasks": tasks})


@require_http_methods(["GET", "POST"])
def edit_header(request, pk):
    plan = _editable_plan(request, pk)
    form = _versioned(PlanHeaderForm, plan, request.POST or None)
    context = {"plan": plan, "form": form, "heading": "Plan details", "back": reverse("plans:edit", args=[plan.pk])}
    if request.method == "POST" and form.is_valid():
        saved, _ = _save_versioned(request, form, context)
        if saved:
            messages.success(request, "Plan details saved.")
            return redirect("plans:edit", pk=plan.pk)
    return render(request, "plans/edit/form.html", context)


@require_http_methods(["GET", "POST"])
def edit_section(request, pk, code):
    plan = _editable_plan(request, pk)
    template_section = get_object_or_404(
        TemplateSection.objects.prefetch_related("tables__columns"), template_id=plan.template_id, code=code
    )
    section = PlanSection.objects.filter(plan=plan, template_section=template_section).first() or PlanSection(
        plan=plan, template_section=template_section
    )
    form = _versioned(PlanSectionForm, section, request.POST or None)
    context = {"plan": plan, "form": form, "template_section": template_section}
    if request.method == "POST" and form.is_valid():
        saved, _ = _save_versioned(request, form, context)
        if saved:
            messages.success(request, f"Section {code} saved.")
            return redirect("plans:edit", pk=plan.pk)
    tables = [t.kind for t in template_section.tables.all()]
    context["tables"] = tables
    if TableKind.PRIORITIES in tables:
        context["priorities"] = plan.priorities.prefetch_related("actions", "milestones", "decisions")
    context["rows"] = {
        kind.slug: kind.model.objects.filter(plan=plan)
        for kind in ROW_KINDS.values()
        if not kind.in_priority and kind.table in tables and kind.slug not in ("priority", "table-row")
    }
    custom = [t for t in template_section.tables.all() if t.kind == TableKind.CUSTOM]
    rows = TableRow.objects.filter(plan=plan, table__in=custom).order_by("number")
    for table in custom:
        table.plan_rows = [row for row in rows if row.table_id == table.pk]
    context["custom_tables"] = custom
    return render(request, "plans/edit/section.html", context)


def edit_priority(request, pk, priority_id):
    plan = _editable_plan(request, pk)
    priority = get_object_or_404(
        Priority.objects.prefetch_related(Prefetch("actions"), "milestones", "decisions"), pk=priority_id, plan=plan
    )
    section = _section_for_table(plan, TableKind.PRIORITIES)
    return render(request, "plans/edit/priority.html", {"plan": plan, "priority": priority, "section": section})


def _next_number(queryset, field="number"):
    return (queryset.aggregate(top=Max(field))["top"] or 0) + 1


@require_http_methods(["GET", "POST"])
def row_add(request, pk, kind, priority_id=None):
    plan = _editable_plan(request, pk)
    row_kind = ROW_KINDS.get(kind)
    if row_kind is None or row_kind.in_priority != (priority_id is not None):
        raise Http404
    priority = get_object_or_404(Priority, pk=priority_id, plan=plan) if priority_id else None
    parent = {"priority": priority} if priority else {"plan": plan}
    instance = row_kind.model(**parent)
    form_kwargs = {}
    form_class = row_kind.form
    if row_kind.model is Action:
        form_class = NewActionForm
        form_kwargs["headlines"] = list(priority.actions.filter(sub_number=0))
    form = form_class(request.POST or None, instance=instance, **form_kwargs)
    back = _back_url(plan, row_kind, priority)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            siblings = row_kind.model.objects.filter(**parent)
            if row_kind.model is Action:
                place = form.cleaned_data["place"]
                if place == "new":
                    instance.number, instance.sub_number = _next_number(siblings), 0
                else:
                    instance.number = int(place)
                    instance.sub_number = _next_number(siblings.filter(number=instance.number), "sub_number")
            elif row_kind.letters:
                instance.letter = numbering.letter(siblings.count())
            else:
                instance.number = _next_number(siblings)
            instance.full_clean()
            form.save()
            _mark_in_progress(plan, row_kind.table)
        messages.success(request, f"{row_kind.noun.capitalize()} added.")
        return redirect(back)
    heading = f"Add a {row_kind.noun}" + (f" to priority {priority.number}" if priority else "")
    return render(request, "plans/edit/form.html", {"plan": plan, "form": form, "heading": heading, "back": back})


@require_http_methods(["GET", "POST"])
def row_edit(request, pk, kind, row_id):
    plan = _editable_plan(request, pk)
    row_kind = ROW_KINDS.get(kind) or _not_found()
    row = _row(plan, row_kind, row_id)
    form = _versioned(row_kind.form, row, request.POST or None)
    back = _back_url(plan, row_kind, getattr(row, "priority", None))
    context = {"plan": plan, "form": form, "heading": f"Change {row_kind.noun} {_row_label(row)}", "back": back}
    if request.method == "POST" and form.is_valid():
        saved, _ = _save_versioned(request, form, context)
        if saved:
            _mark_in_progress(plan, row_kind.table)
            messages.success(request, f"{row_kind.noun.capitalize()} saved.")
            return redirect(back)
    return render(request, "plans/edit/form.html", context)


def _row_label(row) -> str:
    if isinstance(row, Action):
        return f"{row.label} of priority {row.priority.number}"
    if isinstance(row, Milestone):
        return f"{row.letter} of priority {row.priority.number}"
    if isinstance(row, Decision):
        return f"{row.number} of priority {row.priority.number}"
    return str(row.number)


def _not_found():
    raise Http404


def _siblings_filter(row_kind, row, plan) -> dict:
    if row_kind.in_priority:
        return {"priority": row.priority}
    if row_kind.model is TableRow:
        return {"plan": plan, "table": row.table}
    return {"plan": plan}


def _renumber_after_removal(row_kind, parent_filter):
    if row_kind.model is Action:
        numbering.renumber_actions(parent_filter["priority"])
    else:
        field = "letter" if row_kind.letters else "number"
        numbering.renumber(
            row_kind.model.objects.filter(**parent_filter).order_by(field), field, letters=row_kind.letters
        )


@require_http_methods(["GET", "POST"])
def row_remove(request, pk, kind, row_id):
    plan = _editable_plan(request, pk)
    row_kind = ROW_KINDS.get(kind) or _not_found()
    row = _row(plan, row_kind, row_id)
    parent_filter = _siblings_filter(row_kind, row, plan)
    also = []
    if row_kind.model is Action and row.is_headline:
        also = list(Action.objects.filter(priority=row.priority, number=row.number, sub_number__gt=0))
    back = _back_url(plan, row_kind, getattr(row, "priority", None), row)
    if request.method == "POST":
        with transaction.atomic():
            for sub in also:
                sub.delete()
            row.delete()
            _renumber_after_removal(row_kind, parent_filter)
        messages.success(request, f"{row_kind.noun.capitalize()} removed; the others were renumbered.")
        return redirect(back)
    return render(
        request, "plans/edit/remove.html", {"plan": plan, "row": row, "noun": row_kind.noun, "also": also, "back": back}
    )


@require_POST
def row_move(request, pk, kind, row_id, direction):
    plan = _editable_plan(request, pk)
    row_kind = ROW_KINDS.get(kind) or _not_found()
    if direction not in ("up", "down"):
        raise Http404
    row = _row(plan, row_kind, row_id)
    if row_kind.model is Action:
        numbering.move_action(row, direction)
    else:
        field = "letter" if row_kind.letters else "number"
        siblings = row_kind.model.objects.filter(**_siblings_filter(row_kind, row, plan)).order_by(field)
        numbering.renumber(numbering.moved(siblings, row, direction), field, letters=row_kind.letters)
    return redirect(_back_url(plan, row_kind, getattr(row, "priority", None), row))


def _custom_table(plan, table_id):
    return get_object_or_404(
        TemplateSectionTable.objects.select_related("section").prefetch_related("columns"),
        pk=table_id,
        kind=TableKind.CUSTOM,
        section__template_id=plan.template_id,
    )


def _mark_section_in_progress(plan, section):
    record, _ = PlanSection.objects.get_or_create(plan=plan, template_section=section)
    if record.progress == PlanSection.Progress.NOT_STARTED:
        record.progress = PlanSection.Progress.IN_PROGRESS
        record.save(update_fields=["progress"])


@require_http_methods(["GET", "POST"])
def table_row_add(request, pk, table_id):
    plan = _editable_plan(request, pk)
    table = _custom_table(plan, table_id)
    form = CustomRowForm(request.POST or None, columns=table.columns.all())
    back = reverse("plans:edit_section", args=[plan.pk, table.section.code])
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            row = TableRow(plan=plan, table=table, values=form.values)
            row.number = _next_number(TableRow.objects.filter(plan=plan, table=table))
            row.full_clean()
            row.save()
            _mark_section_in_progress(plan, table.section)
        messages.success(request, f"Row added to {table.title}.")
        return redirect(back)
    heading = f"Add a row to {table.title}"
    return render(request, "plans/edit/form.html", {"plan": plan, "form": form, "heading": heading, "back": back})


@require_http_methods(["GET", "POST"])
def table_row_edit(request, pk, row_id):
    plan = _editable_plan(request, pk)
    row = get_object_or_404(TableRow.objects.select_related("table__section"), pk=row_id, plan=plan)
    columns = list(row.table.columns.all())
    initial = {"version": version_of(row), **CustomRowForm.initial_for(columns, row.values)}
    form = CustomRowForm(request.POST or None, columns=columns, initial=initial)
    back = reverse("plans:edit_section", args=[plan.pk, row.table.section.code])
    context = {"plan": plan, "form": form, "heading": f"Change row {row.number} of {row.table.title}", "back": back}
    if request.method == "POST" and form.is_valid():

        def save():
            row.values = form.values
            row.full_clean()
            row.save()
            return row

        saved, _ = _save_versioned(request, form, context, obj=row, save=save)
        if saved:
            _mark_section_in_progress(plan, row.table.section)
            messages.success(request, "Row saved.")
            return redirect(back)
    return render(request, "plans/edit/form.html", context)
