from django.contrib import admin

from common.models import FinancialYear


@admin.register(FinancialYear)
class FinancialYearAdmin(admin.ModelAdmin):
    list_display = ["label", "start_year"]
    search_fields = ["start_year"]
