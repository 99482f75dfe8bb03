"""Section D tables for the plan page and the print: `{% load budget_tables %}`.

The tags call budgets.tables, which reads only what plans.selectors.plan_document prefetched.
"""

from django import template

from budgets import tables
from common.money import format_money

register = template.Library()


@register.simple_tag
def budget_table(plan):
    return tables.budget_table(plan)


@register.simple_tag
def staffing_table(plan):
    return tables.staffing_table(plan)


@register.simple_tag
def activity_table(plan):
    return tables.activity_table(plan)


@register.filter
def money(value):
    """£'000 to one decimal place with thousands separators; a blank stays blank."""
    return format_money(value)


@register.filter
def fte(value):
    return format_money(value, 2)
