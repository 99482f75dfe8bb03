"""Reads for the plan pages, each in a fixed number of queries however large the plan."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.permissions import visible_plans
from common.cache import cached_many
from plans import check_rows, checks
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
    TableKind,
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
    """A plan with what its front page shows (its summary, workflow steps and previous version), if
    the user may read it. Two queries."""
    plans = plan_list(user).select_related(*_HEADING_RELATED).prefetch_related(_events())
    return get_object_or_404(plans, pk=pk)


def plan_contents(plan: Plan) -> list[TemplateSection]:
    """The plan's sections in order, for its front page's contents: one query."""
    return list(TemplateSection.objects.filter(template_id=plan.template_id).order_by("order", "id"))


def plan_document_unchecked(pk) -> tuple[Plan, list[SectionView]]:
    """A plan with everything its document shows, and its sections in template order, with no
    permission check: for background workers only, after the request checked it."""
    plans = Plan.objects.with_unit().select_related(*_HEADING_RELATED).prefetch_related(_events())
    plan = get_object_or_404(plans, pk=pk)
    return plan, prefetch_document(plan)


def plan_section_heading(user, pk) -> Plan:
    """A plan with what a section page's heading and tables read through foreign keys, if the user may
    read it (no workflow steps: only the plan's front page shows them). One query."""
    return get_object_or_404(plan_list(user).select_related(*_HEADING_RELATED), pk=pk)


def _ordered(lookup: str, *order, **filters) -> Prefetch:
    """Prefetch the rows at `lookup` from the plan, ordered by `order` alone: as their model's
    Meta.ordering orders them within their parent, without the leading parent, whose own ordering
    would join the plan's year and unit (or the indicator's unit and council) into the query only to
    sort rows that share one parent. Models of the apps above plans are reached through the relations
    rather than imported."""
    model = Plan
    for name in lookup.split("__"):
        model = model._meta.get_field(name).related_model
    return Prefetch(lookup, queryset=model.objects.filter(**filters).order_by(*order))


_PERIOD_FIGURES = ("targets", "actuals", "commentaries")


def _indicator_years(plan: Plan) -> list[Prefetch]:
    """The unit's indicators with their figures of the plan's year and the year before, which the
    template tag plan_indicators reads: the latest figure of the year, its rolling 12 months (which
    reach into the year before) and a target relative to the previous outturn. Six queries however
    many indicators."""
    years = "unit__indicators__years"
    return [
        _ordered("unit__indicators", "order", "reference", "id"),
        _ordered(years, "year_id", "id", year_id__in=(plan.year_id - 1, plan.year_id)),
        *(
            _ordered(f"{years}__{name}", "period_start", "period", "id")
            for name in ("targets", "actuals", "commentaries")
        ),
        _ordered(f"{years}__expected_ranges", "quarter", "id"),
    ]


def _kind_lookups(plan: Plan) -> dict[str, list]:
    """What each kind of table reads from the database, as prefetch lookups from the plan."""
    return {
        TableKind.CORPORATE_OBJECTIVES: [
            Prefetch("objective_links", queryset=PlanObjective.objects.select_related("objective"))
        ],
        TableKind.PRIORITIES: [
            Prefetch(
                "priorities",
                queryset=_by_number(Priority).prefetch_related("themes", "corporate_objectives", *_priority_rows()),
            )
        ],
        TableKind.RISKS: [Prefetch("risks", queryset=_by_number(Risk))],
        TableKind.CRITICAL_FUNCTIONS: [Prefetch("critical_functions", queryset=_by_number(CriticalFunction))],
        TableKind.SUPPORT_NEEDED: [Prefetch("support_needed", queryset=_by_number(SupportNeeded))],
        TableKind.INDICATORS: _indicator_years(plan),
        # The budgets app's tables, drawn by budgets/tables.py from these.
        TableKind.FINANCIAL_RESOURCES: [
            _ordered("template__budget_columns__column_set__columns", "order", "id"),
            _ordered("budget_categories", "order", "id"),
            _ordered("budget_lines", "order", "id"),
            _ordered("printed_budget_totals", "kind", "category__order", "id"),
            _ordered("staffing_lines", "order", "id"),
            _ordered("affordable_activity_levels", "order", "id"),
        ],
        TableKind.HUMAN_RESOURCES: [
            _ordered("printed_budget_totals", "kind", "category__order", "id"),
            _ordered("staffing_lines", "order", "id"),
        ],
        TableKind.CUSTOM: [Prefetch("table_rows", queryset=TableRow.objects.order_by("table_id", "number"))],
    }


def _lookup_key(lookup) -> str:
    return lookup.prefetch_to if isinstance(lookup, Prefetch) else lookup


def _template_sections(plan: Plan) -> list[TemplateSection]:
    """The plan's template sections in order, each with its tables: two queries (none once fetched)."""
    tables = Prefetch("tables", queryset=TemplateSectionTable.objects.order_by("order", "id"))  # see _ordered
    sections = TemplateSection.objects.order_by("order", "id").prefetch_related(tables)
    prefetch_related_objects([plan], Prefetch("template__sections", queryset=sections))
    return list(plan.template.sections.all())


def _section_views(plan: Plan, wanted: list[TemplateSection]) -> list[SectionView]:
    """Fetch what the wanted sections show onto the plan, and return their views: one query per table
    the sections' kinds of table read, however large the plan."""
    blocks = [table for section in wanted for table in section.tables.all()]
    by_kind = _kind_lookups(plan)
    lookups = {}  # by what they fetch: two kinds of table may read the same rows (budget and staffing)
    for kind in dict.fromkeys(table.kind for table in blocks):
        for lookup in by_kind[kind]:
            lookups.setdefault(_lookup_key(lookup), lookup)
    bodies = PlanSection.objects.filter(plan=plan, template_section__in=wanted).order_by()  # looked up by id
    prefetch_related_objects([plan], Prefetch("sections", queryset=bodies), *lookups.values())
    custom = [table for table in blocks if table.kind == TableKind.CUSTOM]
    prefetch_related_objects(custom, "columns")  # no query when the sections have no custom table
    rows_by_table = {}
    for row in plan.table_rows.all() if custom else ():
        rows_by_table.setdefault(row.table_id, []).append(row)
    for table in custom:
        table.plan_rows = rows_by_table.get(table.pk, [])
    bodies = {section.template_section_id: section.body for section in plan.sections.all()}
    return [
        SectionView(
            section=section,
            body=bodies.get(section.pk, ""),
            tables=[table.kind for table in section.tables.all()],
            blocks=list(section.tables.all()),
        )
        for section in wanted
    ]


def prefetch_document(plan: Plan) -> list[SectionView]:
    """Fetch everything the plan's sections show onto a plan fetched with _HEADING_RELATED (as
    plan_document_unchecked does), and return its sections in template order: a fixed number of queries however
    large the plan."""
    return _section_views(plan, _template_sections(plan))


@dataclass(frozen=True)
class SectionPlace:
    """One section among the plan's sections, for the section page's contents and its previous and
    next links."""

    view: SectionView
    sections: list[TemplateSection]

    @property
    def index(self) -> int:
        return next(i for i, section in enumerate(self.sections) if section.pk == self.view.section.pk)

    @property
    def previous(self) -> TemplateSection | None:
        return self.sections[self.index - 1] if self.index > 0 else None

    @property
    def next(self) -> TemplateSection | None:
        return self.sections[self.index + 1] if self.index + 1 < len(self.sections) else None


def prefetch_section(plan: Plan, code: str) -> SectionPlace:
    """One section of the plan, by its code, with what it shows fetched onto the plan; 404 when the
    plan's template has no such section. A fixed number of queries however large the plan: those of
    the section's own kinds of table only."""
    sections = _template_sections(plan)
    wanted = [section for section in sections if section.code == code]
    if not wanted:
        raise Http404("This plan has no such section.")
    return SectionPlace(view=_section_views(plan, wanted)[0], sections=sections)


def section_code_of_table(plan: Plan, kind: str) -> str:
    """The code of the plan's first section holding a table of this kind; 404 when none does."""
    code = (
        TemplateSectionTable.objects.filter(section__template_id=plan.template_id, kind=kind)
        .order_by("section__order", "section__id", "order", "id")
        .values_list("section__code", flat=True)
        .first()
    )
    if code is None:
        raise Http404("This plan has no such table.")
    return code


# --- Plan checks (plans/checks.py) ---------------------------------------------------------------


def prefetch_for_checks(plans) -> None:
    """Fetch what the checks read onto the given plans, as plain rows (plans/check_rows.py): at most six queries
    however many plans."""
    check_rows.fetch(plans)


def blocking_check_codes() -> frozenset[str]:
    return frozenset(PlanCheckPolicy.objects.filter(blocks_submission=True).values_list("code", flat=True))


def plan_check_results(plan: Plan) -> list[checks.CheckResult]:
    """Each registered check with its findings on the plan: at most seven queries."""
    prefetch_for_checks([plan])
    return checks.check_results(plan, blocking_check_codes())


def plan_findings(plan: Plan) -> list[checks.Finding]:
    """The plan's findings, those of blocking checks marked so: at most seven queries."""
    return [finding for result in plan_check_results(plan) for finding in result.findings]


def finding_counts(plans) -> dict[int, int]:
    """Number of findings per plan id, for a page of the plan list: at most six queries however many
    plans, and none for plans whose count is cached (common/cache.py)."""
    plans = {plan.pk: plan for plan in plans}

    def count(missing):
        with check_rows.fetched([plans[pk] for pk in missing]):
            return {pk: len(checks.run_checks(plans[pk])) for pk in missing}

    return cached_many("finding-count", list(plans), build=count)
