"""The programme progress page: each project of a programme with the actions delivering it and their
latest monitoring status (dashboards/programmes.py). 404 for a plan the user may not read, or a plan
whose template has no projects delivered by actions."""

from django.http import Http404
from django.shortcuts import render

from dashboards.programmes import programme_tables, status_counts
from plans.selectors import plan_for_user


def programme(request, pk):
    plan = plan_for_user(request.user, pk)
    tables = programme_tables(request.user, plan)
    if not tables:
        raise Http404("This plan has no projects delivered by plan actions.")
    deliveries = [d for table in tables for project in table.projects for d in project.deliveries]
    context = {
        "plan": plan,
        "tables": tables,
        "counts": status_counts(deliveries),
        "can_link": request.user.has_perm("plans.link_delivering_actions", plan),
    }
    return render(request, "dashboards/programme.html", context)
