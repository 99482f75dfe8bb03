"""Reads for the plan pages, each in a fixed number of queries however large the plan."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from accounts.permissions import visible_plans
from plans.models import Plan, PlanEvent, PlanObjective, PlanSection, Priority, TemplateSection


@dataclass
class SectionView:
    section: TemplateSection
    body: str
    tables: list[str] = field(default_factory=list)


def plan_list(user):
    return visible_plans(user, Plan.objects.with_unit())


def plan_for_user(user, pk) -> Plan:
    """The plan, if the user may read it; 404 otherwise (not 403: the plan's existence is private)."""
    return get_object_or_404(plan_list(user), pk=pk)


def plan_document(user, pk) -> tuple[Plan, list[SectionView]]:
    """A plan with everything its page shows, and its sections in template order."""
    plans = (
        plan_list(user)
        .select_related("gross_expenditure_year", "staffing_establishment", "previous_version")
        .prefetch_related(
            Prefetch("template__sections", queryset=TemplateSection.objects.prefetch_related("tables")),
            Prefetch("sections", queryset=PlanSection.objects.all()),
            Prefetch("objective_links", queryset=PlanObjective.objects.select_related("objective")),
            Prefetch(
                "priorities",
                queryset=Priority.objects.prefetch_related(
                    "themes", "corporate_objectives", "actions", "milestones", "decisions"
                ),
            ),
            Prefetch("events", queryset=PlanEvent.objects.select_related("user")),
            "risks",
            "critical_functions",
            "support_needed",
        )
    )
    plan = get_object_or_404(plans, pk=pk)
    bodies = {section.template_section_id: section.body for section in plan.sections.all()}
    sections = [
        SectionView(
            section=section, body=bodies.get(section.pk, ""), tables=[table.kind for table in section.tables.all()]
        )
        for section in plan.template.sections.all()
    ]
    return plan, sections
