"""The entry page's choices and its rows: which periods a unit reports, and what is known of each."""

import datetime
from dataclasses import dataclass

from django.db.models import Max

from organisation.models import Unit
from performance import status
from performance.formatting import figure
from performance.models import FREQUENCY_PERIOD, Actual, Indicator, IndicatorYear
from performance.periods import Period, PeriodKind, YearBasis, parse_code, periods_in_year, year_period, year_start_of


def _report_kinds(unit: Unit) -> set[tuple[str, str]]:
    """(period kind, year basis) pairs the unit's indicators are reported in."""
    rows = Indicator.objects.filter(unit=unit).values_list("frequency", "year_basis").distinct()
    return {(FREQUENCY_PERIOD[frequency], basis) for frequency, basis in rows}


def _years(unit: Unit) -> list[int]:
    """The unit's years, and any other year its indicators have figures for, newest first."""
    last = unit.last_year_id or year_start_of(datetime.date.today())
    years = set(range(unit.first_year_id, last + 1))
    years |= set(IndicatorYear.objects.filter(indicator__unit=unit).values_list("year_id", flat=True))
    return sorted(years, reverse=True)


def period_choices(unit: Unit) -> list[tuple[str, str]]:
    """(code, label) of every period the unit's indicators report, newest year first."""
    order = [PeriodKind.YEAR, PeriodKind.QUARTER, PeriodKind.MONTH, PeriodKind.TERM]
    kinds = sorted(_report_kinds(unit), key=lambda pair: (order.index(pair[0]), pair[1] != YearBasis.FINANCIAL))
    choices = [
        (p.code, p.label) for year in _years(unit) for kind, basis in kinds for p in periods_in_year(kind, year, basis)
    ]
    return list(dict.fromkeys(choices))


def chosen_period(unit: Unit, code: str | None) -> Period:
    """The period asked for; by default that of the unit's latest actual, or else its latest year."""
    if code:
        return parse_code(code)
    latest = Actual.objects.filter(indicator_year__indicator__unit=unit).order_by("-period_start", "period").first()
    if latest is not None:
        return latest.period_obj
    year = IndicatorYear.objects.filter(indicator__unit=unit).aggregate(latest=Max("year_id"))["latest"]
    return year_period(year or year_start_of(datetime.date.today()))


def initial_values(indicators: list[Indicator], period: Period) -> list[dict]:
    initial = []
    for indicator in indicators:
        row = next((s for s in status.timeline(indicator) if s.period == period), None)
        values = {}
        if row and row.actual:
            values.update(
                value=row.actual.value,
                numerator=row.actual.numerator,
                denominator=row.actual.denominator,
                source_note=row.actual.source_note,
            )
        if row and row.commentary:
            for name in ("what_is_happening", "why", "what_is_being_done", "forecast_rag"):
                values[name] = getattr(row.commentary, name)
        initial.append(values)
    return initial


@dataclass
class FormRow:
    form: object
    indicator: Indicator
    status: status.PeriodStatus | None
    previous: str


def form_rows(formset, period: Period) -> list[FormRow]:
    rows = []
    for form in formset:
        indicator = form.indicator
        timeline = status.timeline(indicator)
        current = next((s for s in timeline if s.period == period), None)
        previous = next((s for s in timeline if s.period == period.previous()), None)
        rows.append(FormRow(form, indicator, current, figure(previous.value if previous else None, "none")))
    return rows


def result_message(period: Period, result) -> str:
    parts = [f"{period.label}: {result.saved} figure{'s' if result.saved != 1 else ''} saved"]
    if result.removed:
        parts.append(f"{result.removed} removed")
    message = ", ".join(parts) + "."
    if result.turned_red:
        message += f" Now red: {', '.join(indicator.short_label for indicator in result.turned_red)}."
    if result.emailed:
        message += f" Emailed the owner of {', '.join(indicator.short_label for indicator in result.emailed)}."
    return message
