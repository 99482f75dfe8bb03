"""Admin for keying a whole plan on a few pages: the plan (header, sections, objectives, E and G
tables) on one page, and each priority (actions, milestones, decisions) on its own."""

from django.contrib import admin
from django.db.models import Case, Value, When
from django.urls import reverse
from django.utils.html import format_html

from plans.checks import CHECKS
from plans.models import (
    Action,
    CorporateObjective,
    CriticalFunction,
    Decision,
    Milestone,
    Plan,
    PlanCheckPolicy,
    PlanObjective,
    PlanSection,
    PlanTemplate,
    Priority,
    Risk,
    SupportNeeded,
    TableColumn,
    TableRow,
    TemplateSection,
    TemplateSectionTable,
    Theme,
)


class TemplateSectionInline(admin.TabularInline):
    model = TemplateSection
    extra = 0
    show_change_link = True


@admin.register(PlanTemplate)
class PlanTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TemplateSectionInline]


class TemplateSectionTableInline(admin.TabularInline):
    model = TemplateSectionTable
    fields = ["order", "kind", "slug", "title", "help_text"]
    extra = 0
    show_change_link = True


class TableColumnInline(admin.TabularInline):
    model = TableColumn
    fields = ["order", "key", "heading", "data_type", "required", "choices", "help_text"]
    extra = 0


@admin.register(TemplateSectionTable)
class TemplateSectionTableAdmin(admin.ModelAdmin):
    """A template's own tables: define the columns here; plans made from the template fill the rows."""

    list_display = ["__str__", "section", "kind", "order"]
    list_filter = ["kind", "section__template"]
    search_fields = ["title", "slug", "section__title"]
    list_select_related = ["section__template"]
    inlines = [TableColumnInline]


@admin.register(TableRow)
class TableRowAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "table", "number"]
    list_filter = ["table__section__template", "plan__year"]
    search_fields = ["plan__unit__code", "table__title"]
    list_select_related = ["plan__unit", "plan__year", "table"]
    autocomplete_fields = ["plan"]


@admin.register(TemplateSection)
class TemplateSectionAdmin(admin.ModelAdmin):
    list_display = ["template", "order", "code", "title"]
    list_filter = ["template"]
    search_fields = ["title", "code"]
    inlines = [TemplateSectionTableInline]


@admin.register(CorporateObjective)
class CorporateObjectiveAdmin(admin.ModelAdmin):
    list_display = ["framework", "number", "title", "council"]
    list_filter = ["council", "framework"]
    search_fields = ["title", "framework"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class PlanSectionInline(admin.StackedInline):
    model = PlanSection
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "template_section":
            kwargs["queryset"] = TemplateSection.objects.select_related("template")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PlanObjectiveInline(admin.TabularInline):
    model = PlanObjective
    extra = 0
    autocomplete_fields = ["objective"]


class PriorityInline(admin.TabularInline):
    model = Priority
    fields = ["number", "title", "description"]
    extra = 0
    show_change_link = True


class RiskInline(admin.StackedInline):
    model = Risk
    extra = 0
    fields = [("number", "owner"), "risk", "mitigation", "source_note"]


class CriticalFunctionInline(admin.StackedInline):
    model = CriticalFunction
    extra = 0
    fields = [("number", "name", "timescale"), "description", "minimum_service_level", "source_note"]


class SupportNeededInline(admin.TabularInline):
    model = SupportNeeded
    extra = 0
    fields = ["number", "activity", "impact", "expected", "source_note"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["unit_code", "year", "title", "version_label", "status", "updated_at"]
    list_filter = ["year", "status", "unit__level", "unit__parent", "template"]
    search_fields = ["title", "version_label", "unit__code", "unit__name", "director", "heads_of_service"]
    list_select_related = ["unit", "year"]
    autocomplete_fields = ["unit", "previous_version"]
    date_hierarchy = "version_date"
    readonly_fields = ["created_at", "updated_at", "view_on_site_link"]
    fieldsets = [
        (None, {"fields": ["unit", "year", "template", "title", ("version_label", "version_date"), "status"]}),
        (
            "Header facts",
            {
                "fields": [
                    "cabinet_portfolio",
                    ("corporate_director", "director"),
                    "heads_of_service",
                    ("gross_expenditure", "gross_expenditure_year"),
                    ("fte", "fte_at"),
                ]
            },
        ),
        ("Provenance", {"fields": ["previous_version", "source", "source_note", ("created_at", "updated_at")]}),
        (None, {"fields": ["view_on_site_link"]}),
    ]
    inlines = [
        PlanSectionInline,
        PlanObjectiveInline,
        PriorityInline,
        RiskInline,
        CriticalFunctionInline,
        SupportNeededInline,
    ]

    @admin.display(description="Unit", ordering="unit__code")
    def unit_code(self, plan):
        return plan.unit.code

    @admin.display(description="Plan page")
    def view_on_site_link(self, plan):
        if not plan.pk:
            return "-"
        return format_html('<a href="{}">Open the plan page</a>', reverse("plans:detail", args=[plan.pk]))


class ActionInline(admin.TabularInline):
    model = Action
    extra = 0
    fields = ["number", "sub_number", "text", "officer", "start", "end", "source_note"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["letter", "text", "due", "source_note"]


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    fields = ["number", "text", "in_forward_plan", "source_note"]


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan"]
    list_filter = ["plan__year", "plan__unit", "themes"]
    search_fields = ["title", "description", "plan__unit__code"]
    list_select_related = ["plan__unit", "plan__year"]
    autocomplete_fields = ["plan", "corporate_objectives"]
    filter_horizontal = ["themes"]
    inlines = [ActionInline, MilestoneInline, DecisionInline]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["label", "text", "officer", "start", "end", "priority"]
    list_filter = ["priority__plan__year", "priority__plan__unit"]
    search_fields = ["text", "officer"]
    list_select_related = ["priority__plan__unit", "priority__plan__year"]
    autocomplete_fields = ["priority"]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["letter", "text", "due", "priority"]
    list_filter = ["priority__plan__year", "priority__plan__unit"]
    search_fields = ["text"]
    list_select_related = ["priority__plan__unit", "priority__plan__year"]
    autocomplete_fields = ["priority"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["number", "text", "in_forward_plan", "priority"]
    list_filter = ["in_forward_plan", "priority__plan__year", "priority__plan__unit"]
    search_fields = ["text"]
    list_select_related = ["priority__plan__unit", "priority__plan__year"]
    autocomplete_fields = ["priority"]


@admin.register(Risk)
class RiskAdmin(admin.ModelAdmin):
    list_display = ["number", "risk", "plan"]
    list_filter = ["plan__year", "plan__unit"]
    search_fields = ["risk", "mitigation", "owner"]
    list_select_related = ["plan__unit", "plan__year"]
    autocomplete_fields = ["plan"]


@admin.register(CriticalFunction)
class CriticalFunctionAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "timescale", "plan"]
    list_filter = ["timescale", "plan__year", "plan__unit"]
    search_fields = ["name", "description", "minimum_service_level"]
    list_select_related = ["plan__unit", "plan__year"]
    autocomplete_fields = ["plan"]


@admin.register(SupportNeeded)
class SupportNeededAdmin(admin.ModelAdmin):
    list_display = ["number", "activity", "impact", "expected", "plan"]
    list_filter = ["impact", "plan__year", "plan__unit"]
    search_fields = ["activity", "impact"]
    list_select_related = ["plan__unit", "plan__year"]
    autocomplete_fields = ["plan"]


@admin.register(PlanCheckPolicy)
class PlanCheckPolicyAdmin(admin.ModelAdmin):
    """Which plan checks stop a plan being submitted: tick the boxes in the list and save."""

    list_display = ["check_title", "check_description", "blocks_submission"]
    list_editable = ["blocks_submission"]
    # In the order of the registry in plans/checks.py, as on the checks page.
    ordering = [Case(*[When(code=code, then=Value(i)) for i, code in enumerate(CHECKS)], default=Value(len(CHECKS)))]
    fields = ["code", "check_description", "blocks_submission"]
    readonly_fields = ["check_description"]

    @admin.display(description="Check", ordering="code")
    def check_title(self, policy):
        return policy.get_code_display()

    @admin.display(description="What it looks for")
    def check_description(self, policy):
        return policy.description or "-"
