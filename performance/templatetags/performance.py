from django import template

from performance import rag, status
from performance.formatting import figure as format_figure

register = template.Library()

_CHOICES = (rag.Rag, rag.Direction, rag.RangeStatus)


@register.filter
def tag_class(value):
    """The GOV.UK tag colour of a RAG, direction of travel or range status (performance/rag.py)."""
    return rag.tag_class(value)


@register.filter
def status_label(value):
    for choices in _CHOICES:
        if value in choices.values:
            return choices(value).label
    return ""


@register.filter
def figure(value, empty=""):
    """A figure as the plans print it: 1.7, 85, 2,912."""
    return format_figure(value, empty)


@register.simple_tag
def plan_indicators(plan):
    """Section F of a plan: its unit's indicators with their latest figure and RAG in the plan's year.

    Reads only what plans/selectors.py prefetches onto plan.unit, so it runs no query of its own.
    """
    return [status.summary(indicator, plan.year_id) for indicator in plan.unit.indicators.all()]
