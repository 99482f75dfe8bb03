"""KPI dashboards: the list of units whose dashboard the user may read, and a unit's dashboard with its
CSV and XLSX downloads. Read only: viewers and editors see the same page, but the links to enter figures
appear only for units the user may enter figures for (performance.enter_actuals)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from accounts.permissions import units_with_kpi_dashboard
from common.models import FinancialYear
from organisation.models import Unit
from performance.kpi import export_counts, export_rows, kpi_dashboard
from performance.kpi_tables import KpiCountsTable, KpiTable, export_response


def kpi_unit_for_user(user, pk) -> Unit:
    """The unit whose KPI dashboard is asked for: 404 unless the user may read it (accounts/permissions.py)."""
    unit = get_object_or_404(Unit.objects.select_related("parent__parent"), pk=pk)
    if not user.has_perm("performance.view_kpi_dashboard", unit):
        raise Http404
    return unit


def chosen_year(request) -> int | None:
    """The ?year= start year, if given: 404 for anything that is not a year the app knows."""
    text = request.GET.get("year")
    if not text:
        return None
    if not text.isdigit() or not FinancialYear.objects.filter(pk=int(text)).exists():
        raise Http404
    return int(text)


def kpi_index(request):
    units = units_with_kpi_dashboard(
        request.user, Unit.objects.filter(level__in=[Unit.Level.DIRECTORATE, Unit.Level.DIVISION])
    ).select_related("parent")
    return render(request, "performance/kpi_index.html", {"units": units.order_by("level", "code", "first_year_id")})


def kpi_detail(request, unit_pk):
    unit = kpi_unit_for_user(request.user, unit_pk)
    year = chosen_year(request)
    dashboard = kpi_dashboard(unit, user=request.user, year=year)
    export = request.GET.get("export")
    if export:
        name = f"kpi-{unit.code}" + (f"-{dashboard['year_label']}" if year else "")
        if request.GET.get("table") == "counts":
            return export_response(KpiCountsTable, export_counts(dashboard), export, f"{name}-counts")
        return export_response(KpiTable, export_rows(dashboard), export, name)
    units = sorted({row.indicator.unit for row in dashboard["rows"]}, key=lambda u: u.code)
    context = {
        "dashboard": dashboard,
        "entry_units": [u for u in units if request.user.has_perm("performance.enter_actuals", u)],
        "year_query": f"year={year}&" if year else "",
        "pdf_query": f"?year={year}" if year else "",
    }
    return render(request, "performance/kpi_detail.html", context)
