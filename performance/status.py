"""An indicator's figures period by period, with their RAG, direction of travel and aggregates.

Works on indicators fetched with `Indicator.objects.with_figures()` (or the same prefetches), so
it runs no query of its own: the pages that list many indicators stay at a fixed query count.
The rules come from rag.py, aggregation.py and targets.py; this module only lines the figures up.
"""

import datetime
import functools
from dataclasses import dataclass, field
from decimal import Decimal

from performance import aggregation, targets
from performance import rag as rules
from performance.models import Actual, Commentary, ExpectedRange, Indicator, IndicatorKind, IndicatorYear, Target
from performance.periods import Period, PeriodKind, year_period
from performance.rag import Direction, Rag, RangeStatus


@dataclass
class PeriodStatus:
    period: Period
    indicator_year: IndicatorYear
    actual: Actual | None = None
    target: targets.ResolvedTarget = field(default_factory=lambda: targets.ResolvedTarget(None, "not set"))
    floor: Decimal | None = None
    rag: Rag = Rag.NONE
    direction: Direction = Direction.NONE
    expected_range: ExpectedRange | None = None
    range_status: RangeStatus = RangeStatus.NONE
    commentary: Commentary | None = None
    target_row: Target | None = None
    is_activity: bool = False
    previous_value: Decimal | None = None

    @property
    def value(self) -> Decimal | None:
        return None if self.actual is None else self.actual.value

    @property
    def alert(self) -> Rag | RangeStatus:
        """The RAG of a performance indicator, the range status of an activity indicator."""
        return self.range_status if self.is_activity else self.rag

    @property
    def needs_commentary(self) -> bool:
        return rules.is_alert(self.alert)


@dataclass
class Summary:
    """The latest figure of an indicator (in a year, or overall) and its aggregates."""

    indicator: Indicator
    latest: "PeriodStatus | LatestFigure | None"  # a LatestFigure from latest_summary()
    year_to_date: Decimal | None = None
    rolling_12_months: Decimal | None = None
    year_target: targets.ResolvedTarget | None = None
    indicator_year: IndicatorYear | None = None

    @property
    def rag(self) -> Rag:
        return self.latest.rag if self.latest else Rag.NONE

    @property
    def alert(self) -> Rag | RangeStatus:
        if self.latest:
            return self.latest.alert
        return RangeStatus.NONE if self.indicator.kind == IndicatorKind.ACTIVITY else Rag.NONE

    @property
    def direction(self) -> Direction:
        return self.latest.direction if self.latest else Direction.NONE


def year_target(indicator_year, year_actuals: dict[int, Decimal], set_values=None) -> targets.ResolvedTarget:
    """indicator_year: an IndicatorYear, or a YearFigures with `set_values` (its annual targets' values)."""
    if set_values is None:
        set_values = [t.value for t in indicator_year.targets.all() if t.period == PeriodKind.YEAR]
    return targets.annual_target(
        set_value=set_values[0] if set_values else None,
        relative_percent=indicator_year.relative_target_percent,
        previous_outturn=indicator_year.previous_outturn,
        previous_year_actual=year_actuals.get(indicator_year.year_id - 1),
    )


def timeline(indicator: Indicator) -> list[PeriodStatus]:
    """Every period with a target, an actual or a commentary, oldest first."""
    years = list(indicator.years.all())
    rows: dict[Period, PeriodStatus] = {}
    actual_values: dict[Period, Decimal] = {}
    year_actuals: dict[int, Decimal] = {}

    def row(item, indicator_year) -> PeriodStatus:
        period = Period(item.period_start, item.period)
        if period not in rows:
            rows[period] = PeriodStatus(period=period, indicator_year=indicator_year, floor=indicator_year.floor)
        return rows[period]

    for indicator_year in years:
        for actual in indicator_year.actuals.all():
            row(actual, indicator_year).actual = actual
            actual_values[Period(actual.period_start, actual.period)] = actual.value
            if actual.period == PeriodKind.YEAR:
                year_actuals[indicator_year.year_id] = actual.value
    for indicator_year in years:
        ranges = {r.quarter: r for r in indicator_year.expected_ranges.all()}
        for target in indicator_year.targets.all():
            status = row(target, indicator_year)
            status.target, status.target_row = targets.ResolvedTarget(target.value, "set"), target
        for commentary in indicator_year.commentaries.all():
            row(commentary, indicator_year).commentary = commentary
        resolved = year_target(indicator_year, year_actuals)
        if resolved.how == "relative":
            period = Period(_year_first_day(indicator, indicator_year.year_id), PeriodKind.YEAR)
            if period not in rows:
                rows[period] = PeriodStatus(period=period, indicator_year=indicator_year, floor=indicator_year.floor)
            rows[period].target = resolved
        for status in rows.values():
            if status.indicator_year is indicator_year and status.period.quarter in ranges:
                status.expected_range = ranges[status.period.quarter]

    for period, status in rows.items():
        status.is_activity = indicator.kind == IndicatorKind.ACTIVITY
        status.previous_value = actual_values.get(period.previous())
        status.direction = rules.direction(status.value, status.previous_value, indicator.polarity)
        if indicator.kind == IndicatorKind.ACTIVITY:
            if status.expected_range is not None:
                status.range_status = rules.range_status(
                    status.value, status.expected_range.lower, status.expected_range.upper
                )
        else:
            status.rag = rules.rag(status.value, status.target.value, status.floor, indicator.polarity)
    return [rows[period] for period in sorted(rows)]


def _year_first_day(indicator: Indicator, start_year: int):
    return year_period(start_year, indicator.year_basis).start


def _points(statuses: list[PeriodStatus], kind: str) -> list[aggregation.Point]:
    return [
        aggregation.Point(
            start=s.period.start,
            end=s.period.end,
            value=s.actual.value,
            numerator=s.actual.numerator,
            denominator=s.actual.denominator,
        )
        for s in statuses
        if s.actual is not None and s.period.kind == kind
    ]


def summary(indicator: Indicator, year_id: int | None = None, statuses: list[PeriodStatus] | None = None) -> Summary:
    """The latest period with an actual (in the year, if given), its year to date and rolling 12 months."""
    statuses = timeline(indicator) if statuses is None else statuses
    in_scope = [s for s in statuses if year_id is None or s.period.year_start == year_id]
    with_actual = [s for s in in_scope if s.actual is not None]
    # The most recent period to end; a year sorts after the months that end with it.
    latest = max(with_actual, key=lambda s: (s.period.end, s.period.kind == PeriodKind.YEAR), default=None)
    indicator_year = None
    if year_id is not None:
        indicator_year = next((y for y in indicator.years.all() if y.year_id == year_id), None)
    elif latest is not None:
        indicator_year = latest.indicator_year
    result = Summary(indicator=indicator, latest=latest, indicator_year=indicator_year)
    if indicator_year is not None:
        year_actuals = {
            s.indicator_year.year_id: s.value for s in statuses if s.actual and s.period.kind == PeriodKind.YEAR
        }
        result.year_target = year_target(indicator_year, year_actuals)
    if latest is not None:
        points = _points(statuses, latest.period.kind)
        year_first_day = _year_first_day(indicator, latest.period.year_start)
        result.year_to_date = aggregation.year_to_date(
            points,
            aggregation=indicator.aggregation,
            scale=indicator.scale,
            year_first_day=year_first_day,
            up_to=latest.period.end,
        )
        result.rolling_12_months = aggregation.rolling_12_months(
            points, aggregation=indicator.aggregation, scale=indicator.scale, up_to=latest.period.end
        )
    return result


# The indicator list ---------------------------------------------------------------------------------
# A list page shows only each indicator's latest figure, its target, RAG and direction of travel. Working
# them out through timeline() needs every figure as a model instance and a PeriodStatus for every period;
# latest_summary() gives the same latest figure from plain tuples (selectors.list_figures), and builds
# one Period per distinct period rather than one per figure.

Figure = tuple[str, datetime.date, Decimal]  # (period kind, period start, value)


@dataclass
class YearFigures:
    """What latest_summary() reads of one IndicatorYear: its figures as tuples, in the order of
    `indicator_year.actuals.all()` and `.targets.all()`, and its expected ranges by quarter."""

    year_id: int
    floor: Decimal | None
    relative_target_percent: Decimal | None
    previous_outturn: Decimal | None
    actuals: list[Figure] = field(default_factory=list)
    targets: list[Figure] = field(default_factory=list)
    ranges: dict[int, tuple[Decimal | None, Decimal | None]] = field(default_factory=dict)  # quarter: (lower, upper)


@dataclass(frozen=True)
class LatestFigure:
    """The latest figure of an indicator: what the list reads of `summary(indicator).latest`."""

    period: Period
    value: Decimal
    target: targets.ResolvedTarget
    floor: Decimal | None
    previous_value: Decimal | None
    rag: Rag
    direction: Direction
    range_status: RangeStatus
    is_activity: bool

    @property
    def alert(self) -> Rag | RangeStatus:
        return self.range_status if self.is_activity else self.rag


@functools.lru_cache(maxsize=4096)
def _period(start: datetime.date, kind: str) -> Period:
    return Period(start, kind)


@functools.lru_cache(maxsize=4096)
def _latest_key(key: tuple[datetime.date, str]) -> tuple[datetime.date, bool]:
    """summary()'s order for "latest": the period that ends last; a year after the months that end with it."""
    period = _period(*key)
    return period.end, period.kind == PeriodKind.YEAR


def latest_summary(indicator: Indicator, years: list[YearFigures]) -> Summary:
    """The `latest` of summary(indicator) (period, figure, target, RAG, range status and direction),
    worked out from `years` (selectors.list_figures): the same rules as timeline() and summary(), for one
    period. The aggregates (year to date, rolling 12 months, year target) are not worked out: None."""
    first_year: dict[tuple, YearFigures] = {}  # timeline()'s row of a period belongs to the year of its first actual
    values: dict[tuple, Decimal] = {}  # the last actual of each period wins, as in timeline()
    year_actuals: dict[int, Decimal] = {}
    for year in years:
        for kind, start, value in year.actuals:
            key = (start, kind)
            first_year.setdefault(key, year)
            values[key] = value
            if kind == PeriodKind.YEAR:
                year_actuals[year.year_id] = value
    if not values:
        return Summary(indicator=indicator, latest=None)
    # max() over the timeline (sorted by period) keeps the first of equal keys: the smallest period.
    best = _latest_key(max(values, key=_latest_key))
    key = min(k for k in values if _latest_key(k) == best)
    period = _period(*key)

    target = targets.ResolvedTarget(None, "not set")
    for year in years:  # the same order of overrides as timeline(): set targets, then a resolved relative one
        for kind, start, value in year.targets:
            if (start, kind) == key:
                target = targets.ResolvedTarget(value, "set")
        if period.kind == PeriodKind.YEAR and period.start == _year_first_day(indicator, year.year_id):
            set_values = [value for kind, _, value in year.targets if kind == PeriodKind.YEAR]
            resolved = year_target(year, year_actuals, set_values)
            if resolved.how == "relative":
                target = resolved

    year = first_year[key]
    value = values[key]
    previous = period.previous()
    previous_value = values.get((previous.start, previous.kind))
    is_activity = indicator.kind == IndicatorKind.ACTIVITY
    rag, range_status = Rag.NONE, RangeStatus.NONE
    if is_activity:
        if period.quarter in year.ranges:
            lower, upper = year.ranges[period.quarter]
            range_status = rules.range_status(value, lower, upper)
    else:
        rag = rules.rag(value, target.value, year.floor, indicator.polarity)
    latest = LatestFigure(
        period=period,
        value=value,
        target=target,
        floor=year.floor,
        previous_value=previous_value,
        rag=rag,
        direction=rules.direction(value, previous_value, indicator.polarity),
        range_status=range_status,
        is_activity=is_activity,
    )
    return Summary(indicator=indicator, latest=latest)
