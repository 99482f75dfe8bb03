from django import template

from common.markdown import render_markdown
from common.years import format_month

register = template.Library()


@register.filter
def markdown(text):
    """Narrative text to sanitised HTML."""
    return render_markdown(text)


@register.filter
def month(value):
    """A month field as councils write it: April 2013."""
    return format_month(value)
