"""Ranking comparator councils on an indicator, with its polarity respected. A pure function."""

from dataclasses import dataclass
from decimal import Decimal

from performance.rag import Polarity


@dataclass(frozen=True)
class Ranked:
    council: str
    value: Decimal
    is_own_council: bool
    position: int | None  # 1 is best; councils with equal figures share a position; None: no ranking


def rank(rows: list[tuple[str, Decimal, bool]], polarity: str) -> list[Ranked]:
    """Best first for higher or lower is better ("standard competition" ranking: 1, 1, 3 …);
    in the order given, without positions, for an indicator with no polarity."""
    if polarity not in (Polarity.HIGHER, Polarity.LOWER):
        return [Ranked(council, value, own, None) for council, value, own in rows]
    ordered = sorted(rows, key=lambda row: row[1], reverse=polarity == Polarity.HIGHER)
    ranked = []
    for index, (council, value, own) in enumerate(ordered):
        tied = next((r.position for r in ranked if r.value == value), None)
        ranked.append(Ranked(council, value, own, tied or index + 1))
    return ranked


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def position_statement(ranked: list[Ranked], polarity: str) -> str:
    """For example "Kent is 4th of 7 (higher is better)."; empty when there is nothing to state."""
    own = next((r for r in ranked if r.is_own_council), None)
    if own is None:
        return ""
    if own.position is None:
        return f"{own.council} is not ranked: the indicator has no stated polarity."
    shared = sum(1 for r in ranked if r.position == own.position) > 1
    words = Polarity(polarity).label.lower()
    return f"{own.council} is {ordinal(own.position)}{' equal' if shared else ''} of {len(ranked)} ({words})."
