import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django_tables2.export import TableExport
from tablib import Dataset

from performance import rag, selectors, status
from performance.formatting import figure, plain
from performance.models import Indicator, IndicatorKind
from performance.templatetags.performance import status_label

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


def rag_tag(value) -> str:
    """A RAG, range status or direction as a GOV.UK tag: what templates/includes/rag_tag.html prints."""
    return format_html('<strong class="govuk-tag {}">{}</strong>', rag.tag_class(value), status_label(value))


class IndicatorTable(tables.Table):
    """The indicator list. django-tables2 orders, paginates and exports it; the page's rows are printed by
    templates/performance/includes/indicator_table.html from `page_cells`, which gives each cell the same
    text django-tables2 would, without its generic machinery for each of the 600 cells of a page."""

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
        template_name = "performance/includes/indicator_table.html"

    def summary(self, record) -> status.Summary:
        """The record's latest figure, target, RAG and direction, worked out with those of every record of
        the page (or, unpaginated, of the table) the first time one is asked for: 4 queries a page."""
        cache = self.__dict__.setdefault("_summaries", {})
        if record.pk not in cache:
            records = self._records_with(record)
            figures = selectors.list_figures(records)
            for other in records:
                cache[other.pk] = status.latest_summary(other, figures.get(other.pk, []))
        return cache[record.pk]

    def _records_with(self, record) -> list:
        """The records whose figures are read with this one's: the page's, else the table's, else its own."""
        candidates = [self.page.object_list] if hasattr(self, "page") else []
        for rows in [*candidates, self.rows]:
            records = [row.record for row in rows]
            if any(other.pk == record.pk for other in records):
                return records
        return [record]

    # The page's rows -----------------------------------------------------------------------------------

    def page_cells(self):
        """Each row of the page as the list of its cells' contents, in the order of the columns, each as
        django-tables2 renders it (BoundRow.get_cell): a field's choice label, the column's default where
        the value is empty, else the column's render_ method."""
        cells = {column.name: getattr(self, f"_cell_{column.name}", None) for column in self.columns}  # visible ones
        for row in self.paginated_rows:
            record = row.record
            yield [row.get_cell(name) if cell is None else cell(record) for name, cell in cells.items()]

    def _default(self, name):
        return self.columns[name].default

    def _cell_reference(self, record):
        return record.reference if record.reference not in (None, "") else self._default("reference")

    def _cell_title(self, record):
        return self.render_title(record, record.title) if record.title not in (None, "") else self._default("title")

    def _cell_unit(self, record):
        code = record.unit.code
        return code if code not in (None, "") else self._default("unit")

    def _cell_frequency(self, record):
        label = record.get_frequency_display()
        return label if label not in (None, "") else self._default("frequency")

    def _cell_polarity(self, record):
        return self.render_polarity(record)

    def _cell_kind(self, record):
        return self.render_kind(record) if record.get_kind_display() not in (None, "") else self._default("kind")

    def _cell_accountable_manager(self, record):
        manager = record.accountable_manager
        return manager if manager not in (None, "") else self._default("accountable_manager")

    def _cell_period(self, record):
        return self.render_period(record)

    def _cell_actual(self, record):
        return self.render_actual(record)

    def _cell_target(self, record):
        return self.render_target(record)

    def _cell_rag(self, record):
        return self.render_rag(record)

    def _cell_direction(self, record):
        return self.render_direction(record)

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
        latest = self.summary(record).latest
        return figure(latest.value) if latest else "–"

    def render_target(self, record):
        latest = self.summary(record).latest
        return figure(latest.target.value, "Not set") if latest else "–"

    def render_rag(self, record):
        return rag_tag(self.summary(record).alert)

    def render_direction(self, record):
        return rag_tag(self.summary(record).direction)

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
