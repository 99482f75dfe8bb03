from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django_tables2 import RequestConfig

from plans import pages, selectors, services
from plans.filters import PlanFilter
from plans.forms import NewVersionForm, WorkflowCommentForm
from plans.history import plan_history
from plans.tables import PlanTable
from plans.workflow import TRANSITIONS, available_transitions


def _plan_for(user, pk, permission="plans.view_plan"):
    """The plan if the user may see it (404 otherwise), and may take `permission` on it (403 otherwise)."""
    plan = selectors.plan_for_user(user, pk)
    if not user.has_perm(permission, plan):
        raise PermissionDenied
    return plan


def home(request):
    """Where signing in lands: an editor with an open monitoring round goes to its returns, a committee
    member (viewer) to the business plan dashboard of the latest round reported to committee, everyone
    else to the plan list (which the navigation always links to)."""
    from accounts.models import Membership
    from monitoring.models import Round
    from monitoring.selectors import visible_rounds

    user = request.user
    if user.is_authenticated and not user.is_superuser:
        roles = set(user.memberships.values_list("role", flat=True))
        rounds = visible_rounds(user, Round.objects.order_by("-year_id", "-opened_at", "-id"))
        if Membership.Role.EDITOR in roles:
            open_round = rounds.filter(status=Round.Status.OPEN).first()
            if open_round is not None:
                return redirect("monitoring:detail", pk=open_round.pk)
        elif Membership.Role.VIEWER in roles:
            # The latest round reported to committee (closed); while none is, the latest round.
            latest = rounds.filter(status=Round.Status.CLOSED).first() or rounds.first()
            if latest is not None:
                return redirect("dashboards:round", pk=latest.pk)
    return redirect("plans:list")


def plan_list(request):
    plans = selectors.plan_list(request.user)
    filterset = PlanFilter(request.GET, queryset=plans)
    table = PlanTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "plans/plan_list.html", {"filter": filterset, "table": table})


def plan_detail(request, pk):
    """A plan's front page: its heading, summary, approval and workflow, and the contents, whose
    sections are each a page of their own (plan_section); the whole plan is in its print preview and PDF."""
    plan = selectors.plan_heading(request.user, pk)
    context = {
        "plan": plan,
        "sections": selectors.plan_contents(plan),
        "finding_count": selectors.finding_counts([plan])[plan.pk],
        "transitions": available_transitions(request.user, plan),
        "can_start_new_version": plan.status == plan.Status.PUBLISHED
        and request.user.has_perm("plans.start_new_version", plan),
        "can_view_history": request.user.has_perm("plans.view_plan_history", plan),
        "can_edit": _can_edit(request.user, plan),
    }
    return render(request, "plans/plan_detail.html", context)


def plan_section(request, pk, code):
    plan = selectors.plan_section_heading(request.user, pk)
    can_edit = _can_edit(request.user, plan)
    page = pages.section_page(plan, code, can_edit=can_edit)
    return render(request, "plans/plan_section.html", {"plan": plan, "page": page, "can_edit": can_edit})


def plan_table(request, pk, kind):
    """The section holding the plan's table of this kind: where a plan check's finding links to (the
    checks know the kind of table, not the plan's template)."""
    plan = selectors.plan_for_user(request.user, pk)
    code = selectors.section_code_of_table(plan, kind)
    return redirect("plans:section", pk=plan.pk, code=code)


def _can_edit(user, plan) -> bool:
    return plan.status == plan.Status.DRAFT and user.has_perm("plans.change_plan", plan)


@require_http_methods(["GET", "POST"])
def plan_transition(request, pk, step):
    transition = TRANSITIONS.get(step)
    if transition is None:
        raise Http404
    plan = _plan_for(request.user, pk, transition.permission)
    form = WorkflowCommentForm(request.POST or None, comment_required=transition.comment_required)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_transition(plan=plan, user=request.user, step=step, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{plan.title}: {transition.button.lower()} – done.")
            return redirect("plans:detail", pk=plan.pk)
    context = {"plan": plan, "transition": transition, "form": form}
    if step == "submit":
        # What a policy officer would challenge, shown before the officer confirms (services refuses
        # the step while a finding of a blocking check remains).
        findings = selectors.plan_findings(plan)
        context["can_edit"] = request.user.has_perm("plans.change_plan", plan)
        context["blocking_findings"] = [finding for finding in findings if finding.blocks_submission]
        context["warning_findings"] = [finding for finding in findings if not finding.blocks_submission]
    return render(request, "plans/plan_transition.html", context)


@require_http_methods(["GET", "POST"])
def plan_new_version(request, pk):
    plan = _plan_for(request.user, pk, "plans.start_new_version")
    form = NewVersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.plan_new_version(plan=plan, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"New version “{new.version_label}” started as a draft.")
            return redirect("plans:detail", pk=new.pk)
    return render(request, "plans/plan_new_version.html", {"plan": plan, "form": form})


def plan_history_view(request, pk):
    plan = _plan_for(request.user, pk, "plans.view_plan_history")
    return render(request, "plans/plan_history.html", {"plan": plan, "changes": plan_history(plan)})


def plan_checks(request, pk):
    """What a policy officer would challenge before approval, grouped by check (plans/checks.py)."""
    plan = _plan_for(request.user, pk, "plans.view_plan")
    results = selectors.plan_check_results(plan)
    context = {
        "plan": plan,
        "results": results,
        "can_edit": request.user.has_perm("plans.change_plan", plan),
        "finding_count": sum(len(result.findings) for result in results),
        "blocking_count": sum(len(result.findings) for result in results if result.blocks_submission),
    }
    return render(request, "plans/plan_checks.html", context)
