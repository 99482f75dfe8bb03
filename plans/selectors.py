"""Reads for the plan pages, each in a fixed number of queries however large the plan."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404

from accounts.permissions import visible_plans
from common.cache import cached_many
from organisation.models import Unit
from plans import checks
from plans.models import (
    Action,
    CriticalFunction,
    Decision,
    Milestone,
    Plan,
    PlanCheckPolicy,
    PlanEvent,
    PlanObjective,
    PlanSection,
    Priority,
    Risk,
    SupportNeeded,
    TableRow,
    TemplateSection,
    TemplateSectionTable,
)


@dataclass
class SectionView:
    section: TemplateSection
    body: str
    tables: list[str] = field(default_factory=list)  # the kinds, in order
    blocks: list = field(default_factory=list)  # the TemplateSectionTables, custom ones with .plan_rows


def _by_number(model):
    """The rows of one plan or priority in their printed order. The models' Meta.ordering starts with
    their plan or priority, whose own ordering joins the plan's year and unit (and the priority's plan)
    into every query only to sort rows that share it: ordering by the number alone is the same order."""
    return model.objects.order_by("number", "id")


def _priority_rows() -> list[Prefetch]:
    """A priority's actions, milestones and decisions, in order (see _by_number)."""
    return [
        Prefetch("actions", queryset=Action.objects.order_by("number", "sub_number", "id")),
        Prefetch("milestones", queryset=Milestone.objects.order_by("letter", "id")),
        Prefetch("decisions", queryset=_by_number(Decision)),
    ]


def plan_list(user):
    return visible_plans(user, Plan.objects.with_unit())


def plan_for_user(user, pk) -> Plan:
    """The plan, if the user may read it; 404 otherwise (not 403: the plan's existence is private)."""
    return get_object_or_404(plan_list(user), pk=pk)


# What the top of a plan's page and its document read through foreign keys, joined in one query.
_HEADING_RELATED = (
    "previous_version",
    "gross_expenditure_year",
    "staffing_establishment",
    "template__budget_columns__column_set",  # section D's column set (budgets app)
)


def _events() -> Prefetch:
    return Prefetch("events", queryset=PlanEvent.objects.select_related("user").order_by("at", "id"))


def plan_heading(user, pk) -> Plan:
    """A plan with what the top of its page shows (its workflow steps, its previous version), if the
    user may read it; its body comes from plans/pages.py, which fetches the rest onto this same
    instance (prefetch_document). Two queries."""
    plans = plan_list(user).select_related(*_HEADING_RELATED).prefetch_related(_events())
    return get_object_or_404(plans, pk=pk)


def plan_document_unchecked(pk) -> tuple[Plan, list[SectionView]]:
    """A plan with everything its document shows, and its sections in template order, with no
    permission check: for background workers only, after the request checked it."""
    return _plan_document(Plan.objects.with_unit(), pk)


def _plan_document(plans, pk) -> tuple[Plan, list[SectionView]]:
    plan = get_object_or_404(plans.select_related(*_HEADING_RELATED).prefetch_related(_events()), pk=pk)
    return plan, prefetch_document(plan)


def prefetch_document(plan: Plan) -> list[SectionView]:
    """Fetch everything the plan's sections show onto a plan fetched with _HEADING_RELATED (as
    plan_heading does), and return its sections in template order: a fixed number of queries however
    large the plan."""
    prefetch_related_objects(
        [plan],
        Prefetch(
            "template__sections",
            queryset=TemplateSection.objects.prefetch_related(
                Prefetch("tables", queryset=TemplateSectionTable.objects.prefetch_related("columns"))
            ),
        ),
        Prefetch("table_rows", queryset=TableRow.objects.order_by("table_id", "number")),
        Prefetch("sections", queryset=PlanSection.objects.all()),
        Prefetch("objective_links", queryset=PlanObjective.objects.select_related("objective")),
        Prefetch(
            "priorities",
            queryset=_by_number(Priority).prefetch_related("themes", "corporate_objectives", *_priority_rows()),
        ),
        Prefetch("risks", queryset=_by_number(Risk)),
        Prefetch("critical_functions", queryset=_by_number(CriticalFunction)),
        Prefetch("support_needed", queryset=_by_number(SupportNeeded)),
        # Section F: the unit's indicators with every figure (the performance app's related names;
        # the template tag plan_indicators picks the plan's year), five queries however many.
        *(f"unit__indicators__years__{name}" for name in ("targets", "actuals", "expected_ranges", "commentaries")),
        # Section D: the budgets app's tables, drawn by budgets/tables.py from these; six queries however many.
        "template__budget_columns__column_set__columns",
        "budget_categories",
        "budget_lines",
        "printed_budget_totals",
        "staffing_lines",
        "affordable_activity_levels",
    )
    bodies = {section.template_section_id: section.body for section in plan.sections.all()}
    rows_by_table = {}
    for row in plan.table_rows.all():
        rows_by_table.setdefault(row.table_id, []).append(row)
    sections = []
    for section in plan.template.sections.all():
        blocks = list(section.tables.all())
        for table in blocks:
            table.plan_rows = rows_by_table.get(table.pk, [])
        sections.append(
            SectionView(
                section=section, body=bodies.get(section.pk, ""), tables=[t.kind for t in blocks], blocks=blocks
            )
        )
    return sections


# --- Plan checks (plans/checks.py) ---------------------------------------------------------------


def prefetch_for_checks(plans) -> None:
    """Fetch what the checks read onto the given plans: at most eight queries however many plans."""
    plans = list(plans)
    # indicator_no_target reads the unit's indicators with the figures of the plans' own years only: all
    # their years would be thousands of rows on a page of the plan list. The performance app sits above
    # plans, so its model is reached through the relation rather than imported.
    # Whether a year has targets is all the check needs: an EXISTS rather than every monthly target.
    indicator_year = Unit.indicators.rel.related_model.years.rel.related_model
    targets = indicator_year.targets.rel.related_model.objects.filter(indicator_year=OuterRef("pk"))
    years = indicator_year.objects.filter(year_id__in={plan.year_id for plan in plans})
    years = years.annotate(has_targets=Exists(targets))
    prefetch_related_objects(
        plans,
        Prefetch("priorities", queryset=_by_number(Priority).prefetch_related(*_priority_rows())),
        Prefetch("unit__indicators__years", queryset=years),
    )


def blocking_check_codes() -> frozenset[str]:
    return frozenset(PlanCheckPolicy.objects.filter(blocks_submission=True).values_list("code", flat=True))


def plan_check_results(plan: Plan) -> list[checks.CheckResult]:
    """Each registered check with its findings on the plan: at most nine queries."""
    prefetch_for_checks([plan])
    return checks.check_results(plan, blocking_check_codes())


def plan_findings(plan: Plan) -> list[checks.Finding]:
    """The plan's findings, those of blocking checks marked so: at most nine queries."""
    return [finding for result in plan_check_results(plan) for finding in result.findings]


def finding_counts(plans) -> dict[int, int]:
    """Number of findings per plan id, for a page of the plan list: at most eight queries however many
    plans, and none for plans whose count is cached (common/cache.py)."""
    plans = {plan.pk: plan for plan in plans}

    def count(missing):
        prefetch_for_checks(plans[pk] for pk in missing)
        return {pk: len(checks.run_checks(plans[pk])) for pk in missing}

    return cached_many("finding-count", list(plans), build=count)
