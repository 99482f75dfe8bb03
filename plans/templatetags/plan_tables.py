from django import template

from plans.custom_tables import row_cells

register = template.Library()


@register.filter
def cells(row, table):
    """The display text of each column of a custom-table row."""
    return row_cells(table.columns.all(), row)
