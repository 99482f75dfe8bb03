"""Figures shown as the plans print them: no trailing zeros (85, not 85.0000; 96.3, not 96.30), and
thousands grouped with commas (2,912)."""

from decimal import Decimal


def plain(value: Decimal | int | float | None) -> Decimal | None:
    """The figure without trailing zeros, never in exponent form (100, not 1E+2)."""
    if value is None or value == "":  # "" is what a template passes for a missing figure
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def figure(value: Decimal | int | float | None, empty: str = "") -> str:
    """For pages: 1.7, 85, 2,912, 96.3; `empty` where there is no figure."""
    value = plain(value)
    if value is None:
        return empty
    return f"{value:,f}"


def signed_percent(value: Decimal | None) -> str:
    value = plain(value)
    return "" if value is None else f"{'+' if value >= 0 else ''}{value:,f}%"
