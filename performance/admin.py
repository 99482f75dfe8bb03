from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from performance import services
from performance.models import (
    Actual,
    BandCount,
    Commentary,
    Comparator,
    ExpectedRange,
    Indicator,
    IndicatorYear,
    Target,
)
from performance.rag import Rag


class IndicatorYearInline(admin.TabularInline):
    model = IndicatorYear
    extra = 0
    fields = ["year", "floor", "previous_outturn", "benchmark", "target_note", "relative_target_percent"]
    show_change_link = True


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "unit", "kind", "frequency", "polarity", "accountable_manager"]
    list_filter = ["kind", "frequency", "polarity", "year_basis", "unit"]
    search_fields = ["reference", "title", "accountable_manager", "contributors"]
    autocomplete_fields = ["owner"]
    raw_id_fields = ["priority"]
    inlines = [IndicatorYearInline]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


class ActualInline(admin.TabularInline):
    model = Actual
    extra = 0
    exclude = ["entered_by"]


class CommentaryInline(admin.StackedInline):
    model = Commentary
    extra = 0
    exclude = ["author"]


class ExpectedRangeInline(admin.TabularInline):
    model = ExpectedRange
    extra = 0


class ComparatorInline(admin.TabularInline):
    model = Comparator
    extra = 0


@admin.register(IndicatorYear)
class IndicatorYearAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "year", "floor", "previous_outturn", "target_note"]
    list_filter = ["year", "indicator__unit"]
    search_fields = ["indicator__reference", "indicator__title"]
    raw_id_fields = ["indicator"]
    inlines = [TargetInline, ActualInline, CommentaryInline, ExpectedRangeInline, ComparatorInline]

    def save_formset(self, request, form, formset, change):
        """Actuals and targets keyed in here email an indicator's owner too when a figure turns red."""
        if formset.model not in (Actual, Target):
            return super().save_formset(request, form, formset, change)
        indicator_year = form.instance
        periods = {f.instance.period_obj for f in formset.forms if f.has_changed() and f.instance.period_start}
        before = {p: services.rags_of([indicator_year.indicator_id], p)[indicator_year.indicator_id] for p in periods}
        result = super().save_formset(request, form, formset, change)
        for period in periods:
            after = services.rags_of([indicator_year.indicator_id], period)[indicator_year.indicator_id]
            if before[period] != Rag.RED and after == Rag.RED:
                services.notify_turned_red(indicator_year.indicator, period)
        return result


@admin.register(Actual)
class ActualAdmin(SimpleHistoryAdmin):
    list_display = ["indicator_year", "period", "period_start", "value", "entered_by", "entered_at"]
    list_filter = ["period", "indicator_year__year"]
    raw_id_fields = ["indicator_year"]
    readonly_fields = ["entered_by", "entered_at"]

    def save_model(self, request, obj, form, change):
        indicator_id = obj.indicator_year.indicator_id
        period = obj.period_obj
        before = services.rags_of([indicator_id], period)[indicator_id]
        obj.entered_by = request.user
        super().save_model(request, obj, form, change)
        if before != Rag.RED and services.rags_of([indicator_id], period)[indicator_id] == Rag.RED:
            services.notify_turned_red(obj.indicator_year.indicator, period)


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["indicator_year", "period", "period_start", "value"]
    raw_id_fields = ["indicator_year"]


@admin.register(Commentary)
class CommentaryAdmin(SimpleHistoryAdmin):
    list_display = ["indicator_year", "period", "period_start", "forecast_rag", "author", "updated_at"]
    raw_id_fields = ["indicator_year"]
    readonly_fields = ["author", "updated_at"]

    def save_model(self, request, obj, form, change):
        obj.author = request.user
        super().save_model(request, obj, form, change)


@admin.register(ExpectedRange)
class ExpectedRangeAdmin(SimpleHistoryAdmin):
    list_display = ["indicator_year", "quarter", "lower", "upper"]
    raw_id_fields = ["indicator_year"]


@admin.register(Comparator)
class ComparatorAdmin(SimpleHistoryAdmin):
    list_display = ["indicator_year", "council", "value", "is_own_council"]
    raw_id_fields = ["indicator_year"]


@admin.register(BandCount)
class BandCountAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "year", "band", "count"]
    list_filter = ["year", "unit"]
