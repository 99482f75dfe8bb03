"""The KPI dashboard of a directorate or division: its indicators (and those of its units below)
with their latest figure, target, RAG, direction of travel, the figure the indicator is shown as
(FSC mid-year monitoring report, 3.4: the latest month and a year to date figure, or a rolling
12 month figure) and a small trend; then how many are green, amber, red, data only or without RAG.

`kpi_dashboard()` is the one selector: the page, its CSV and XLSX exports, the print view and PDF
(documents/) and any other document that embeds `templates/performance/includes/kpi_dashboard.html`
read the single dict it returns. It runs a fixed number of queries however many indicators and
periods there are; everything after the fetch is plain functions on the prefetched figures.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import Q

from accounts.permissions import visible_indicators
from organisation.models import Unit
from performance import charts, pages, status
from performance.formatting import figure, plain
from performance.models import Display, Indicator, IndicatorKind
from performance.periods import PeriodKind, year_label
from performance.rag import Rag

TREND_PERIODS = 12  # the sparkline draws at most the last twelve periods


class Category(models.TextChoices):
    """What the dashboard counts an indicator as."""

    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    DATA_ONLY = "data_only", "Data only"
    NO_RAG = "no_rag", "No RAG yet (no target or no figure)"


# Colour of each count's tag (GOV.UK Frontend); the word is always shown with it.
CATEGORY_TAGS = {
    Category.GREEN: "govuk-tag--green",
    Category.AMBER: "govuk-tag--orange",
    Category.RED: "govuk-tag--red",
    Category.DATA_ONLY: "govuk-tag--blue",
    Category.NO_RAG: "govuk-tag--grey",
}


def category(indicator: Indicator, rag: Rag) -> Category:
    """Green, amber or red as its RAG; data only where no way is better (no polarity, or an activity
    indicator, which has an expected range instead); otherwise no RAG yet: a target or a figure is missing."""
    if indicator.kind == IndicatorKind.ACTIVITY or not indicator.is_rated:
        return Category.DATA_ONLY
    if rag in (Rag.GREEN, Rag.AMBER, Rag.RED):
        return Category(rag.value)
    return Category.NO_RAG


@dataclass(frozen=True)
class Count:
    category: Category
    count: int

    @property
    def tag_class(self) -> str:
        return CATEGORY_TAGS[self.category]


def category_counts(categories: list[Category]) -> list[Count]:
    """Every category with how many indicators fall in it, in the order of Category."""
    return [Count(choice, sum(1 for c in categories if c == choice)) for choice in Category]


@dataclass(frozen=True)
class Shown:
    """The figure an indicator is shown as on a dashboard, with its label; value None where the periods
    do not allow it to be worked out (a ratio without numerators and denominators, for instance)."""

    label: str
    value: Decimal | None
    applies: bool = True  # False for yearly figures: the latest figure already is the year's


def shown_figure(summary: status.Summary, display: str) -> Shown:
    """The year to date or rolling 12 months figure of the latest period, per the indicator's display
    choice, from the aggregates status.summary() works out with performance/aggregation.py."""
    latest = summary.latest
    if latest is None:
        return Shown("No figures yet", None, applies=False)
    if latest.period.kind == PeriodKind.YEAR:
        return Shown(f"Reported yearly: {latest.period.label}", None, applies=False)
    if display == Display.ROLLING_12_MONTHS:
        return Shown(f"Rolling 12 months to {latest.period.label}", summary.rolling_12_months)
    return Shown(f"Year to date {year_label(latest.period.year_start)}, to {latest.period.label}", summary.year_to_date)


def trend_values(indicator: Indicator, rows: list[status.PeriodStatus]) -> list[tuple[str, Decimal | None]]:
    """(period label, actual) of the last periods the indicator's chart plots, oldest first."""
    plotted = pages.chart_rows(indicator, rows)[-TREND_PERIODS:]
    return [(row.period.label, row.value) for row in plotted]


def trend_description(indicator: Indicator, points: list[tuple[str, Decimal | None]]) -> str:
    known = [(label, value) for label, value in points if value is not None]
    if not known:
        return f"No figures of {indicator.title} yet."
    first, last = known[0], known[-1]
    if len(known) == 1:
        return f"One figure of {indicator.title}: {figure(first[1])} in {first[0]}."
    return (
        f"{len(known)} figures of {indicator.title}, from {figure(first[1])} in {first[0]} "
        f"to {figure(last[1])} in {last[0]}."
    )


@dataclass
class Row:
    indicator: Indicator
    summary: status.Summary
    category: Category
    shown: Shown
    trend: str  # SVG
    trend_text: str
    year_target: Decimal | None = None  # the annual target of the latest figure's year (or the last year)
    year_target_label: str = ""

    @property
    def latest(self):
        return self.summary.latest

    @property
    def target(self) -> Decimal | None:
        """The target of the latest figure's own period: what the RAG compares the figure with."""
        return self.latest.target.value if self.latest else None

    @property
    def notes(self) -> list[str]:
        """The notes on the sources of the indicator and of its latest figure and target, each once."""
        latest = self.latest
        found = [
            self.indicator.source_note,
            latest.actual.source_note if latest and latest.actual else "",
            latest.target_row.source_note if latest and latest.target_row else "",
        ]
        return list(dict.fromkeys(note for note in found if note))

    @property
    def target_text(self) -> str:
        """The target cell: the period's target; else the year's, saying that it is not the period's."""
        if self.target is not None:
            return figure(self.target)
        if self.year_target is not None:
            year_target = f"{self.year_target_label} target {figure(self.year_target)}"
            return f"Not set for {self.latest.period.label}; {year_target}" if self.latest else year_target
        return "Not set"


def kpi_row(indicator: Indicator, year_id: int | None = None, chart_prefix: str = "kpi") -> Row:
    rows = status.timeline(indicator)
    if year_id is not None:
        rows = [row for row in rows if row.period.year_start <= year_id]
    summary = status.summary(indicator, year_id, statuses=rows)
    points = trend_values(indicator, rows)
    text = trend_description(indicator, points)
    trend = charts.sparkline(
        chart_id=f"{chart_prefix}-trend-{indicator.pk}",
        title=f"Trend of {indicator.short_label}",
        description=text,
        values=[value for _, value in points],
    )
    year_target, year_target_label = _year_target(indicator, summary, rows, year_id)
    return Row(
        year_target=year_target,
        year_target_label=year_target_label,
        indicator=indicator,
        summary=summary,
        category=category(indicator, summary.rag),
        shown=shown_figure(summary, indicator.display),
        trend=trend,
        trend_text=text,
    )


def _year_target(indicator, summary, rows, year_id) -> tuple[Decimal | None, str]:
    """The annual target of the summary's year, or, with no figure yet, of the indicator's last year."""
    indicator_year = summary.indicator_year
    resolved = summary.year_target
    if indicator_year is None:
        years = [y for y in indicator.years.all() if year_id is None or y.year_id <= year_id]
        if not years:
            return None, ""
        indicator_year = years[-1]
        yearly = [r for r in rows if r.actual and r.period.kind == PeriodKind.YEAR]
        year_actuals = {r.indicator_year.year_id: r.value for r in yearly}
        resolved = status.year_target(indicator_year, year_actuals)
    if resolved is None or resolved.value is None:
        return None, ""
    return resolved.value, year_label(indicator_year.year_id)


def _in_subtree(unit: Unit) -> Q:
    return Q(unit=unit) | Q(unit__parent=unit) | Q(unit__parent__parent=unit)


def kpi_dashboard(unit: Unit, *, user=None, year: int | None = None, chart_prefix: str = "kpi") -> dict:
    """The KPI dashboard of a unit and its units below, in a fixed number of queries.

    With a user, only the indicators that user may see (accounts.permissions.visible_indicators);
    without one (a document built in the background), every indicator: the caller has checked that
    whoever asked may read the unit's dashboard (performance.view_kpi_dashboard). With a year (its
    start year), figures after that year are left out and the latest figure is that year's.
    """
    indicators = (
        Indicator.objects.with_figures()
        .filter(_in_subtree(unit))
        .select_related("unit__parent__parent")
        .order_by("unit__level", "unit__code", "order", "reference", "pk")
    )
    if user is not None:
        indicators = visible_indicators(user, indicators)
    rows = [kpi_row(indicator, year, chart_prefix) for indicator in indicators]
    return {
        "unit": unit,
        "year": year,
        "year_label": year_label(year) if year is not None else "",
        "rows": rows,
        "counts": category_counts([row.category for row in rows]),
        "total": len(rows),
        "noted": [row for row in rows if row.notes],
    }


def export_rows(dashboard: dict) -> list[dict]:
    """The indicator table of the dashboard as the CSV and XLSX downloads write it (numbers as numbers)."""

    data = []
    for row in dashboard["rows"]:
        latest = row.latest
        data.append(
            {
                "unit": row.indicator.unit.code,
                "reference": row.indicator.reference,
                "indicator": row.indicator.title,
                "period": latest.period.label if latest else "",
                "latest": plain(latest.value) if latest else None,
                "target": plain(row.target),
                "year_target": plain(row.year_target),
                "year_target_year": row.year_target_label,
                "rag": row.summary.alert.label,
                "category": row.category.label,
                "direction": row.summary.direction.label,
                "shown_as": row.indicator.get_display_display(),
                "shown_label": row.shown.label,
                "shown_value": plain(row.shown.value),
                "trend": row.trend_text,
            }
        )
    return data


def export_counts(dashboard: dict) -> list[dict]:
    return [{"category": row.category.label, "count": row.count} for row in dashboard["counts"]]
