from django.contrib import admin

from dashboards.models import RollupRule


@admin.register(RollupRule)
class RollupRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "red_percent", "green_percent", "directorate_method"]
    list_select_related = ["directorate"]
