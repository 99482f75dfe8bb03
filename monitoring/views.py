from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from monitoring import services
from monitoring.access import (
    may_enter_returns,
    plan_for,
    require,
    round_for,
    round_plan_ids,
    visible_plan,
    visible_plans_by_id,
)
from monitoring.forms import CloseRoundForm, OpenRoundForm, ReturnForm
from monitoring.models import Round
from monitoring.selectors import COUNTS, plan_returns, report_rows, round_report, unit_report, visible_rounds


def round_list(request):
    # A closed round's snapshot is large: the list does not read it.
    rounds = visible_rounds(request.user, Round.objects.select_related("directorate", "year").defer("snapshot"))
    return render(
        request,
        "monitoring/round_list.html",
        {"rounds": rounds, "can_open": request.user.has_perm("monitoring.open_round")},
    )


@require_http_methods(["GET", "POST"])
def round_open(request):
    require(request.user, "monitoring.open_round")
    form = OpenRoundForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.round_open(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"{round_.name} is open for {round_.directorate.name}.")
            return redirect("monitoring:detail", pk=round_.pk)
    return render(request, "monitoring/round_open.html", {"form": form})


def _add_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages_)
    else:
        form.add_error(None, error)


def round_detail(request, pk):
    round_ = round_for(request.user, pk)
    report = round_report(round_)
    plan_ids = [unit["plan"]["id"] for unit in report["units"] if unit["plan"]]
    visible = visible_plans_by_id(request.user, plan_ids)
    # Administrators see every row, even of a plan deleted after the round closed; others the plans they may read.
    units = [
        unit
        for unit in report["units"]
        if request.user.is_superuser or unit["plan"] is None or unit["plan"]["id"] in visible
    ]
    totals = dict.fromkeys(COUNTS, 0)
    for unit in units:
        for name in COUNTS:
            totals[name] += unit["counts"][name]
        plan = visible.get(unit["plan"]["id"]) if unit["plan"] else None
        unit["can_enter"] = plan is not None and may_enter_returns(request.user, round_, plan)
    context = {
        "round": round_,
        "report": report,
        "units": units,
        "totals": totals,
        "all_units": len(units) == len(report["units"]),
        "can_close": round_.is_open and request.user.has_perm("monitoring.close_round", round_),
    }
    return render(request, "monitoring/round_detail.html", context)


@require_http_methods(["GET", "POST"])
def return_page(request, pk, plan_pk):
    round_ = round_for(request.user, pk)
    plan = plan_for(request.user, round_, plan_pk)
    context = {"round": round_, "plan": plan}
    if not may_enter_returns(request.user, round_, plan):
        if request.method == "POST":
            raise PermissionDenied
        if round_.is_open:
            unit = unit_report(plan.unit, plan, report_rows(round_, [plan.pk]))
        else:
            unit = next(u for u in round_.snapshot["units"] if u["plan"] and u["plan"]["id"] == plan.pk)
        context["unit"] = unit
        return render(request, "monitoring/return_view.html", context)

    returns = plan_returns(round_, [plan.pk])
    priorities = returns.priorities.get(plan.pk, [])
    form = ReturnForm(
        request.POST if request.method == "POST" else None, priorities=priorities, returns=returns, plan=plan
    )
    conflicts = {}
    if request.method == "POST" and form.is_valid():
        try:
            written = services.return_save(round_=round_, plan=plan, user=request.user, **form.submission())
        except services.ReturnConflict as conflict:
            conflicts = {c.key: c for c in conflict.conflicts}
            context["conflict_message"] = str(conflict)
            # Keep what was typed; carry the current versions so that saving again overwrites.
            returns = plan_returns(round_, [plan.pk])
            form = ReturnForm(
                form.with_versions({c.key: c.version for c in conflict.conflicts}),
                priorities=priorities,
                returns=returns,
                plan=plan,
            )
            form.is_valid()
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                f"{plan.unit.code}: {written} return{'s' if written != 1 else ''} saved."
                if written
                else f"{plan.unit.code}: nothing had changed, so nothing was saved.",
            )
            return redirect("monitoring:return", pk=round_.pk, plan_pk=plan.pk)
    context.update(
        past_deadline=timezone.localdate() > round_.deadline,
        form=form,
        conflicts=list(conflicts.values()),
        sections=_sections(form, priorities, returns, conflicts),
        decisions={
            "text": form["decisions-text"],
            "version": form["decisions-version"],
            "conflict": conflicts.get("decisions"),
        },
    )
    return render(request, "monitoring/return_form.html", context)


def _sections(form, priorities, returns, conflicts):
    sections = []
    for priority in priorities:
        key = f"priority-{priority.pk}"
        actions = []
        for action in priority.actions.all():
            a = f"action-{action.pk}"
            actions.append(
                {
                    "action": action,
                    "key": a,
                    "ret": returns.actions.get(action.pk),
                    "conflict": conflicts.get(a),
                    **{name: form[f"{a}-{name}"] for name in ("status", "commentary", "withdrawn", "withdrawn_note")},
                    "merged_into": form[f"{a}-merged_into"],
                    "version": form[f"{a}-version"],
                }
            )
        milestones = []
        for milestone in priority.milestones.all():
            m = f"milestone-{milestone.pk}"
            milestones.append(
                {
                    "milestone": milestone,
                    "key": m,
                    "conflict": conflicts.get(m),
                    "status": form[f"{m}-status"],
                    "commentary": form[f"{m}-commentary"],
                    "version": form[f"{m}-version"],
                }
            )
        sections.append(
            {
                "priority": priority,
                "key": key,
                "conflict": conflicts.get(key),
                "achievements_label": f"Key achievements of priority {priority.number}",
                "issues_label": f"Key issues of priority {priority.number}",
                "key_achievements": form[f"{key}-key_achievements"],
                "key_issues": form[f"{key}-key_issues"],
                "version": form[f"{key}-version"],
                "actions": actions,
                "milestones": milestones,
            }
        )
    return sections


@require_http_methods(["GET", "POST"])
def round_close(request, pk):
    round_ = round_for(request.user, pk, "monitoring.close_round")
    if not round_.is_open:
        messages.info(request, f"{round_.name} is already closed.")
        return redirect("monitoring:detail", pk=round_.pk)
    form = CloseRoundForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_close(round_=round_, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{round_.name} is closed: its pages now show the returns as they stood today.")
            return redirect("monitoring:detail", pk=round_.pk)
    report = round_report(round_)
    return render(request, "monitoring/round_close.html", {"round": round_, "form": form, "totals": report["totals"]})


def plan_rounds(request, plan_pk):
    """The monitoring rounds a plan reports in, for the link on the plan's page."""
    plan = visible_plan(request.user, plan_pk)
    rounds = Round.objects.filter(directorate_id=plan.unit.directorate.pk, year_id=plan.year_id).select_related(
        "directorate", "year"
    )
    rows = [
        (round_, may_enter_returns(request.user, round_, plan))
        for round_ in rounds
        if request.user.has_perm("monitoring.view_round", round_) and plan.pk in round_plan_ids(round_)
    ]
    return render(request, "monitoring/plan_rounds.html", {"plan": plan, "rows": rows})
