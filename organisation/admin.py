from django.contrib import admin

from organisation.models import Council, Unit


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name"]
    search_fields = ["name", "short_name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "first_year", "last_year", "council"]
    list_filter = ["council", "level", "first_year", "last_year"]
    search_fields = ["code", "name"]
    list_select_related = ["parent", "council", "first_year", "last_year"]
    autocomplete_fields = ["parent", "predecessors"]
