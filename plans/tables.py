import django_tables2 as tables

from plans.models import Plan


class PlanTable(tables.Table):
    year = tables.Column(order_by=("year",))
    # The directorate above the unit at any depth (a directorate's own plan shows its own code).
    directorate = tables.Column(accessor="unit__directorate__code", verbose_name="Directorate", orderable=False)
    unit = tables.Column(accessor="unit__name", verbose_name="Unit", order_by=("unit__name",))
    title = tables.LinkColumn("plans:detail", args=[tables.A("pk")], verbose_name="Plan")
    version_label = tables.Column(verbose_name="Version")
    status = tables.Column()

    class Meta:
        model = Plan
        fields = ["year", "directorate", "unit", "title", "version_label", "status"]
        order_by = ("-year", "unit")
        empty_text = "No plans match."
        attrs = {"class": "govuk-table"}
        per_page = 50

    def render_unit(self, record):
        return f"{record.unit.name} ({record.unit.code})"
