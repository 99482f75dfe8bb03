"""Year to date and rolling 12 months, per an indicator's aggregation. Pure functions.

- snapshot:   a count on a date (clients in residential care on the last day): the latest figure;
- cumulative: counted through the year (admissions, episodes): the sum of the periods' figures;
- ratio:      a percentage or rate: recomputed as the sum of the numerators over the sum of the
              denominators, times the scale (100 for a percentage, 1,000 or 10,000 for a rate).
              Averaging the periods' percentages would weigh a quiet month like a busy one.
              Where any period lacks its numerator or denominator the ratio cannot be recomputed
              and there is no figure, except for a single period, which is its own aggregate.

Points are the periods of one kind (months, or quarters …) of one indicator; periods without a
figure are left out by the caller.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models

from performance.periods import add_months


class Aggregation(models.TextChoices):
    SNAPSHOT = "snapshot", "Snapshot: the latest figure"
    CUMULATIVE = "cumulative", "Cumulative: the sum over the periods"
    RATIO = "ratio", "Ratio: recomputed from numerators and denominators"


PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Point:
    start: datetime.date
    end: datetime.date  # the first day after the period
    value: Decimal
    numerator: Decimal | None = None
    denominator: Decimal | None = None


def combine(points: list[Point], aggregation: str, scale: int = 1) -> Decimal | None:
    """The aggregate of the points (any order), or None where there is none."""
    if not points:
        return None
    points = sorted(points, key=lambda point: point.start)
    if aggregation == Aggregation.SNAPSHOT:
        return points[-1].value
    if aggregation == Aggregation.CUMULATIVE:
        return sum((point.value for point in points), Decimal(0))
    if all(point.numerator is not None and point.denominator for point in points):
        numerator = sum((point.numerator for point in points), Decimal(0))
        denominator = sum((point.denominator for point in points), Decimal(0))
        return (numerator * scale / denominator).quantize(PLACES, rounding=ROUND_HALF_UP)
    return points[0].value if len(points) == 1 else None


def year_to_date(
    points: list[Point], *, aggregation: str, scale: int = 1, year_first_day: datetime.date, up_to: datetime.date
) -> Decimal | None:
    """From the first day of the year to `up_to` (the first day after the last period counted)."""
    return combine([p for p in points if p.start >= year_first_day and p.end <= up_to], aggregation, scale)


def rolling_12_months(points: list[Point], *, aggregation: str, scale: int = 1, up_to: datetime.date) -> Decimal | None:
    """The twelve months before `up_to` (the first day after the last period counted)."""
    first = add_months(up_to, -12)
    return combine([p for p in points if p.start >= first and p.end <= up_to], aggregation, scale)
