"""Admin for keying section D: column sets with their columns, and each plan's budget lines,
categories, printed totals, staffing and activity levels, each with its rows inline."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from budgets.models import (
    ActivityLevel,
    BudgetCategory,
    BudgetLine,
    Column,
    ColumnSet,
    PrintedTotal,
    StaffingEstablishment,
    StaffingLine,
    TemplateColumnSet,
)

FIGURE_FIELDS = (
    "previous_controllable",
    "previous_fte",
    "fte",
    "employee_costs",
    "running_costs",
    "contracts",
    "transfer_payments",
    "external_income",
    "internal_income",
    "staffing",
    "non_staffing",
    "service_income",
    "government_grants",
)


class ColumnInline(admin.TabularInline):
    model = Column
    extra = 0


class TemplateColumnSetInline(admin.TabularInline):
    model = TemplateColumnSet
    extra = 0
    autocomplete_fields = ["template"]


@admin.register(ColumnSet)
class ColumnSetAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ColumnInline, TemplateColumnSetInline]


class BudgetLineInline(admin.StackedInline):
    model = BudgetLine
    extra = 0
    show_change_link = True
    fields = [("order", "kind", "code", "name"), ("cabinet_member", "responsible_manager")]


class PrintedSubtotalInline(admin.StackedInline):
    model = PrintedTotal
    extra = 0
    fk_name = "category"
    fields = [
        "plan",
        "kind",
        "label",
        ("gross", "controllable", "net_expenditure", "net_cost"),
        FIGURE_FIELDS,
        "source_note",
    ]


@admin.register(BudgetCategory)
class BudgetCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "plan", "order"]
    list_select_related = ["plan__unit", "plan__year"]
    list_filter = ["plan__year"]
    search_fields = ["name", "plan__unit__code", "plan__title"]
    autocomplete_fields = ["plan"]
    inlines = [BudgetLineInline, PrintedSubtotalInline]


@admin.register(BudgetLine)
class BudgetLineAdmin(SimpleHistoryAdmin):
    list_display = ["label", "plan", "category", "kind", "order"]
    list_select_related = ["plan__unit", "plan__year", "category"]
    list_filter = ["kind", "plan__year"]
    search_fields = ["code", "name", "plan__unit__code", "plan__title"]
    autocomplete_fields = ["plan", "category"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "plan",
                    "category",
                    ("order", "kind"),
                    ("code", "name"),
                    ("cabinet_member", "responsible_manager"),
                ]
            },
        ),
        ("Figures (£'000; FTE)", {"fields": FIGURE_FIELDS}),
        (
            "As printed (transcriptions only)",
            {
                "fields": ["printed_gross", "printed_controllable", "printed_net_expenditure", "printed_net_cost"],
                "description": "Derived figures are never typed: these keep what a printed plan prints, so that "
                "the plan page can report where the print disagrees with the arithmetic.",
            },
        ),
        (None, {"fields": ["source_note"]}),
    ]


@admin.register(PrintedTotal)
class PrintedTotalAdmin(SimpleHistoryAdmin):
    list_display = ["label", "plan", "kind"]
    list_select_related = ["plan__unit", "plan__year"]
    list_filter = ["kind"]
    search_fields = ["label", "plan__unit__code", "plan__title"]
    autocomplete_fields = ["plan", "category"]
    fields = [
        "plan",
        "kind",
        "category",
        "label",
        ("gross", "controllable", "net_expenditure", "net_cost"),
        FIGURE_FIELDS,
        "source_note",
    ]


class StaffingLineInline(admin.TabularInline):
    model = StaffingLine
    extra = 0


class ActivityLevelInline(admin.TabularInline):
    model = ActivityLevel
    extra = 0


@admin.register(StaffingLine)
class StaffingLineAdmin(SimpleHistoryAdmin):
    list_display = ["name", "plan", "kind", "previous_fte", "fte"]
    list_select_related = ["plan__unit", "plan__year"]
    search_fields = ["name", "plan__unit__code", "plan__title"]
    autocomplete_fields = ["plan"]


@admin.register(ActivityLevel)
class ActivityLevelAdmin(SimpleHistoryAdmin):
    list_display = ["description", "plan", "service_code", "clients"]
    list_select_related = ["plan__unit", "plan__year"]
    search_fields = ["description", "service_code", "plan__unit__code", "plan__title"]
    autocomplete_fields = ["plan"]


@admin.register(StaffingEstablishment)
class StaffingEstablishmentAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "fte_establishment", "establishment_at", "fte_estimate"]
    list_select_related = ["plan__unit", "plan__year"]
    search_fields = ["plan__unit__code", "plan__title"]
    autocomplete_fields = ["plan"]
