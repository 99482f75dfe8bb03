"""The alert rules of indicators, as pure functions: RAG, direction of travel, activity ranges, bands.

The rules are those of the FSC performance dashboards (mid-year monitoring report, December 2013):

- Green: current target achieved or exceeded;
- Amber: below the current target but at or above the minimum standard (the floor);
- Red: below the floor.

For lower-is-better indicators everything is mirrored (green at or below target, red above the
floor). There is no RAG ("none") for data-only indicators, where no target is set, or where no
actual is entered. With a target but no floor, a figure short of the target is amber: without a
minimum standard nothing can be below it.

Nothing else in the project works these out: models, selectors and templates call these functions.
"""

from decimal import Decimal

from django.db import models


class Polarity(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"
    NONE = "none", "None (data only)"


class Rag(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    NONE = "none", "No RAG"


class Direction(models.TextChoices):
    IMPROVING = "improving", "Improving"
    WORSENING = "worsening", "Worsening"
    UNCHANGED = "unchanged", "No change"
    # Data-only indicators move, but neither way is better.
    UP = "up", "Up"
    DOWN = "down", "Down"
    NONE = "no_earlier_figure", "No earlier figure"


class RangeStatus(models.TextChoices):
    WITHIN = "within", "Within expected range"
    ABOVE = "above", "Above expected range"
    BELOW = "below", "Below expected range"
    NONE = "no_range", "No expected range"


# Legacy performance bands, with the words the 2008/9 mental health plan prints for them.
BAND_LABELS = {
    5: "Band 5 – OPTIMUM Performance",
    4: "Band 4 – GOOD performance",
    3: "Band 3 – ACCEPTABLE performance",
    2: "Band 2 – Ask Questions about performance",
    1: "Band 1 – Investigate urgently",
}

# RAG (and direction) -> GOV.UK Frontend tag colour. The text is always shown beside the colour.
TAG_CLASSES = {
    Rag.GREEN: "govuk-tag--green",
    Rag.AMBER: "govuk-tag--orange",
    Rag.RED: "govuk-tag--red",
    Rag.NONE: "govuk-tag--grey",
    Direction.IMPROVING: "govuk-tag--green",
    Direction.WORSENING: "govuk-tag--red",
    Direction.UNCHANGED: "govuk-tag--grey",
    Direction.UP: "govuk-tag--blue",
    Direction.DOWN: "govuk-tag--blue",
    Direction.NONE: "govuk-tag--grey",
    RangeStatus.WITHIN: "govuk-tag--green",
    RangeStatus.ABOVE: "govuk-tag--orange",
    RangeStatus.BELOW: "govuk-tag--orange",
    RangeStatus.NONE: "govuk-tag--grey",
}

Number = Decimal | int | float


def rag(actual: Number | None, target: Number | None, floor: Number | None, polarity: str) -> Rag:
    """The alert of one actual against the period's target and the year's floor."""
    if polarity not in (Polarity.HIGHER, Polarity.LOWER) or actual is None or target is None:
        return Rag.NONE
    if polarity == Polarity.LOWER:
        # Mirror: lower is better is higher is better on the negated figures.
        actual, target, floor = -actual, -target, None if floor is None else -floor
    if actual >= target:
        return Rag.GREEN
    if floor is not None and actual < floor:
        return Rag.RED
    return Rag.AMBER


def direction(current: Number | None, previous: Number | None, polarity: str) -> Direction:
    """Direction of travel from the previous period's figure to this one's."""
    if current is None or previous is None:
        return Direction.NONE
    if current == previous:
        return Direction.UNCHANGED
    if polarity not in (Polarity.HIGHER, Polarity.LOWER):
        return Direction.UP if current > previous else Direction.DOWN
    better = current > previous if polarity == Polarity.HIGHER else current < previous
    return Direction.IMPROVING if better else Direction.WORSENING


def range_status(value: Number | None, lower: Number | None, upper: Number | None) -> RangeStatus:
    """Where an activity figure stands against its quarter's expected range (both ends included)."""
    if value is None or (lower is None and upper is None):
        return RangeStatus.NONE
    if lower is not None and value < lower:
        return RangeStatus.BELOW
    if upper is not None and value > upper:
        return RangeStatus.ABOVE
    return RangeStatus.WITHIN


def is_alert(status: Rag | RangeStatus) -> bool:
    """Whether a committee member expects a commentary beside it: amber, red, or outside the range."""
    return status in (Rag.AMBER, Rag.RED, RangeStatus.ABOVE, RangeStatus.BELOW)


def band_label(band: int) -> str:
    return BAND_LABELS[band]


def tag_class(status: str) -> str:
    """The GOV.UK tag modifier for a RAG, a direction or a range status."""
    for choices in (Rag, Direction, RangeStatus):
        if status in choices.values:
            return TAG_CLASSES[choices(status)]
    return "govuk-tag--grey"
