import django_filters
from django.db.models import Q

from organisation.models import Unit
from performance import selectors, status
from performance.models import Frequency, Indicator, IndicatorKind
from performance.rag import Polarity, Rag


class IndicatorFilter(django_filters.FilterSet):
    unit = django_filters.ModelChoiceFilter(queryset=Unit.objects.none(), empty_label="All units")
    frequency = django_filters.ChoiceFilter(choices=Frequency.choices, empty_label="Any frequency")
    rag = django_filters.ChoiceFilter(label="RAG", choices=Rag.choices, method="filter_rag", empty_label="Any RAG")
    polarity = django_filters.ChoiceFilter(choices=Polarity.choices, empty_label="Any polarity")
    kind = django_filters.ChoiceFilter(choices=IndicatorKind.choices, empty_label="Any kind")
    officer = django_filters.CharFilter(label="Accountable manager", method="filter_officer")

    class Meta:
        model = Indicator
        fields = ["unit", "frequency", "rag", "polarity", "kind", "officer"]

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, queryset=queryset, **kwargs)
        # Only the units of the indicators the user may see.
        self.filters["unit"].queryset = Unit.objects.filter(pk__in=queryset.values("unit_id")).order_by("name", "pk")

    def filter_officer(self, queryset, name, value):
        return queryset.filter(Q(accountable_manager__icontains=value) | Q(contributors__icontains=value))

    def filter_rag(self, queryset, name, value):
        """The RAG is worked out (performance/status.py), not stored: keep the indicators whose latest RAG matches."""
        indicators = list(queryset)
        figures = selectors.list_figures(indicators)
        ids = [i.pk for i in indicators if status.latest_summary(i, figures.get(i.pk, [])).rag == value]
        return queryset.filter(pk__in=ids)
