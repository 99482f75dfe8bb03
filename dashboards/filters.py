"""Drill-down filters. The rows are plain data from the round report (a closed round's snapshot), so the
FilterSet is used for its form (validation, GOV.UK rendering, the URL holding the filter) and the
rows are filtered in Python by `matches()`."""

import django_filters

from dashboards.selectors import STATUS_RAG
from monitoring.models import ActionReturn
from performance.rag import Rag


class ActionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="Status", choices=ActionReturn.Status.choices, empty_label="Any status")
    rag = django_filters.ChoiceFilter(
        label="RAG", choices=[(r.value, r.label) for r in (Rag.GREEN, Rag.AMBER, Rag.RED)], empty_label="Any RAG"
    )
    officer = django_filters.CharFilter(label="Accountable officer contains")
    theme = django_filters.ChoiceFilter(label="Theme", empty_label="Any theme")

    def __init__(self, data=None, *, themes=(), **kwargs):
        super().__init__(data, queryset=ActionReturn.objects.none(), **kwargs)
        self.filters["theme"].extra["choices"] = [(name, name) for name in themes]

    def values(self) -> dict:
        if not self.is_bound or not self.form.is_valid():
            return {}
        return {key: value for key, value in self.form.cleaned_data.items() if value}

    @staticmethod
    def matches(values: dict, action: dict, priority_themes: list[str]) -> bool:
        if values.get("status") and action["status"] != values["status"]:
            return False
        if values.get("rag") and STATUS_RAG.get(action["status"], "") != values["rag"]:
            return False
        if values.get("officer") and values["officer"].lower() not in action["officer"].lower():
            return False
        return not (values.get("theme") and values["theme"] not in priority_themes)
