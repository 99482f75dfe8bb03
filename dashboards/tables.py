"""Exports of the dashboard tables (django-tables2's TableExport: CSV and XLSX via tablib)."""

import django_tables2 as tables
from django.http import Http404
from django_tables2.export import TableExport

from dashboards.selectors import COLUMNS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell Excel or another spreadsheet would run as a formula is written as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class DashboardTable(tables.Table):
    division = tables.Column("Division")
    priorities = tables.Column(COLUMNS[0][1])
    headline_actions = tables.Column(COLUMNS[1][1])
    completed = tables.Column(COLUMNS[2][1])
    on_course = tables.Column(COLUMNS[3][1])
    delayed_or_cancelled = tables.Column(COLUMNS[4][1])
    rag = tables.Column("Overall RAG")


def export_response(table_class, data: list[dict], export_format: str, filename: str):
    if export_format not in ("csv", "xlsx"):
        raise Http404
    rows = [{key: neutralise(value) for key, value in row.items()} for row in data]
    exporter = TableExport(export_format, table_class(rows), dataset_kwargs={"title": filename[:31]})
    return exporter.response(filename=f"{filename}.{export_format}")
