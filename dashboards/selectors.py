"""The dashboard as plain data, read from monitoring.selectors.round_report() (a closed round's snapshot).

Nothing here stores a total: every number is counted from the round's action returns each time.
"""

from dashboards import rollups
from monitoring.models import ActionReturn
from monitoring.selectors import COUNTS
from organisation.models import Unit
from performance.kpi import kpi_dashboard
from performance.rag import Rag

DIVISION = Unit.Level.DIVISION.label
SERVICE_UNIT = Unit.Level.SERVICE_UNIT.label

# The report's key: Green = completed, Amber = partially complete / on course, Red = stopped or will not be delivered.
STATUS_RAG = {
    ActionReturn.Status.COMPLETED: Rag.GREEN,
    ActionReturn.Status.ON_COURSE: Rag.AMBER,
    ActionReturn.Status.DELAYED: Rag.RED,
    ActionReturn.Status.CANCELLED: Rag.RED,
}
REPORT_KEY = [
    (Rag.GREEN, "Completed"),
    (Rag.AMBER, "Partially complete / on course"),
    (Rag.RED, "Stopped or will not be delivered (delayed or cancelled)"),
]
COLUMNS = [
    ("priorities", "Total priorities"),
    ("headline_actions", "Total actions"),
    ("completed", "Actions completed"),
    ("on_course", "Actions on course"),
    ("delayed_or_cancelled", "Actions delayed or cancelled"),
]


def visible_units(user, report: dict, visible_plan_ids) -> list[dict]:
    """The report's units whose plans the user may read (an administrator sees them all)."""
    return [
        unit
        for unit in report["units"]
        if user.is_superuser or unit["plan"] is None or unit["plan"]["id"] in visible_plan_ids
    ]


def dashboard_rows(units: list[dict], rule: rollups.Rule) -> tuple[list[dict], dict]:
    """One row per division (its service units' plans counted with it; the directorate's own plan, if any,
    as a row of its own), and the directorate totals, each with its RAG under the rule."""
    rows = []
    current = None
    for unit in units:
        if unit["level"] == SERVICE_UNIT and current is not None:
            target = current
        else:
            target = {
                "unit_id": unit["unit_id"],
                "code": unit["unit_code"],
                "name": unit["unit_name"],
                "has_plan": False,
                "counts": dict.fromkeys(COUNTS, 0),
                "footnotes": [],
            }
            rows.append(target)
            if unit["level"] == DIVISION:
                current = target
        if unit["plan"]:
            target["has_plan"] = True
            for name in COUNTS:
                target["counts"][name] += unit["counts"][name]
            target["footnotes"].extend(unit["footnotes"])
    rows = [row for row in rows if row["has_plan"]]
    totals = dict.fromkeys(COUNTS, 0)
    for row in rows:
        row["rag"] = rollups.rollup_counts(rule, row["counts"])
        for name in COUNTS:
            totals[name] += row["counts"][name]
    total = {"counts": totals, "rag": rollups.directorate_rag(rule, totals, [row["rag"] for row in rows])}
    return rows, total


def units_of_row(units: list[dict], unit_id: int) -> list[dict]:
    """The report units a dashboard row stands for: the division and its service units."""
    result = []
    inside = False
    for unit in units:
        if unit["unit_id"] == unit_id:
            inside = True
            result.append(unit)
        elif inside and unit["level"] == SERVICE_UNIT:
            result.append(unit)
        else:
            inside = False
    return result


def export_rows(rows: list[dict], total: dict) -> list[dict]:
    data = [
        {"division": row["code"], **{key: row["counts"][key] for key, _ in COLUMNS}, "rag": row["rag"].label}
        for row in rows
    ]
    data.append(
        {
            "division": "Directorate totals",
            **{key: total["counts"][key] for key, _ in COLUMNS},
            "rag": total["rag"].label,
        }
    )
    return data


def _action_index(units: list[dict]) -> dict[tuple, dict]:
    """Each action of the report by (unit code, priority number, action label): the key that survives a new
    plan version, where action ids change."""
    index = {}
    for unit in units:
        for priority in unit["priorities"]:
            for action in priority["actions"]:
                key = (unit["unit_code"], priority["number"], action["label"])
                index[key] = {**action, "unit_code": unit["unit_code"], "priority_title": priority["title"]}
    return index


def _state(action: dict | None) -> str:
    if action is None:
        return ""
    if action["withdrawn"]:
        return "withdrawn"
    return action["status"]


def compare(earlier_units: list[dict], later_units: list[dict]) -> list[dict]:
    """What moved between two rounds: actions whose status changed, new actions, withdrawn actions."""
    before = _action_index(earlier_units)
    after = _action_index(later_units)
    moved = []
    for key in sorted(
        before.keys() | after.keys(), key=lambda k: (k[0], k[1], [int(p) for p in k[2].split(".") if p.isdigit()], k[2])
    ):
        old, new = before.get(key), after.get(key)
        if new is None or (new["withdrawn"] and not (old and old["withdrawn"])):
            change = "withdrawn"
        elif old is None:
            change = "new"
        elif _state(old) != _state(new):
            change = "status changed"
        else:
            continue
        either = new or old
        moved.append(
            {
                "unit_code": key[0],
                "priority": key[1],
                "label": key[2],
                "text": either["text"],
                "change": change,
                "before": old,
                "after": new,
                "before_rag": STATUS_RAG.get(old["status"], "") if old else "",
                "after_rag": STATUS_RAG.get(new["status"], "") if new else "",
            }
        )
    return moved


def indicator_exceptions(directorate, user, year: int) -> list:
    """The amber and red indicators of the directorate and its units that the user may see, with their latest
    figure of the year (performance/kpi.py): the other half of the exceptions page."""
    rows = kpi_dashboard(directorate, user=user, year=year, chart_prefix="exception")["rows"]
    return [row for row in rows if row.summary.rag in (Rag.AMBER, Rag.RED)]
