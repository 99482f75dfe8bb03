from django.contrib import admin

from budgets.models import StaffingEstablishment


@admin.register(StaffingEstablishment)
class StaffingEstablishmentAdmin(admin.ModelAdmin):
    list_display = ["plan", "fte_establishment", "establishment_at", "fte_estimate"]
    list_select_related = ["plan__unit", "plan__year"]
    search_fields = ["plan__unit__code", "plan__title"]
    autocomplete_fields = ["plan"]
