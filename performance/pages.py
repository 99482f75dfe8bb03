"""What the indicator page shows, worked out from an indicator fetched by selectors.indicator_for_user.

No queries here: everything comes from the prefetched figures.
"""

from dataclasses import dataclass

from performance import benchmarks, charts, status
from performance.formatting import figure
from performance.forms import TargetsForm
from performance.models import Indicator, IndicatorKind, IndicatorYear
from performance.periods import PeriodKind, year_label
from performance.services import target_label, targets_version


@dataclass
class YearRow:
    indicator_year: IndicatorYear
    label: str
    target: object  # targets.ResolvedTarget


@dataclass
class Benchmark:
    year_label: str
    ranked: list[benchmarks.Ranked]
    statement: str
    chart: str
    note: str


def chart_rows(indicator: Indicator, rows: list[status.PeriodStatus]) -> list[status.PeriodStatus]:
    """The periods the trend chart plots: those of the indicator's frequency, else its years."""
    for kind in (indicator.period_kind, PeriodKind.YEAR):
        chosen = [row for row in rows if row.period.kind == kind]
        if chosen:
            return chosen
    return []


def trend_chart(indicator: Indicator, rows: list[status.PeriodStatus]):
    labels = [row.period.label for row in rows]
    series = [charts.Series("Actual", [row.value for row in rows], charts.BLUE, "", "circle")]
    if any(row.target.value is not None for row in rows):
        series.append(charts.Series("Target", [row.target.value for row in rows], charts.GREEN, "8 4", "square"))
    if any(row.floor is not None for row in rows):
        series.append(charts.Series("Floor", [row.floor for row in rows], charts.RED, "2 4", "diamond"))
    shown = ", ".join(s.name.lower() for s in series)
    return charts.trend_chart(
        chart_id=f"trend-{indicator.pk}",
        title=f"{indicator.short_label}: {shown} by period",
        description=(
            f"Line chart of the {shown} of {indicator.title}, from {labels[0]} to {labels[-1]}. "
            "The table after the chart gives every figure."
            if labels
            else "There are no figures to draw yet."
        ),
        labels=labels,
        series=series,
    )


def levels_chart(indicator: Indicator):
    """For activity indicators without actuals yet: the estimated levels and forecast outturns by year."""
    years = [y for y in indicator.years.all() if y.estimate is not None or y.forecast_outturn is not None]
    labels = [year_label(y.year_id) for y in years]
    series = [
        charts.Series("Estimate", [y.estimate for y in years], charts.BLUE, "", "circle"),
        charts.Series("Forecast outturn", [y.forecast_outturn for y in years], charts.GREEN, "8 4", "square"),
    ]
    return charts.trend_chart(
        chart_id=f"levels-{indicator.pk}",
        title=f"{indicator.short_label}: estimated activity and forecast outturn by year",
        description=(
            f"Chart of the estimated activity level and the forecast outturn of {indicator.title}"
            + (f", {labels[0]} to {labels[-1]}" if labels else "")
            + ". The table 'By year' after the chart gives every figure."
        ),
        labels=labels,
        series=series,
    )


def benchmark_sections(indicator: Indicator) -> list[Benchmark]:
    sections = []
    for indicator_year in indicator.years.all():
        comparators = list(indicator_year.comparators.all())
        if not comparators:
            continue
        ranked = benchmarks.rank([(c.council, c.value, c.is_own_council) for c in comparators], indicator.polarity)
        label = year_label(indicator_year.year_id)
        statement = benchmarks.position_statement(ranked, indicator.polarity)
        chart = charts.bar_chart(
            chart_id=f"benchmark-{indicator_year.pk}",
            title=f"{indicator.short_label}: comparator councils, {label}",
            description=(
                f"Bar chart of {indicator.title} for {len(ranked)} councils in {label}, "
                f"{'best first' if ranked[0].position else 'in the order printed'}. {statement} "
                "The table after the chart gives every figure."
            ),
            bars=[(r.council, r.value, r.is_own_council) for r in ranked],
        )
        notes = [c.source_note for c in comparators if c.source_note]
        sections.append(Benchmark(label, ranked, statement, chart, notes[0] if notes else ""))
    return sections


def indicator_page(indicator: Indicator) -> dict:
    rows = status.timeline(indicator)
    summary = status.summary(indicator, statuses=rows)
    plotted = chart_rows(indicator, rows)
    year_actuals = {r.indicator_year.year_id: r.value for r in rows if r.actual and r.period.kind == PeriodKind.YEAR}
    years = [YearRow(y, year_label(y.year_id), status.year_target(y, year_actuals)) for y in indicator.years.all()]
    commentaries = [row for row in rows if row.commentary is not None and not row.commentary.is_empty]
    forecasts = [row for row in commentaries if row.commentary.forecast_rag]
    return {
        "indicator": indicator,
        "rows": rows,
        "summary": summary,
        "plotted": plotted,
        "trend_chart": trend_chart(indicator, plotted)
        if plotted or indicator.kind != IndicatorKind.ACTIVITY
        else levels_chart(indicator),
        "years": years,
        "benchmarks": benchmark_sections(indicator),
        "commentaries": commentaries,
        "latest_forecast": forecasts[-1] if forecasts else None,
        "ranges": [(year_label(y.year_id), r) for y in indicator.years.all() for r in y.expected_ranges.all()],
    }


@dataclass
class BandTable:
    unit: object
    years: list[str]
    rows: list[tuple[str, list[int | None]]]  # (label as printed, count per year)
    totals: list[int]
    note: str


def band_tables(counts) -> list[BandTable]:
    """Band counts per unit as the plans print them: a row per band, a column per year, and the total."""
    by_unit: dict = {}
    for count in counts:
        by_unit.setdefault(count.unit, []).append(count)
    tables = []
    for unit, rows in by_unit.items():
        years = sorted({row.year_id for row in rows})
        labels = list(dict.fromkeys(row.label or row.get_band_display() for row in rows))
        cells = {(row.label or row.get_band_display(), row.year_id): row.count for row in rows}
        tables.append(
            BandTable(
                unit=unit,
                years=[year_label(y) for y in years],
                rows=[(label, [cells.get((label, y)) for y in years]) for label in labels],
                totals=[sum(row.count for row in rows if row.year_id == y) for y in years],
                note=next((row.source_note for row in rows if row.source_note), ""),
            )
        )
    return tables


def targets_initial(indicator_year: IndicatorYear | None, periods) -> dict:
    """The targets form's values as stored (and the fingerprint it is shown with)."""
    if indicator_year is None:
        return {"version": targets_version(None)}
    targets = list(indicator_year.targets.all())
    values = {
        "version": targets_version(indicator_year, targets),
        "floor": indicator_year.floor,
        "target_note": indicator_year.target_note,
    }
    stored = {(t.period, t.period_start): t.value for t in targets}
    for period in periods:
        values[TargetsForm.field_name(period)] = stored.get((period.kind, period.start))
    return values


def stored_targets(indicator_year: IndicatorYear | None, periods) -> list[tuple[str, object]]:
    """(label, value) of what is stored now, shown beside an officer's figures after a conflict."""
    values = targets_initial(indicator_year, periods)
    rows = [("Floor standard", figure(values.get("floor"), "Not set"))]
    rows += [(target_label(p), figure(values.get(TargetsForm.field_name(p)), "Not set")) for p in periods]
    return [*rows, ("Note on the targets", values.get("target_note") or "None")]
