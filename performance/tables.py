import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django_tables2.export import TableExport
from tablib import Dataset

from performance import status
from performance.formatting import figure, plain
from performance.models import Indicator, IndicatorKind

# A spreadsheet treats a cell starting with one of these as a formula (or, with tab and carriage
# return, as the start of one): such text cells are exported with a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell):
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


class SafeTableExport(TableExport):
    """django-tables2's export, with every text cell that a spreadsheet would run as a formula neutralised."""

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        source = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        dataset = Dataset(title=source.title)
        dataset.headers = [neutralise(cell) for cell in source.headers]
        for row in source:
            dataset.append([neutralise(cell) for cell in row])
        return dataset


class IndicatorTable(tables.Table):
    reference = tables.Column(order_by=("reference", "pk"), default="")
    title = tables.Column(verbose_name="Indicator", order_by=("title", "pk"))
    unit = tables.Column(accessor="unit__code", verbose_name="Unit", order_by=("unit__code", "pk"))
    frequency = tables.Column()
    polarity = tables.Column(empty_values=())
    kind = tables.Column()
    accountable_manager = tables.Column(verbose_name="Accountable manager")
    period = tables.Column(empty_values=(), verbose_name="Latest period", orderable=False)
    actual = tables.Column(empty_values=(), verbose_name="Actual", orderable=False)
    target = tables.Column(empty_values=(), verbose_name="Target", orderable=False)
    rag = tables.Column(empty_values=(), verbose_name="RAG", orderable=False)
    direction = tables.Column(empty_values=(), verbose_name="Direction of travel", orderable=False)

    class Meta:
        model = Indicator
        fields = [
            "reference",
            "title",
            "unit",
            "frequency",
            "polarity",
            "kind",
            "accountable_manager",
            "period",
            "actual",
            "target",
            "rag",
            "direction",
        ]
        order_by = ("unit", "reference")
        empty_text = "No indicators match."
        attrs = {"class": "govuk-table govuk-!-font-size-16"}
        per_page = 50

    def summary(self, record) -> status.Summary:
        cache = self.__dict__.setdefault("_summaries", {})
        if record.pk not in cache:
            cache[record.pk] = status.summary(record)
        return cache[record.pk]

    # Cells for the page ---------------------------------------------------------------------------

    def render_title(self, record, value):
        url = reverse("performance:detail", args=[record.pk])
        return format_html('<a class="govuk-link" href="{}">{}</a>', url, value)

    def render_polarity(self, record):
        return record.get_polarity_display() or "Not stated"

    def render_kind(self, record):
        return "Activity" if record.kind == IndicatorKind.ACTIVITY else "Performance"

    def render_period(self, record):
        latest = self.summary(record).latest
        return latest.period.label if latest else "No actuals"

    def render_actual(self, record):
        return figure(self.summary(record).latest.value) if self.summary(record).latest else "–"

    def render_target(self, record):
        latest = self.summary(record).latest
        return figure(latest.target.value, "Not set") if latest else "–"

    def render_rag(self, record):
        return render_to_string("includes/rag_tag.html", {"status": self.summary(record).alert})

    def render_direction(self, record):
        return render_to_string("includes/rag_tag.html", {"status": self.summary(record).direction})

    # Values for the CSV and XLSX exports: the same figures, as numbers where they are numbers --------

    def value_title(self, value):
        return value

    def value_polarity(self, record):
        return record.get_polarity_display() or "Not stated"

    def value_period(self, record):
        latest = self.summary(record).latest
        return latest.period.label if latest else ""

    def value_actual(self, record):
        latest = self.summary(record).latest
        return plain(latest.value) if latest else None

    def value_target(self, record):
        latest = self.summary(record).latest
        return plain(latest.target.value) if latest else None

    def value_rag(self, record):
        return self.summary(record).alert.label

    def value_direction(self, record):
        return self.summary(record).direction.label
