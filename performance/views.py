from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_tables2 import RequestConfig

from performance import entry, kpi, pages, selectors, services
from performance.filters import IndicatorFilter
from performance.forms import ActualFormSet, TargetsForm
from performance.periods import year_label
from performance.tables import IndicatorTable, SafeTableExport

EXPORT_FORMATS = ("csv", "xlsx")


def indicator_list(request):
    filterset = IndicatorFilter(request.GET, queryset=selectors.indicator_rows(request.user))
    table = IndicatorTable(filterset.qs)
    export_format = request.GET.get("_export")
    if export_format in EXPORT_FORMATS:
        RequestConfig(request, paginate=False).configure(table)
        return SafeTableExport(export_format, table).response(f"indicators.{export_format}")
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    context = {
        "filter": filterset,
        "table": table,
        "entry_units": selectors.entry_units(request.user),
        "band_tables": pages.band_tables(selectors.band_counts(request.user)),
    }
    return render(request, "performance/indicator_list.html", context)


def indicator_detail(request, pk):
    indicator = selectors.indicator_for_user(request.user, pk)
    context = pages.indicator_page(indicator)
    context["shown"] = kpi.shown_figure(context["summary"], indicator.display)  # as its KPI dashboard shows it
    context["can_enter"] = request.user.has_perm("performance.enter_actuals", indicator.unit)
    context["can_set_targets"] = selectors.may_set_targets(request.user, indicator)
    context["target_years"] = (
        [(year, year_label(year)) for year in selectors.target_years(indicator)] if context["can_set_targets"] else []
    )
    return render(request, "performance/indicator_detail.html", context)


@require_http_methods(["GET", "POST"])
def actuals_entry(request, unit_pk):
    unit = selectors.unit_for_entry(request.user, unit_pk)
    try:
        period = entry.chosen_period(unit, request.GET.get("period"))
    except ValueError as error:
        raise Http404 from error
    indicators = selectors.indicators_for_entry(unit, period)
    formset = ActualFormSet(
        request.POST or None, indicators=indicators, initial=entry.initial_values(indicators, period)
    )
    if request.method == "POST" and formset.is_valid():
        result = services.actuals_enter(period=period, rows=[form.entry_row() for form in formset], user=request.user)
        messages.success(request, entry.result_message(period, result))
        return redirect(f"{reverse('performance:entry', args=[unit.pk])}?period={period.code}")
    context = {
        "unit": unit,
        "period": period,
        "period_choices": entry.period_choices(unit),
        "rows": entry.form_rows(formset, period),
        "formset": formset,
    }
    return render(request, "performance/actuals_entry.html", context)


@require_http_methods(["GET", "POST"])
def targets_edit(request, pk, year):
    """An indicator's floor and targets for one year (its start year), for the unit's editors."""
    indicator, indicator_year = selectors.indicator_for_targets(request.user, pk, year)
    periods = services.target_periods(indicator, year)
    initial = pages.targets_initial(indicator_year, periods)
    form = TargetsForm(request.POST or None, indicator=indicator, periods=periods, initial=initial)
    conflict = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.targets_set(
                indicator=indicator,
                start_year=year,
                floor=data["floor"],
                target_note=data["target_note"],
                targets=form.targets(),
                version=data["version"],
                user=request.user,
            )
        except services.TargetsChanged as error:
            # Show what is stored now beside the officer's figures, which stay in the form.
            indicator, indicator_year = selectors.indicator_for_targets(request.user, pk, year)
            form = TargetsForm(
                {**request.POST.dict(), "version": services.targets_version(indicator_year)},
                indicator=indicator,
                periods=periods,
            )
            form.is_valid()
            form.add_error(None, error)
            conflict = True
        else:
            plural = "" if changed == 1 else "s"
            saved = f"floor and targets saved ({changed} target{plural} changed)"
            message = f"{indicator.short_label}, {year_label(year)}: {saved}."
            messages.success(request, message)
            return redirect(f"{reverse('performance:detail', args=[indicator.pk])}#targets")
    context = {
        "indicator": indicator,
        "year_label": year_label(year),
        "form": form,
        "conflict": conflict,
        "stored": pages.stored_targets(indicator_year, periods) if conflict else [],
    }
    return render(request, "performance/targets_form.html", context)
