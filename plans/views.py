from django.shortcuts import redirect, render
from django_tables2 import RequestConfig

from plans import selectors
from plans.filters import PlanFilter
from plans.tables import PlanTable


def home(request):
    return redirect("plans:list")


def plan_list(request):
    plans = selectors.plan_list(request.user)
    filterset = PlanFilter(request.GET, queryset=plans)
    table = PlanTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "plans/plan_list.html", {"filter": filterset, "table": table})


def plan_detail(request, pk):
    plan, sections = selectors.plan_document(request.user, pk)
    return render(request, "plans/plan_detail.html", {"plan": plan, "sections": sections})
