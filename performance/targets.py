"""Targets that plans write relative to the last outturn ("+5% on last year"), resolved to a figure.

One function resolves them, so the indicator page, the plan's section F and the RAG all use the
same figure: the base (the previous year's outturn as the plan prints it, or else the previous
year's annual actual) times (1 + percent / 100), rounded half up to two decimal places. A lower
is better indicator writes a negative percentage ("-5%").
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from performance.formatting import figure, signed_percent

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class ResolvedTarget:
    value: Decimal | None
    how: str  # "set", "relative" or "not set"
    explanation: str = ""


def resolve_relative_target(base: Decimal | None, percent: Decimal | None) -> Decimal | None:
    """`percent` per cent on `base`; None when either is missing."""
    if base is None or percent is None:
        return None
    return (Decimal(base) * (1 + Decimal(percent) / 100)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def annual_target(
    *,
    set_value: Decimal | None,
    relative_percent: Decimal | None,
    previous_outturn: Decimal | None,
    previous_year_actual: Decimal | None,
) -> ResolvedTarget:
    """A year's target: the one set for the year if any, else the relative target resolved."""
    if set_value is not None:
        return ResolvedTarget(set_value, "set")
    if relative_percent is None:
        return ResolvedTarget(None, "not set")
    base, source = (
        (previous_outturn, "the previous outturn")
        if previous_outturn is not None
        else (previous_year_actual, "the previous year's actual")
    )
    value = resolve_relative_target(base, relative_percent)
    if value is None:
        explanation = f"{signed_percent(relative_percent)} on the last outturn, which is not recorded"
        return ResolvedTarget(None, "not set", explanation)
    return ResolvedTarget(value, "relative", f"{signed_percent(relative_percent)} on {source} ({figure(base)})")
