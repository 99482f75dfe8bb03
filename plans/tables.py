import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from plans import selectors
from plans.models import Plan


class PlanTable(tables.Table):
    year = tables.Column(order_by=("year",))
    # The directorate above the unit at any depth (a directorate's own plan shows its own code).
    directorate = tables.Column(accessor="unit__directorate__code", verbose_name="Directorate", orderable=False)
    unit = tables.Column(accessor="unit__name", verbose_name="Unit", order_by=("unit__name",))
    title = tables.LinkColumn(
        "plans:detail", args=[tables.A("pk")], verbose_name="Plan", attrs={"a": {"class": "govuk-link"}}
    )
    version_label = tables.Column(verbose_name="Version")
    status = tables.Column()
    # Findings of the plan checks, for plans awaiting approval: what the checks are for. Counted for
    # the rows of the page shown only (see render_checks); an approved or published plan's findings
    # are on its own page, and counting them here would cost committee members' lists of published
    # plans thousands of rows read for nothing.
    checks = tables.Column(empty_values=(), verbose_name="Checks", orderable=False)

    class Meta:
        model = Plan
        fields = ["year", "directorate", "unit", "title", "version_label", "status", "checks"]
        order_by = ("-year", "unit")
        empty_text = "No plans match."
        attrs = {"class": "govuk-table"}
        per_page = 50

    def render_unit(self, record):
        return f"{record.unit.name} ({record.unit.code})"

    def render_checks(self, record):
        if not record.awaits_approval:
            return mark_safe('–<span class="govuk-visually-hidden"> (checks are for plans awaiting approval)</span>')
        counts = getattr(self, "_finding_counts", None)
        if counts is None:
            # Once per page, for the page's plans only: a fixed number of queries however many plans.
            awaiting = (row.record for row in self.paginated_rows if row.record.awaits_approval)
            counts = self._finding_counts = selectors.finding_counts(awaiting)
        count = counts.get(record.pk, 0)
        text = f"{count} finding{'' if count == 1 else 's'}" if count else "No findings"
        return format_html(
            # The hidden words name the plan without repeating its title, the link of the Plan column.
            '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> for {} {}, {}</span></a>',
            reverse("plans:checks", args=[record.pk]),
            text,
            record.unit.code,
            record.year,
            record.version_label,
        )
