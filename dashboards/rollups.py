"""The roll-up rule: how the statuses of headline actions become a division's, and the directorate's, RAG.

The FSC mid-year report prints an overall RAG per division and for the directorate but does not say
how it is reached. The rule here is explicit, held as data (dashboards.models.RollupRule, editable
in the admin) and stated on every dashboard page by `describe()`. In order:

1. No headline action counted (none in the plan, or all withdrawn), or no return made yet in the
   round (a round just opened): no RAG. Amber would claim progress that nobody has reported.
2. RED when the delayed or cancelled actions reach `red_percent` per cent of the counted actions
   (and there is at least one of them).
3. GREEN when the completed actions reach `green_percent` per cent of the counted actions.
4. Otherwise AMBER.

Counted actions are the headline actions of the round that are not withdrawn or merged, returned
or not (an action with no return counts as neither completed nor delayed).

The directorate's RAG is either the same rule applied to the directorate totals ("totals") or the
worst of its divisions' RAGs ("worst").

`rollup()` is the one place these are worked out; it is a pure function, tested table by table.
"""

from dataclasses import dataclass
from decimal import Decimal

from performance.rag import Rag

TOTALS = "totals"
WORST = "worst"


@dataclass(frozen=True)
class Rule:
    red_percent: Decimal = Decimal(10)
    green_percent: Decimal = Decimal(100)
    directorate_method: str = TOTALS


DEFAULT_RULE = Rule()

_SEVERITY = {Rag.NONE: 0, Rag.GREEN: 1, Rag.AMBER: 2, Rag.RED: 3}


def rollup(rule: Rule, *, actions: int, completed: int, delayed_or_cancelled: int, returned: int | None = None) -> Rag:
    """The RAG of a set of headline actions under the rule (pure: no database). `returned` is the
    number of returns made (None: not known, as in snapshots made before it was counted)."""
    if actions <= 0 or returned == 0:
        return Rag.NONE
    if delayed_or_cancelled > 0 and Decimal(delayed_or_cancelled) * 100 >= rule.red_percent * actions:
        return Rag.RED
    if Decimal(completed) * 100 >= rule.green_percent * actions:
        return Rag.GREEN
    return Rag.AMBER


def rollup_counts(rule: Rule, counts: dict) -> Rag:
    """rollup() on a counts dict of monitoring.selectors.unit_report()."""
    return rollup(
        rule,
        actions=counts["headline_actions"],
        completed=counts["completed"],
        delayed_or_cancelled=counts["delayed_or_cancelled"],
        returned=counts.get("returned"),
    )


def directorate_rag(rule: Rule, totals: dict, division_rags: list[Rag]) -> Rag:
    if rule.directorate_method == WORST:
        return max(division_rags, key=_SEVERITY.__getitem__, default=Rag.NONE)
    return rollup_counts(rule, totals)


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}"


def describe(rule: Rule) -> list[str]:
    """The rule in words, as the page's key shows it."""
    lines = [
        "Counted actions are the headline actions not withdrawn or merged; an action with no return counts "
        "as neither completed nor delayed.",
        f"Red: delayed or cancelled actions are {_percent(rule.red_percent)}% or more of the counted actions "
        "(and there is at least one).",
        f"Green: otherwise, if completed actions are {_percent(rule.green_percent)}% or more of the counted actions.",
        "Amber: otherwise.",
        "No RAG: no counted actions, or no return made yet in the round.",
    ]
    if rule.directorate_method == WORST:
        lines.append("Directorate: the worst of its divisions' RAGs.")
    else:
        lines.append("Directorate: the same rule applied to the directorate totals.")
    return lines
