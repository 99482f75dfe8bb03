"""Admin for the printed committee report of a round (its cover facts, prose and chapters)."""

from django.contrib import admin

from monitoring.models import CommitteeReport, CommitteeReportChapter


class CommitteeReportChapterInline(admin.TabularInline):
    model = CommitteeReportChapter
    extra = 0


@admin.register(CommitteeReport)
class CommitteeReportAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "date", "round"]
    list_select_related = ["round", "round__directorate"]
    inlines = [CommitteeReportChapterInline]
