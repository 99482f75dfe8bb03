"""Reads for the indicator pages, each in a fixed number of queries however many indicators and periods."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.permissions import visible_indicators
from organisation.models import Unit
from performance.models import FREQUENCY_PERIOD, BandCount, Indicator
from performance.periods import Period, PeriodKind


def indicator_list(user):
    return visible_indicators(user, Indicator.objects.with_figures())


def indicator_for_user(user, pk) -> Indicator:
    """The indicator with every figure its page shows, if the user may read it; 404 otherwise."""
    indicators = (
        indicator_list(user)
        .select_related("priority__plan", "unit__parent")
        .prefetch_related("years__comparators", "years__actuals__entered_by", "years__commentaries__author")
    )
    return get_object_or_404(indicators, pk=pk)


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
