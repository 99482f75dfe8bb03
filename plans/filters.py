import django_filters

from common.models import FinancialYear
from organisation.models import Unit
from plans.models import Plan


class PlanFilter(django_filters.FilterSet):
    year = django_filters.ModelChoiceFilter(queryset=FinancialYear.objects.all(), empty_label="All years")
    directorate = django_filters.ModelChoiceFilter(
        label="Directorate",
        queryset=Unit.objects.filter(level=Unit.Level.DIRECTORATE),
        method="filter_directorate",
        empty_label="All directorates",
    )
    status = django_filters.ChoiceFilter(choices=Plan.Status.choices, empty_label="Any status")

    class Meta:
        model = Plan
        fields = ["year", "directorate", "status"]

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            # A model choice field's choices are a fresh query each time, and a template's {% for %} counts
            # them first (one more query): read them once, as a list, for the page (plans/plan_list.html).
            if not isinstance(field.widget.choices, list):
                field.widget.choices = list(iter(field.widget.choices))  # list() alone would count them first
        return form

    def filter_directorate(self, queryset, name, value):
        return (
            queryset.filter(unit__parent=value)
            | queryset.filter(unit=value)
            | queryset.filter(unit__parent__parent=value)
        )
