"""Reads for the indicator pages, each in a fixed number of queries however many indicators and periods."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.permissions import visible_indicators
from organisation.models import Unit
from performance.models import (
    FREQUENCY_PERIOD,
    Actual,
    BandCount,
    ExpectedRange,
    Indicator,
    IndicatorKind,
    IndicatorYear,
    Target,
)
from performance.periods import Period, PeriodKind, year_start_of
from performance.status import YearFigures
from plans.models import Plan


def indicator_list(user):
    return visible_indicators(user, Indicator.objects.with_figures())


def indicator_rows(user):
    """The indicators of the list page, without their figures: list_figures reads those for a page."""
    return visible_indicators(user, Indicator.objects.select_related("unit"))


def list_figures(indicators) -> dict[int, list[YearFigures]]:
    """For status.latest_summary: each indicator's years, oldest first, with their actuals, targets and
    expected ranges as tuples (4 queries whatever the number of indicators; none without indicators).

    The orders are those of `with_figures()`'s prefetches (the models' Meta.ordering within a year)."""
    ids = [indicator.pk for indicator in indicators]
    if not ids:
        return {}
    rows = (
        IndicatorYear.objects.filter(indicator_id__in=ids)
        .order_by("indicator_id", "year_id", "id")  # a year's pk is its start year
        .values_list("id", "indicator_id", "year_id", "floor", "relative_target_percent", "previous_outturn")
    )
    years, by_indicator = {}, {}
    for pk, indicator_id, year_id, floor, percent, outturn in rows:
        years[pk] = YearFigures(year_id, floor, percent, outturn)
        by_indicator.setdefault(indicator_id, []).append(years[pk])
    if not years:
        return by_indicator
    figures = ("indicator_year_id", "period", "period_start", "value")
    order = ("indicator_year_id", "period_start", "period", "id")
    for year_pk, kind, start, value in (
        Actual.objects.filter(indicator_year_id__in=list(years)).order_by(*order).values_list(*figures)
    ):
        years[year_pk].actuals.append((kind, start, value))
    for year_pk, kind, start, value in (
        Target.objects.filter(indicator_year_id__in=list(years)).order_by(*order).values_list(*figures)
    ):
        years[year_pk].targets.append((kind, start, value))
    ranges = ExpectedRange.objects.filter(indicator_year_id__in=list(years)).order_by(
        "indicator_year_id", "quarter", "id"
    )
    for year_pk, quarter, lower, upper in ranges.values_list("indicator_year_id", "quarter", "lower", "upper"):
        years[year_pk].ranges[quarter] = (lower, upper)
    return by_indicator


def indicator_for_user(user, pk) -> Indicator:
    """The indicator with every figure its page shows, if the user may read it; 404 otherwise."""
    indicators = (
        indicator_list(user)
        .select_related("priority__plan", "unit__parent")
        .prefetch_related("years__comparators", "years__actuals__entered_by", "years__commentaries__author")
    )
    return get_object_or_404(indicators, pk=pk)


def may_set_targets(user, indicator: Indicator) -> bool:
    """Activity indicators have an estimate and an expected range, not targets."""
    return indicator.kind != IndicatorKind.ACTIVITY and user.has_perm("performance.set_targets", indicator.unit)


def target_years(indicator: Indicator) -> list[int]:
    """The start years whose targets can be set: those the indicator has figures for or its unit has a
    plan for, and the year after the latest (or, with none, the current one), within the unit's years."""
    years = {year.year_id for year in indicator.years.all()}
    years |= set(Plan.objects.filter(unit_id=indicator.unit_id).values_list("year_id", flat=True))
    years.add(max(years) + 1 if years else year_start_of(datetime.date.today()))
    unit = indicator.unit
    return sorted(y for y in years if unit.first_year_id <= y and (unit.last_year_id is None or y <= unit.last_year_id))


def indicator_for_targets(user, pk, start_year: int) -> tuple[Indicator, IndicatorYear | None]:
    """The indicator and its figures for the year, if the user may set its targets: 404 if they may not
    read it or the year is not one whose targets can be set, 403 if they may read but not set them."""
    indicators = Indicator.objects.select_related("unit").prefetch_related("years")
    indicator = get_object_or_404(visible_indicators(user, indicators), pk=pk)
    if not may_set_targets(user, indicator):
        if indicator.kind == IndicatorKind.ACTIVITY:
            raise Http404
        raise PermissionDenied
    if start_year not in target_years(indicator):
        raise Http404
    indicator_year = next((year for year in indicator.years.all() if year.year_id == start_year), None)
    return indicator, indicator_year


def entry_units(user) -> list[Unit]:
    """Units with indicators the user may enter figures for (shown as links on the list page)."""
    if not user.is_authenticated:
        return []
    units = Unit.objects.filter(pk__in=visible_indicators(user, Indicator.objects.all()).values("unit_id"))
    return [unit for unit in units.select_related("parent__parent") if user.has_perm("performance.enter_actuals", unit)]


def unit_for_entry(user, unit_pk) -> Unit:
    """The unit whose figures the user enters: 404 if they may not see its indicators, 403 if they may not enter."""
    visible = visible_indicators(user, Indicator.objects.filter(unit_id=unit_pk))
    if not visible.exists():
        raise Http404
    unit = get_object_or_404(Unit.objects.select_related("parent__parent"), pk=unit_pk)
    if not user.has_perm("performance.enter_actuals", unit):
        raise PermissionDenied
    return unit


def indicators_for_entry(unit: Unit, period: Period) -> list[Indicator]:
    """The unit's indicators reported for periods of this kind (and, for years, this year basis)."""
    frequencies = [frequency for frequency, kind in FREQUENCY_PERIOD.items() if kind == period.kind]
    indicators = Indicator.objects.with_figures().filter(unit=unit, frequency__in=frequencies)
    if period.kind == PeriodKind.YEAR:
        indicators = indicators.filter(year_basis=period.basis)
    return list(indicators)


def band_counts(user) -> list[BandCount]:
    """Legacy band counts of the units whose indicators the user may see (one query)."""
    units = visible_indicators(user, Indicator.objects.all()).values("unit_id")
    return list(BandCount.objects.filter(unit__in=units).select_related("unit"))
