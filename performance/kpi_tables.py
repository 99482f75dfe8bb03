"""The KPI dashboard's two tables as CSV and XLSX downloads: the same rows as the page (performance/kpi.py
export_rows and export_counts), every text cell a spreadsheet would run as a formula neutralised."""

import django_tables2 as tables
from django.http import Http404

from performance.tables import SafeTableExport

EXPORT_FORMATS = ("csv", "xlsx")


class KpiTable(tables.Table):
    unit = tables.Column("Unit", default="")
    reference = tables.Column("Reference", default="")
    indicator = tables.Column("Indicator", default="")
    period = tables.Column("Latest period", default="")
    latest = tables.Column("Latest figure", default="")
    target = tables.Column("Target", default="")
    year_target = tables.Column("Annual target", default="")
    year_target_year = tables.Column("Year of the annual target", default="")
    rag = tables.Column("RAG", default="")
    category = tables.Column("Counted as", default="")
    direction = tables.Column("Direction of travel", default="")
    shown_as = tables.Column("Shown as", default="")
    shown_label = tables.Column("Figure shown", default="")
    shown_value = tables.Column("Value shown", default="")
    trend = tables.Column("Trend", default="")


class KpiCountsTable(tables.Table):
    category = tables.Column("RAG", default="")
    count = tables.Column("Indicators", default="")


def export_response(table_class, data: list[dict], export_format: str, filename: str):
    if export_format not in EXPORT_FORMATS:
        raise Http404
    exporter = SafeTableExport(export_format, table_class(data), dataset_kwargs={"title": filename[:31]})
    return exporter.response(filename=f"{filename}.{export_format}")
