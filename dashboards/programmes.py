"""A programme's progress, seen from the monitoring returns of the plan actions that deliver its projects.

A programme (such as the 2012 Adult Social Care Transformation Programme Blueprint) is a plan whose
template has a custom table ticked "rows are delivered by plan actions" (its projects). Editors of the
programme's plan link each project to the actions of business plans that deliver it
(`plans.TableRow.delivering_actions`). This page shows, for each project, those actions with their
latest monitoring status: the action's return in the latest round that holds one (latest year, then
year-end before mid-year, then the latest opened). A closed round's returns can no longer change, so
they are what its snapshot froze.

Only what the reader may see is shown: actions of plans they may read, and returns of rounds they
may see; a link to an action they may not see is counted, never shown.
"""

from dataclasses import dataclass, field

from django.db.models import F, Prefetch

from accounts.permissions import visible_plans
from dashboards.selectors import STATUS_RAG
from monitoring.models import ActionReturn, Round
from monitoring.selectors import visible_rounds
from performance.rag import Rag
from plans.custom_tables import row_cells
from plans.models import Action, Plan, TableRow, TemplateSectionTable

NO_RETURN = "No return yet"


@dataclass
class Delivery:
    """One action delivering a project, with its latest return (None if none yet)."""

    action: Action
    ret: ActionReturn | None

    @property
    def rag(self) -> str:
        if self.ret is None or self.ret.withdrawn:
            return Rag.NONE
        return STATUS_RAG.get(self.ret.status, Rag.NONE)

    @property
    def status_label(self) -> str:
        if self.ret is None:
            return NO_RETURN
        if self.ret.withdrawn:
            return self.ret.get_withdrawn_display()
        return self.ret.get_status_display()


@dataclass
class Project:
    row: TableRow
    cells: list  # (column, display text), from plans.custom_tables.row_cells
    deliveries: list[Delivery] = field(default_factory=list)
    hidden: int = 0  # linked actions of plans the reader may not see


@dataclass
class ProgrammeTable:
    table: TemplateSectionTable
    projects: list[Project] = field(default_factory=list)


def status_counts(deliveries) -> dict[str, int]:
    """How many delivering actions stand at each status, in the report's order, leaving out absent ones."""
    order = [*(label for _, label in ActionReturn.Status.choices), *ActionReturn.Withdrawn.labels, NO_RETURN]
    counts = dict.fromkeys(order, 0)
    for delivery in deliveries:
        counts[delivery.status_label] += 1
    return {label: count for label, count in counts.items() if count}


def latest_returns(user, action_ids) -> dict[int, ActionReturn]:
    """The latest return of each action in a round the user may see (one query, two the first time for a user)."""
    rounds = visible_rounds(user, Round.objects.all())
    returns = (
        ActionReturn.objects.filter(action_id__in=action_ids, round__in=rounds)
        .select_related("round")
        .order_by(
            "action_id",
            F("round__year__start_year").desc(),
            F("round__kind").desc(),  # year_end after mid_year
            F("round__opened_at").desc(),
            "-id",
        )
    )
    latest = {}
    for ret in returns:
        latest.setdefault(ret.action_id, ret)
    return latest


def _action_order(action: Action) -> tuple:
    priority = action.priority
    return (priority.plan.unit.code, priority.plan_id, priority.number, action.number, action.sub_number)


def programme_tables(user, plan: Plan) -> list[ProgrammeTable]:
    """The plan's delivered-by-actions tables with their projects and deliveries: six queries (seven the
    first time for a user), however many projects, actions and rounds."""
    tables = list(
        TemplateSectionTable.objects.filter(section__template_id=plan.template_id, delivered_by_actions=True)
        .select_related("section")
        .prefetch_related("columns")
        .order_by("section__order", "order", "id")
    )
    if not tables:
        return []
    readable = visible_plans(user, Plan.objects.all())
    actions = Action.objects.filter(priority__plan__in=readable).select_related(
        "priority__plan__unit", "priority__plan__year"
    )
    rows = (
        TableRow.objects.filter(plan=plan, table__in=tables)
        .order_by("table_id", "number")
        .prefetch_related(Prefetch("delivering_actions", queryset=actions, to_attr="visible_actions"))
    )
    rows = list(rows)
    links = TableRow.delivering_actions.through.objects.filter(tablerow__in=[row.pk for row in rows])
    linked = {}
    for row_id, _ in links.values_list("tablerow_id", "action_id"):
        linked[row_id] = linked.get(row_id, 0) + 1
    returns = latest_returns(user, {action.pk for row in rows for action in row.visible_actions})
    result = []
    for table in tables:
        columns = list(table.columns.all())
        entry = ProgrammeTable(table=table)
        for row in rows:
            if row.table_id != table.pk:
                continue
            visible = sorted(
                row.visible_actions,
                key=lambda a: (
                    a.priority.plan.unit.code,
                    a.priority.plan_id,
                    a.priority.number,
                    a.number,
                    a.sub_number,
                ),
            )
            entry.projects.append(
                Project(
                    row=row,
                    cells=row_cells(columns, row),
                    deliveries=[Delivery(action, returns.get(action.pk)) for action in visible],
                    hidden=linked.get(row.pk, 0) - len(visible),
                )
            )
        result.append(entry)
    return result
