"""Reads for the monitoring pages, each in a fixed number of queries however many plans and actions.

Which plans a round covers: for each unit of the round's directorate (the directorate itself, its
divisions and their service units), the plan **in force** in the round's year, that is its latest
*published* version (latest version date, then the latest created). While the round is open this
is worked out afresh on every read, so a plan published after the round opened joins it; when the
round closes, the plans covered are written into the snapshot with everything else, and never
change after.

`round_report()` builds the whole of what the round's pages show as plain data (strings, numbers,
lists and dicts): the open round's pages render it live, and closing the round stores it as the
snapshot, so a closed round shows exactly what it showed the day it closed.
"""

from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.permissions import directorates_reached
from common.cache import cached
from common.years import format_month
from monitoring.models import ActionReturn, DecisionChange, MilestoneReturn, PriorityReturn, Round
from organisation.models import Unit
from performance.kpi import kpi_dashboard
from plans.models import Action, Milestone, Plan, Priority

SNAPSHOT_FORMAT = 1


def _in_directorate(directorate_id, prefix="") -> Q:
    return (
        Q(**{f"{prefix}pk": directorate_id})
        | Q(**{f"{prefix}parent_id": directorate_id})
        | Q(**{f"{prefix}parent__parent_id": directorate_id})
    )


def covered_plans(round_: Round) -> list[Plan]:
    """The plan in force of each unit of the round's directorate in its year (one query)."""
    plans = (
        Plan.objects.filter(_in_directorate(round_.directorate_id, "unit__"), year_id=round_.year_id)
        .filter(status=Plan.Status.PUBLISHED)
        # A published version replaced by a published newer one is no longer in force, whatever its date.
        .exclude(next_versions__status=Plan.Status.PUBLISHED)
        .select_related("unit__parent__parent", "year")
        .order_by("unit_id", F("version_date").desc(nulls_last=True), "-id")
    )
    latest = {}
    for plan in plans:
        latest.setdefault(plan.unit_id, plan)
    return list(latest.values())


def round_units(round_: Round, plans: list[Plan]) -> list[tuple[Unit, Plan | None]]:
    """Every division of the directorate in the round's year, and any other unit with a plan in force,
    in dashboard order: the directorate's own plan, then each division followed by its service units."""
    by_unit = {plan.unit_id: plan for plan in plans}
    units = {plan.unit_id: plan.unit for plan in plans}
    divisions = Unit.objects.in_year(round_.year_id).filter(parent_id=round_.directorate_id, level=Unit.Level.DIVISION)
    for unit in divisions:
        units.setdefault(unit.pk, unit)

    def key(unit):
        # The council's order of its divisions (Unit.position), each followed by its service units.
        if unit.level == Unit.Level.DIRECTORATE:
            return ((-1, ""), 0, (0, unit.code))
        if unit.level == Unit.Level.DIVISION:
            return ((unit.position, unit.code), 1, (0, ""))
        return ((unit.parent.position, unit.parent.code), 2, (unit.position, unit.code))

    return [(unit, by_unit.get(unit.pk)) for unit in sorted(units.values(), key=key)]


@dataclass
class PlanReturns:
    """The priorities (with actions and milestones) of some plans, and the round's returns on them, as
    model instances: for the return pages, imports and reminders, which save or check them. The round's
    report reads ReportRows."""

    priorities: dict[int, list[Priority]] = field(default_factory=dict)  # by plan id
    actions: dict[int, ActionReturn] = field(default_factory=dict)  # by action id
    milestones: dict[int, MilestoneReturn] = field(default_factory=dict)  # by milestone id
    priority_returns: dict[int, PriorityReturn] = field(default_factory=dict)  # by priority id
    decision_changes: dict[int, DecisionChange] = field(default_factory=dict)  # by plan id


def plan_returns(round_: Round, plan_ids) -> PlanReturns:
    """Seven queries, whatever the number of plans, priorities and actions."""
    priorities = Priority.objects.filter(plan_id__in=plan_ids).prefetch_related(
        Prefetch("actions", queryset=Action.objects.order_by("number", "sub_number", "id")),
        Prefetch("milestones", queryset=Milestone.objects.order_by("letter", "id")),
    )
    result = PlanReturns()
    for priority in priorities.order_by("plan_id", "number", "id"):
        result.priorities.setdefault(priority.plan_id, []).append(priority)

    def rows(model, **lookup):
        # Unordered: they are looked up by id. Their Meta.ordering (the round's year and directorate, the
        # action's priority) would join four or five tables into each query only to sort them.
        return model.objects.filter(round=round_, **lookup).select_related("entered_by").order_by()

    result.actions = {
        r.action_id: r
        for r in rows(ActionReturn, action__priority__plan_id__in=plan_ids).select_related("merged_into__priority")
    }
    result.milestones = {r.milestone_id: r for r in rows(MilestoneReturn, milestone__priority__plan_id__in=plan_ids)}
    result.priority_returns = {r.priority_id: r for r in rows(PriorityReturn, priority__plan_id__in=plan_ids)}
    result.decision_changes = {r.plan_id: r for r in rows(DecisionChange, plan_id__in=plan_ids)}
    return result


def user_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def when(moment) -> str:
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y, %H:%M}"


@dataclass
class ReportRows:
    """What the round's report reads of some plans, as plain rows (dicts) rather than model instances,
    which took twice as long to build for a directorate's report (docs/benchmarks.md). The return
    pages read PlanReturns, whose instances their forms save."""

    priorities: dict[int, list[dict]] = field(default_factory=dict)  # by plan id, with "actions", "milestones"
    actions: dict[int, dict] = field(default_factory=dict)  # returns, by action id
    milestones: dict[int, dict] = field(default_factory=dict)  # returns, by milestone id
    priority_returns: dict[int, dict] = field(default_factory=dict)  # by priority id
    decision_changes: dict[int, str] = field(default_factory=dict)  # the text, by plan id


_ENTERED = ("entered_by_id", "entered_by__first_name", "entered_by__last_name", "entered_by__username", "entered_at")


def report_rows(round_: Round, plan_ids) -> ReportRows:
    """Seven queries, whatever the number of plans, priorities and actions."""
    result = ReportRows()
    priorities = {}
    rows = Priority.objects.filter(plan_id__in=plan_ids).order_by("plan_id", "number", "id")
    for row in rows.values("id", "plan_id", "number", "title"):
        priorities[row["id"]] = {**row, "actions": [], "milestones": []}
        result.priorities.setdefault(row["plan_id"], []).append(priorities[row["id"]])
    actions = Action.objects.filter(priority__plan_id__in=plan_ids).order_by("number", "sub_number", "id")
    for row in actions.values("id", "priority_id", "number", "sub_number", "text", "officer", "start", "end"):
        priorities[row["priority_id"]]["actions"].append(row)
    milestones = Milestone.objects.filter(priority__plan_id__in=plan_ids).order_by("letter", "id")
    for row in milestones.values("id", "priority_id", "letter", "text", "due"):
        priorities[row["priority_id"]]["milestones"].append(row)

    def returns(model, key, *fields, **lookup) -> dict[int, dict]:
        rows = model.objects.filter(round=round_, **lookup).order_by()  # unordered: looked up by id
        return {row[key]: row for row in rows.values(key, *fields)}

    merged = ("merged_into_id", "merged_into__number", "merged_into__sub_number", "merged_into__priority__number")
    action_fields = ("status", "commentary", "withdrawn", "withdrawn_note", "source_note", "late", *merged, *_ENTERED)
    result.actions = returns(ActionReturn, "action_id", *action_fields, action__priority__plan_id__in=plan_ids)
    in_plans = {"milestone__priority__plan_id__in": plan_ids}
    result.milestones = returns(MilestoneReturn, "milestone_id", "status", "commentary", **in_plans)
    texts = ("key_achievements", "key_issues", "source_note")
    result.priority_returns = returns(PriorityReturn, "priority_id", *texts, priority__plan_id__in=plan_ids)
    changes = returns(DecisionChange, "plan_id", "text", plan_id__in=plan_ids)
    result.decision_changes = {plan_id: row["text"] for plan_id, row in changes.items()}
    return result


def _entered_by(row: dict) -> str:
    """user_name() of a return read as values: the user's full name (User.get_full_name), or username."""
    if row["entered_by_id"] is None:
        return ""
    return f"{row['entered_by__first_name']} {row['entered_by__last_name']}".strip() or row["entered_by__username"]


# As get_status_display() and the like: the label of a value, the value itself if it has none.
_ACTION_STATUS = dict(ActionReturn.Status.choices)
_WITHDRAWN = dict(ActionReturn.Withdrawn.choices)
_MILESTONE_STATUS = dict(MilestoneReturn.Status.choices)


def _action_data(action: dict, ret: dict | None) -> dict:
    data = {
        "id": action["id"],
        "label": Action.label_of(action["number"], action["sub_number"]),
        "headline": Action.headline_sub_number(action["sub_number"]),
        "text": action["text"],
        "officer": action["officer"],
        "start": format_month(action["start"]),
        "end": format_month(action["end"]),
        "returned": ret is not None,
        "status": "",
        "status_label": "",
        "commentary": "",
        "withdrawn": "",
        "withdrawn_label": "",
        "withdrawn_note": "",
        "merged_into": "",
        "merged_into_priority": None,
        "source_note": "",
        "late": False,
        "entered_by": "",
        "entered_at": "",
    }
    if ret is not None:
        merged = ret["merged_into_id"] is not None
        data.update(
            status=ret["status"],
            status_label=_ACTION_STATUS.get(ret["status"], ret["status"]) if ret["status"] else "",
            commentary=ret["commentary"],
            withdrawn=ret["withdrawn"],
            withdrawn_label=_WITHDRAWN.get(ret["withdrawn"], ret["withdrawn"]) if ret["withdrawn"] else "",
            withdrawn_note=ret["withdrawn_note"],
            merged_into=Action.label_of(ret["merged_into__number"], ret["merged_into__sub_number"]) if merged else "",
            merged_into_priority=ret["merged_into__priority__number"] if merged else None,
            source_note=ret["source_note"],
            late=ret["late"],
            entered_by=_entered_by(ret),
            entered_at=when(ret["entered_at"]),
        )
    return data


def footnote(action: dict, priority: int) -> str:
    """The dashboard's note on an action taken out of the round, naming its priority ("action 4" alone is
    ambiguous in a division, and "5.4" would read as a sub-action)."""
    if action["withdrawn"] == ActionReturn.Withdrawn.MERGED:
        target = action.get("merged_into_priority")
        into = f"priority {target}, action {action['merged_into']}" if target else f"action {action['merged_into']}"
        text = f"Priority {priority}, action {action['label']} was merged into {into}."
    else:
        text = f"Priority {priority}, action {action['label']} was withdrawn."
    note = action["withdrawn_note"].strip()
    return f"{text} {note}" if note else text


COUNTS = [
    "priorities",
    "actions",
    "returned",
    "missing",
    "late",
    "withdrawn",
    "headline_actions",
    "completed",
    "on_course",
    "delayed_or_cancelled",
    "milestones",
    "milestones_returned",
]


def unit_report(unit: Unit, plan: Plan | None, rows: ReportRows) -> dict:
    counts = dict.fromkeys(COUNTS, 0)
    data = {
        "unit_id": unit.pk,
        "unit_code": unit.code,
        "unit_name": unit.name,
        "level": unit.get_level_display(),
        "plan": None,
        "counts": counts,
        "priorities": [],
        "footnotes": [],
        "decision_changes": "",
    }
    if plan is None:
        return data
    data["plan"] = {"id": plan.pk, "title": plan.title, "version_label": plan.version_label}
    data["decision_changes"] = rows.decision_changes.get(plan.pk, "")
    for priority in rows.priorities.get(plan.pk, []):
        priority_return = rows.priority_returns.get(priority["id"], {})
        actions = [_action_data(action, rows.actions.get(action["id"])) for action in priority["actions"]]
        milestones = []
        for milestone in priority["milestones"]:
            ret = rows.milestones.get(milestone["id"])
            milestones.append(
                {
                    "id": milestone["id"],
                    "letter": milestone["letter"],
                    "text": milestone["text"],
                    "due": format_month(milestone["due"]),
                    "returned": ret is not None,
                    "status": ret["status"] if ret else "",
                    "status_label": _MILESTONE_STATUS.get(ret["status"], ret["status"]) if ret else "",
                    "commentary": ret["commentary"] if ret else "",
                }
            )
        data["priorities"].append(
            {
                "id": priority["id"],
                "number": priority["number"],
                "title": priority["title"],
                "key_achievements": priority_return.get("key_achievements", ""),
                "key_issues": priority_return.get("key_issues", ""),
                "source_note": priority_return.get("source_note", ""),
                "actions": actions,
                "milestones": milestones,
            }
        )
        counts["priorities"] += 1
        counts["milestones"] += len(milestones)
        counts["milestones_returned"] += sum(m["returned"] for m in milestones)
        for action in actions:
            counts["actions"] += 1
            counts["returned"] += action["returned"]
            counts["late"] += action["late"]
            if action["withdrawn"]:
                counts["withdrawn"] += 1
                data["footnotes"].append(footnote(action, priority["number"]))
                continue
            if action["headline"]:
                # The directorate dashboard counts headline actions, as the FSC report does.
                counts["headline_actions"] += 1
                if action["status"] == ActionReturn.Status.COMPLETED:
                    counts["completed"] += 1
                elif action["status"] == ActionReturn.Status.ON_COURSE:
                    counts["on_course"] += 1
                elif action["status"] in (ActionReturn.Status.DELAYED, ActionReturn.Status.CANCELLED):
                    counts["delayed_or_cancelled"] += 1
    counts["missing"] = counts["actions"] - counts["returned"]
    return data


def round_report(round_: Round) -> dict:
    """Everything the round's pages show, as plain data: for a closed round, its snapshot; for an open
    one, worked out from the returns, and cached until anything changes (common/cache.py), so that a
    committee reading the dashboards at once works it out once."""
    if not round_.is_open and round_.snapshot is not None:
        return round_.snapshot
    return cached("round-report", round_.pk, build=lambda: build_round_report(round_))


def round_report_for_print(round_: Round) -> dict:
    """round_report(), never from the cache: for documents, which a worker process builds. A worker
    whose cache is its own memory (make run) would otherwise print what it cached earlier."""
    if not round_.is_open and round_.snapshot is not None:
        return round_.snapshot
    return build_round_report(round_)


def frozen_kpi_html(round_: Round) -> str:
    """The directorate's KPI dashboard for the round's year as the committee report prints it, drawn
    now: closing a round keeps it in the snapshot (as "kpi_html"), so the report of a closed round
    shows the indicator figures of the day it closed, as it does the returns."""
    dashboard = kpi_dashboard(round_.directorate, year=round_.year.start_year, chart_prefix="report")
    return render_to_string("performance/includes/kpi_dashboard.html", {"dashboard": dashboard, "heading_level": 3})


def build_round_report(round_: Round) -> dict:
    """An open round's report worked out now, from the database (never from the cache: closing a round
    freezes this)."""
    plans = covered_plans(round_)
    rows = report_rows(round_, [plan.pk for plan in plans])
    units = [unit_report(unit, plan, rows) for unit, plan in round_units(round_, plans)]
    totals = dict.fromkeys(COUNTS, 0)
    for unit in units:
        for name in COUNTS:
            totals[name] += unit["counts"][name]
    return {
        "format": SNAPSHOT_FORMAT,
        "round": {"name": round_.name, "deadline": round_.deadline.isoformat(), "directorate": round_.directorate.code},
        "as_of": when(timezone.now()),
        "units": units,
        "totals": totals,
    }


def visible_rounds(user, rounds):
    """The rounds of the queryset the user may see: the queryset form of monitoring.view_round."""
    if not user.is_authenticated:
        return rounds.none()
    if user.is_superuser:
        return rounds
    return rounds.filter(directorate_id__in=directorates_reached(user))
